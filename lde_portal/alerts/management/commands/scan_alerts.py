"""Run the deadline scan now, in this process (no broker needed).

    python manage.py scan_alerts               # every organisation
    python manage.py scan_alerts --org stroom  # one organisation
    python manage.py scan_alerts --date 2026-12-01
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from lde_portal import dates
from lde_portal.accounts.models import Organisation
from lde_portal.alerts.scan import scan_organisation


class Command(BaseCommand):
    help = "Raise, resolve and escalate deadline alerts now (synchronously)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="slug of one organisation")
        parser.add_argument("--date", help="scan as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, org=None, date=None, **options):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError:
                raise CommandError(f"--date: '{date}' is not a date; use YYYY-MM-DD.") from None
            # A scan as of 9999 would add years to it and overflow; the same range as any period filter.
            dates.check_option(today, option="--date", date_range=dates.PERIOD)
        organisations = Organisation.objects.order_by("name")
        if org:
            organisations = organisations.filter(slug=org)
            if not organisations.exists():
                raise CommandError(f"No organisation with slug '{org}'.")
        failed = 0
        for organisation in organisations:
            try:
                result = scan_organisation(organisation=organisation, today=today)
            except Exception as exc:  # one organisation's failure does not stop the others
                failed += 1
                self.stderr.write(f"{organisation.slug}: FAILED ({exc})")
                continue
            line = (f"{organisation.slug}: {result.raised} raised, {result.reopened} re-opened, "
                    f"{result.resolved} resolved, {result.escalated} escalated")
            if result.failed_kinds:
                line += f"; providers failed: {', '.join(result.failed_kinds)}"
            self.stdout.write(line)
        if failed:
            raise CommandError(f"{failed} organisation(s) failed")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
