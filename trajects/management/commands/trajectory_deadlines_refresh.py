"""Recompute the stored deadlines and next_due of every open trajectory (run daily, e.g. from cron).

The services already refresh a trajectory on every change; this job rolls `next_due` forward as days
pass and applies an edited rule table to all trajectories at once.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from trajects import services
from trajects.models import Trajectory


class Command(BaseCommand):
    help = "Recompute TrajectoryDeadline rows and next_due for all open trajectories."

    def handle(self, *args, **options):
        rule_set = services.ruleset()
        count = 0
        for trajectory in Trajectory.objects.filter(closed_on__isnull=True).select_related("worker").iterator():
            with transaction.atomic():
                services.deadlines_refresh(trajectory=trajectory, rule_set=rule_set)
            count += 1
        self.stdout.write(f"{count} open trajectories refreshed.")
