import contextvars
import datetime
import decimal
from contextlib import contextmanager

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditAction, AuditEntry


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields=None) -> dict:
    """The concrete field values of an instance, JSON-ready, to diff before and after a change."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


_batch = contextvars.ContextVar("audit_batch", default=None)


@contextmanager
def audit_batched():
    """A bulk writer's block (the import): audit_record keeps the entries in the list it yields, for the writer
    to store in one INSERT per 500 (`audit_flush`) before it commits, or to drop with a row it refuses or a run
    it rolls back. An entry per change, as always; only fewer round trips."""
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield entries
    finally:
        _batch.reset(token)


def audit_flush(entries: list) -> None:
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    entries.clear()


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organisation=None,
    worker_id: int | None = None,
    changes: dict | None = None,
    summary: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Write one audit entry. Called by services inside their transaction, so the entry and the change
    commit or roll back together (inside `audit_batched()`, the bulk writer stores it before it commits)."""
    organisation_id = getattr(organisation, "pk", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if organisation is None:
            # The key, not the related object: loading the organisation would cost a query per entry.
            organisation_id = getattr(obj, "organisation_id", None)
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        organisation_id=organisation_id,
        object_type=object_type,
        object_id=object_id,
        worker_id=worker_id,
        changes=changes or {},
        summary=summary[:300],
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)
    else:
        entry.save(force_insert=True)
    return entry


def audit_file_access(*, actor, kind: str = AuditAction.DOWNLOAD, obj: models.Model | None = None, organisation=None,
                      worker_id: int | None = None, summary: str = "", object_type: str = "",
                      object_id: str = "") -> AuditEntry:
    """Record that someone took data out of the portal (docs/domain.md §7): an export (CSV/XLSX/ZIP), an
    attestation download, a generated or uploaded file. Call it from the view that sends the file, for
    example `audit_file_access(actor=request.user, kind=AuditAction.EXPORT, organisation=org,
    summary="workers.xlsx (120 rows)")`."""
    if kind not in (AuditAction.EXPORT, AuditAction.DOWNLOAD):
        raise ValueError("audit_file_access records EXPORT or DOWNLOAD only")
    return audit_record(actor=actor, action=kind, obj=obj, organisation=organisation, worker_id=worker_id,
                        summary=summary, object_type=object_type, object_id=object_id)
