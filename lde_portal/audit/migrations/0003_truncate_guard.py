"""TRUNCATE empties a table without firing row triggers, so the append-only guard of 0002 let it wipe the
whole trail (issue #24, finding 11). A statement-level trigger refuses it, also when it comes as the CASCADE of
truncating a table the trail refers to (organisations, users). SQLite has no TRUNCATE; nothing to do there.

A superuser or the table's owner can still drop the triggers: the portal therefore runs as its own role that
holds only SELECT and INSERT on this table (`manage.py db_roles`, README "Production").
"""

from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
