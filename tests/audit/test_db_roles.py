"""The audit trail cannot be emptied, and the portal's own database role cannot tamper with it (issue #24,
finding 11). PostgreSQL only: SQLite has neither roles nor TRUNCATE, and CI runs the suite on PostgreSQL.

The role is created inside the test's transaction (roles are cluster-wide, so it is named after the test
database), and the statements run after SET ROLE: the privileges checked are the role's own, as when it logs in.
"""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from lde_portal.accounts.models import Organisation
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.audit.services import audit_record

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and TRUNCATE")

INSUFFICIENT_PRIVILEGE = "42501"
RAISE_EXCEPTION = "P0001"  # the append-only trigger


@pytest.fixture
def app_role(db):
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    call_command("db_roles", role=role, stdout=StringIO())
    return role


@contextmanager
def as_role(role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


def refused(statement) -> str | None:
    """Run the statement in a savepoint; return the SQLSTATE it was refused with (None: it was not)."""
    try:
        with transaction.atomic():
            # Rows inserted earlier in the test's transaction leave deferred foreign-key checks pending, and
            # PostgreSQL refuses a TRUNCATE with pending trigger events before it looks at anything else.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            statement()
    except DatabaseError as exc:
        return exc.__cause__.sqlstate
    return None


@postgresql
def test_truncate_of_the_audit_trail_is_refused_even_for_its_owner(personas):
    entry = audit_record(actor=None, action=AuditAction.CREATE, organisation=personas.org, object_type="x")
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("TRUNCATE audit_auditentry")) == RAISE_EXCEPTION
        # also as the cascade of emptying a table the trail refers to
        assert refused(lambda: cursor.execute("TRUNCATE accounts_organisation CASCADE")) == RAISE_EXCEPTION
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@postgresql
def test_the_application_role_can_add_and_read_entries_but_not_tamper(personas, app_role):
    entry = audit_record(actor=None, action=AuditAction.CREATE, organisation=personas.org, object_type="x")
    with as_role(app_role) as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (app_role, False)

        added = audit_record(actor=None, action=AuditAction.CREATE, organisation=personas.org, object_type="y")
        assert set(AuditEntry.objects.filter(pk__in=[entry.pk, added.pk]).values_list("object_type", flat=True)) \
            == {"x", "y"}
        # ordinary privileges on the rest of the portal
        Organisation.objects.filter(pk=personas.org.pk).update(name="Stroom vzw")

        attempts = {
            "update": lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten"),
            "delete": lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
            "truncate": lambda: cursor.execute("TRUNCATE audit_auditentry"),
            "disable trigger": lambda: cursor.execute(
                "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only"),
            "disable all triggers": lambda: cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL"),
            "drop trigger": lambda: cursor.execute("DROP TRIGGER audit_entry_append_only ON audit_auditentry"),
            "drop truncate trigger": lambda: cursor.execute(
                "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry"),
            "replace trigger function": lambda: cursor.execute(
                "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ BEGIN RETURN NULL; "
                "END; $$ LANGUAGE plpgsql"),
            "drop table": lambda: cursor.execute("DROP TABLE audit_auditentry CASCADE"),
            "skip triggers": lambda: cursor.execute("SET session_replication_role = replica"),
        }
        codes = {name: refused(attempt) for name, attempt in attempts.items()}
        # Granting itself more is only a warning ("no privileges were granted"), and changes nothing.
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_auditentry TO {app_role}")
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            cursor.execute("SELECT has_table_privilege('audit_auditentry', %s)", [privilege])
            assert cursor.fetchone() == (False,), privilege
    assert codes == dict.fromkeys(attempts, INSUFFICIENT_PRIVILEGE)
    assert AuditEntry.objects.filter(pk=entry.pk, summary="").exists()
    call_command("db_roles", role=app_role, stdout=StringIO())  # idempotent: run after every migrate


@postgresql
def test_the_check_mode_accepts_the_application_role_and_refuses_the_owner(app_role):
    with pytest.raises(CommandError, match="superuser"):  # the test database's own (owner) connection
        call_command("db_roles", check=True, stdout=StringIO())
    out = StringIO()
    with as_role(app_role):
        call_command("db_roles", check=True, stdout=out)
    assert "only SELECT and INSERT" in out.getvalue()


@postgresql
def test_the_check_mode_sees_a_disabled_trigger(app_role):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate")
    with as_role(app_role), pytest.raises(CommandError, match="audit_entry_no_truncate .* disabled"):
        call_command("db_roles", check=True, stdout=StringIO())


def _current_user():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@postgresql
@pytest.mark.parametrize("role, message", [
    ("", "Name the application role"),
    ("Robert'); DROP TABLE audit_auditentry; --", "not a plain PostgreSQL role name"),
    (None, "the role running this command"),  # the owner itself
])
def test_db_roles_refuses_no_role_a_strange_name_or_the_owner(db, role, message):
    with pytest.raises(CommandError, match=message):
        call_command("db_roles", role=_current_user() if role is None else role, stdout=StringIO())


@postgresql
def test_db_roles_refuses_a_role_that_owns_the_trail(db):
    """As when the migrations were run as the application's role: it could drop the triggers."""
    role = f"{connection.settings_dict['NAME']}_owner"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"ALTER TABLE audit_auditentry OWNER TO {role}")
    with pytest.raises(CommandError, match=f"{role} owns audit_auditentry"):
        call_command("db_roles", role=role, stdout=StringIO())


def test_docker_compose_migrates_as_the_owner_and_serves_as_the_application_role():
    import re

    import yaml

    from tests.test_infrastructure import ROOT

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    owner = services["db"]["environment"]["POSTGRES_USER"]
    web = services["web"]
    app_url, owner_url = web["environment"]["DATABASE_URL"], web["environment"]["DATABASE_OWNER_URL"]
    def user(url):  # the URLs hold compose's ${...} interpolations, which urlsplit cannot take apart
        return re.match(r"postgres://([^:@]+)[:@]", url).group(1)

    assert user(owner_url) == owner
    assert user(app_url) == web["environment"]["PORTAL_DB_APP_ROLE"] != owner
    steps = [step.strip() for step in " ".join(web["command"][2:]).split("&&")]
    assert steps[:3] == [
        'DATABASE_URL="$$DATABASE_OWNER_URL" python manage.py migrate --noinput',
        'DATABASE_URL="$$DATABASE_OWNER_URL" python manage.py db_roles',
        "python manage.py db_roles --check",
    ]
    assert steps[3].startswith("exec env -u DATABASE_OWNER_URL -u POSTGRES_PASSWORD gunicorn lde_portal.wsgi")
    for name in ("worker", "beat"):
        assert "DATABASE_OWNER_URL" not in services[name]["environment"]
        assert services[name]["environment"]["DATABASE_URL"] == app_url
        assert services[name]["command"][:3] == ["env", "-u", "POSTGRES_PASSWORD"]
    for key in ("SECRET_KEY", "PORTAL_PSEUDONYM_KEY"):
        assert web["environment"][key] == f"${{{key}:?set {key} in .env}}"
