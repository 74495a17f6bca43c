"""The portal's own PostgreSQL role, which cannot tamper with the audit trail (issue #24, finding 11).

The append-only triggers (migrations 0002 and 0003) stop the application's statements, but the owner of the
table, the owner of its schema and any superuser can disable or drop them. So the role that runs `migrate`
(the owner) is not the role the portal serves with: `manage.py db_roles`, run as the owner after every
migration, creates or updates the application role, gives it the ordinary privileges on every table and only
SELECT and INSERT on the trail, and refuses when that role could still change the trail (it owns it, owns the
schema, or is a member of the owner). `manage.py db_roles --check`, run as the application, verifies the same
from the other side.
"""

import re

from lde_portal.audit.models import AuditEntry

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TRIGGERS = ("audit_entry_append_only", "audit_entry_no_truncate")
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


class RoleError(Exception):
    pass


def _one(cursor, sql, params=()):
    cursor.execute(sql, params)
    row = cursor.fetchone()
    return row[0] if row else None


def _tamper_risks(cursor, role) -> list[str]:
    """What would let `role` change or remove trail rows despite the triggers."""
    table = AuditEntry._meta.db_table
    risks = []
    flags = _one(cursor, "SELECT ARRAY[rolsuper, rolcreaterole, rolbypassrls] FROM pg_roles WHERE rolname = %s",
                 [role])
    if flags is None:
        return [f"role {role} does not exist"]
    if flags[0]:
        risks.append(f"{role} is a superuser")
    if flags[1]:
        risks.append(f"{role} may create roles (and so grant itself the owner's)")
    owner, schema_owner = _owners(cursor, table)
    if _one(cursor, "SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner]):
        risks.append(f"{role} owns {table} or is a member of its owner {owner}")
    if _one(cursor, "SELECT pg_has_role(%s, %s, 'MEMBER')", [role, schema_owner]):
        risks.append(f"{role} owns the schema of {table} (a schema owner may drop it)")
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
        if _one(cursor, "SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege]):
            risks.append(f"{role} holds {privilege} on {table}")
    return risks


def _owners(cursor, table):
    cursor.execute(
        "SELECT pg_get_userbyid(c.relowner), pg_get_userbyid(n.nspowner) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"table {table} does not exist: run `manage.py migrate` first (as the owner)")
    return row


def grant_application_role(connection, role, password=None) -> None:
    """Create or update `role` as the portal's application role; run as the owner of the tables."""
    if not ROLE_NAME.match(role or ""):
        raise RoleError(f"{role!r} is not a plain PostgreSQL role name (lower case letters, digits, _)")
    quoted, table = connection.ops.quote_name(role), connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if role == _one(cursor, "SELECT current_user"):
            raise RoleError(f"{role} is the role running this command: the application needs a role of its own, "
                            "and the migrations run as the owner")
        _owners(cursor, AuditEntry._meta.db_table)
        if _one(cursor, "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]) is None:
            cursor.execute(f"CREATE ROLE {quoted}")
        cursor.execute(f"ALTER ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
        if password:
            cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [password])
        schema = connection.ops.quote_name(_one(cursor, "SELECT current_schema()"))
        database = connection.ops.quote_name(_one(cursor, "SELECT current_database()"))
        for sql in (
            f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
            f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
            f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}",
            # REVOKE first: whatever was granted before (TRUNCATE, TRIGGER, ...) does not linger.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}",
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
            f"REVOKE UPDATE, DELETE ON {table} FROM {quoted}",
            # Tables a later migration adds are usable before the next db_roles run (which runs after each
            # migrate anyway); the trail itself already exists and keeps the grants above.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {TABLE_PRIVILEGES} ON TABLES TO {quoted}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        ):
            cursor.execute(sql)
        risks = _tamper_risks(cursor, role)
    if risks:
        raise RoleError("; ".join(risks))


def application_role_problems(connection) -> list[str]:
    """Run as the application: what would let it tamper with the trail, or keep the trail from working."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        role = _one(cursor, "SELECT current_user")
        problems = _tamper_risks(cursor, role)
        for privilege in ("SELECT", "INSERT"):
            if not _one(cursor, "SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege]):
                problems.append(f"{role} lacks {privilege} on {table}")
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgenabled = 'O'", [table])
        enabled = {name for (name,) in cursor.fetchall()}
        problems += [f"trigger {name} on {table} is missing or disabled" for name in TRIGGERS if name not in enabled]
    return problems
