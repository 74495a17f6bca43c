"""Writes of the reports platform: background exports, built into generated files (lde_portal.files)."""

import datetime
import logging
import tempfile

from django.db import transaction

from lde_portal.accounts.access import has_perm
from lde_portal.files import services as files
from lde_portal.files.models import FileStatus, GeneratedFile
from lde_portal.queue import enqueue_on_commit

from . import rendering
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


EXPORT = "reports.export"  # the generated-file kind of a background export (lde_portal.files)


def export_may_access(membership, generated) -> bool:
    """Only a member allowed to run the file's exporter sees it (else 404, as for the export itself)."""
    exporter = EXPORTERS.get(generated.params.get("exporter"))
    return exporter is not None and has_perm(membership, exporter.permission)


@transaction.atomic
def generated_file_start(*, membership, exporter, fmt: str, filters: ExportFilters, total: int,
                         filename: str) -> GeneratedFile:
    generated = files.generated_file_create(
        kind=EXPORT, membership=membership, filename=filename, total=total,
        params={"exporter": exporter.key, "format": fmt, "filters": filters_to_json(filters)})
    _queue(generated)
    return generated


NOT_QUEUED = files.NOT_QUEUED


def _queue(generated):
    # lde_portal.reports.tasks imports this module.
    from .tasks import build_export  # noqa: PLC0415

    enqueue_on_commit(build_export, generated.pk, on_failure=lambda: files.mark_not_queued(generated.pk))


def generated_file_retry(*, generated: GeneratedFile, membership) -> GeneratedFile:
    """Queue a failed or lost export again, built with the permission of the member who asks (checked again
    when it runs, as for a new export)."""
    with transaction.atomic():
        locked = files.generated_file_requeue(generated=generated, membership=membership, done=0)
        if locked.requeued:
            _queue(locked)
    return locked


def generated_file_build(file_id: int) -> GeneratedFile:
    """Build the file. The permissions are checked again here (files.acting_membership): between the request
    and the worker picking the job up, the member may have been deactivated or given another role, and then
    nothing is written."""
    generated = GeneratedFile.objects.select_related("organisation").get(pk=file_id)
    if generated.finished:
        return generated
    exporter = EXPORTERS.get(generated.params.get("exporter"))
    membership = files.acting_membership(generated, also=(exporter.permission,)) if exporter else None
    if membership is None:
        return files.generated_file_fail(generated, files.PERMISSION)
    files.generated_file_progress(generated, status=FileStatus.RUNNING)

    def progress(n):
        if n % PROGRESS_EVERY == 0:
            files.generated_file_progress(generated, done=n)

    rows = exporter.rows(generated.organisation, membership, filters_from_json(generated.params.get("filters", {})))
    try:
        with tempfile.TemporaryFile() as tmp:
            if generated.params.get("format") == "csv":
                for chunk in rendering.csv_bytes_chunks(exporter.headers, rows, progress=progress):
                    tmp.write(chunk)
            else:
                rendering.write_xlsx(exporter.headers, rows, tmp, title=str(exporter.label), progress=progress)
            tmp.seek(0)
            return files.generated_file_store(generated, tmp, done=generated.total)
    except Exception:
        logger.exception("export %s failed", generated.pk)
        return files.generated_file_fail(generated, "error")
