from django.core.management.base import BaseCommand, CommandError

from lde_portal.accounts.models import Organisation
from pop.services import pop_schedule_refresh_all


class Command(BaseCommand):
    help = "Recompute the stored POP due dates (PopSchedule.next_due) that the alert scan reads. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="slug of one organisation (default: all)")

    def handle(self, *args, org=None, **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"Unknown organisation {org!r}")
        count = pop_schedule_refresh_all(organisation=organisation)
        self.stdout.write(self.style.SUCCESS(f"POP due dates refreshed for {count} workers."))
