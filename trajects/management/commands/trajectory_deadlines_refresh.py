"""Recompute the stored deadlines and next_due of every open trajectory (the beat schedule runs the same
task daily at 05:15). The services already refresh a trajectory on every change; this job rolls
`next_due` forward as days pass and applies an edited rule table to all trajectories at once.
"""

from django.core.management.base import BaseCommand

from trajects.tasks import refresh_deadlines


class Command(BaseCommand):
    help = "Recompute TrajectoryDeadline rows and next_due for all open trajectories."

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh_deadlines()} open trajectories refreshed.")
