"""Writes of the reports platform: background export files and their cleanup."""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from lde_portal.accounts.access import has_perm
from lde_portal.accounts.models import Membership
from lde_portal.queue import enqueue_on_commit

from . import rendering
from .models import FileStatus, GeneratedFile
from .registry import EXPORTERS, ExportFilters

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500  # rows between progress updates: one UPDATE per 500 rows keeps the bar moving cheaply


def filters_to_json(filters: ExportFilters) -> dict:
    return {"start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None, "activity_id": filters.activity_id,
            "subset": [list(pair) for pair in filters.subset]}


def filters_from_json(data: dict) -> ExportFilters:
    def day(value):
        return datetime.date.fromisoformat(value) if value else None

    return ExportFilters(start=day(data.get("start")), end=day(data.get("end")), activity_id=data.get("activity_id"),
                         subset=tuple(tuple(pair) for pair in data.get("subset", ())))


@transaction.atomic
def generated_file_start(*, membership, exporter, fmt: str, filters: ExportFilters, total: int,
                         filename: str) -> GeneratedFile:
    generated = GeneratedFile.objects.create(
        organisation_id=membership.organisation_id, created_by=membership, exporter=exporter.key, format=fmt,
        filters=filters_to_json(filters), total=total, filename=filename,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PORTAL_GENERATED_FILE_DAYS))
    _queue(generated)
    return generated


# GeneratedFile.error when the job never reached a worker: the page says so and offers to try again.
NOT_QUEUED = "not_queued"


def _queue(generated):
    from .tasks import build_export

    enqueue_on_commit(build_export, generated.pk, on_failure=lambda: GeneratedFile.objects.filter(
        pk=generated.pk, status=FileStatus.PENDING).update(status=FileStatus.FAILED, error=NOT_QUEUED))


@transaction.atomic
def generated_file_retry(*, generated: GeneratedFile, membership) -> GeneratedFile:
    """Queue a failed or lost export again, built with the permission of the member who asks (checked again
    when it runs, as for a new export). Only a job that is no longer running is queued again, so two
    workers never build the same file."""
    locked = GeneratedFile.objects.select_for_update().get(pk=generated.pk)
    if not locked.retryable:
        return locked
    locked.status, locked.error, locked.done, locked.created_by = FileStatus.PENDING, "", 0, membership
    locked.queued_at = timezone.now()
    locked.save(update_fields=["status", "error", "done", "created_by", "queued_at"])
    _queue(locked)
    return locked


def _fail(generated, message):
    generated.status, generated.error = FileStatus.FAILED, message
    generated.save(update_fields=["status", "error"])
    return generated


def generated_file_build(file_id: int) -> GeneratedFile:
    """Build the file. The permission is checked again here: between the request and the worker picking
    the job up, the member may have been deactivated or given another role, and then nothing is written."""
    generated = GeneratedFile.objects.select_related("organisation").get(pk=file_id)
    if generated.finished:
        return generated
    exporter = EXPORTERS.get(generated.exporter)
    membership = (Membership.objects.select_related("user", "organisation")
                  .filter(pk=generated.created_by_id, organisation_id=generated.organisation_id).first())
    if exporter is None or membership is None or not membership.user.is_active \
            or not has_perm(membership, "reports.export") or not has_perm(membership, exporter.permission):
        return _fail(generated, "permission")
    generated.status = FileStatus.RUNNING
    generated.save(update_fields=["status"])

    def progress(n):
        if n % PROGRESS_EVERY == 0:
            GeneratedFile.objects.filter(pk=generated.pk).update(done=n)

    rows = exporter.rows(generated.organisation, membership, filters_from_json(generated.filters))
    try:
        with tempfile.TemporaryFile() as tmp:
            if generated.format == "csv":
                for chunk in rendering.csv_bytes_chunks(exporter.headers, rows, progress=progress):
                    tmp.write(chunk)
            else:
                rendering.write_xlsx(exporter.headers, rows, tmp, title=str(exporter.label), progress=progress)
            count = generated.total
            tmp.seek(0)
            generated.file.save(f"{generated.organisation.slug}-{generated.pk}-{generated.filename}", File(tmp),
                                save=False)
    except Exception:
        logger.exception("export %s failed", generated.pk)
        return _fail(generated, "error")
    generated.status, generated.done = FileStatus.DONE, count
    generated.save(update_fields=["status", "done", "file"])
    return generated


def generated_files_cleanup(*, now=None) -> int:
    """Delete expired files and their rows."""
    now = now or timezone.now()
    n = 0
    for generated in GeneratedFile.objects.filter(expires_at__lte=now).iterator():
        if generated.file:
            generated.file.delete(save=False)
        generated.delete()
        n += 1
    return n
