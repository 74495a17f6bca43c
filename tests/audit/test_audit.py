import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.audit.services import audit_file_access, audit_record


def test_file_access_helper_records_exports_and_downloads_only(personas):
    entry = audit_file_access(actor=personas.coordinator.user, kind=AuditAction.EXPORT, organisation=personas.org,
                              summary="workers.xlsx")
    assert entry.action == "export" and entry.organisation == personas.org
    with pytest.raises(ValueError):
        audit_file_access(actor=personas.coordinator.user, kind=AuditAction.UPDATE, organisation=personas.org)


def test_login_without_membership_is_recorded_without_organisation(db, client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert AuditEntry.objects.get(action=AuditAction.LOGIN, actor=user).organisation is None


def test_login_is_recorded_once_per_organisation(personas, client):
    from tests.factories import MembershipFactory

    MembershipFactory(user=personas.coordinator.user, organisation=personas.other_org, role="coach")
    client.force_login(personas.coordinator.user)
    entries = AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=personas.coordinator.user)
    assert {e.organisation for e in entries} == {personas.org, personas.other_org}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_database_refuses_to_change_or_delete_audit_entries(personas):
    entry = audit_record(actor=None, action=AuditAction.CREATE, organisation=personas.org, object_type="x")
    for statement in (lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten"),
                      lambda: AuditEntry.objects.filter(pk=entry.pk).delete()):
        # The trigger's RAISE EXCEPTION (SQLSTATE P0001): psycopg 3 maps it to ProgrammingError, psycopg2 to
        # InternalError; what counts is that the database refuses, with the trigger's own message.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert AuditEntry.objects.filter(pk=entry.pk, summary="").exists()
