"""Give the portal its own PostgreSQL role that cannot tamper with the audit trail (README, "Production").

    DATABASE_URL=<owner's URL> python manage.py migrate
    DATABASE_URL=<owner's URL> python manage.py db_roles     # PORTAL_DB_APP_ROLE, PORTAL_DB_APP_PASSWORD
    python manage.py db_roles --check                        # as the application (its own DATABASE_URL)
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from lde_portal.audit.db_roles import RoleError, application_role_problems, grant_application_role


class Command(BaseCommand):
    help = ("As the owner (after migrate): create or update the application's database role with SELECT and "
            "INSERT only on the audit trail. With --check, as the application: verify it cannot tamper with it.")

    def add_arguments(self, parser):
        parser.add_argument("--role", help="the application role (default: PORTAL_DB_APP_ROLE)")
        parser.add_argument("--check", action="store_true",
                            help="verify the role this process connects as, instead of granting")

    def handle(self, *args, role=None, check=False, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: there are no database roles to set up.")
            return
        if check:
            problems = application_role_problems(connection)
            if problems:
                raise CommandError("The portal's database role could tamper with the audit trail: "
                                   + "; ".join(problems))
            self.stdout.write("The portal's database role holds only SELECT and INSERT on the audit trail.")
            return
        role = role or settings.PORTAL_DB_APP_ROLE
        if not role:
            raise CommandError("Name the application role: PORTAL_DB_APP_ROLE or --role.")
        try:
            with transaction.atomic():
                grant_application_role(connection, role, password=settings.PORTAL_DB_APP_PASSWORD or None)
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Role {role}: ordinary privileges on every table, SELECT and INSERT on the audit trail.")
