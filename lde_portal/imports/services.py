"""Writes of the import: runs (dry run, import), the saved mapping, the undo."""

import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.audit.services import audit_record
from lde_portal.files import services as files
from lde_portal.queue import enqueue_on_commit

from . import registry, tasks
from .apps import FILE_KIND
from .engine import Engine, closure, display, marker, plan
from .mapping import IGNORE, known_headers
from .models import ImportMapping, ImportRun, RunStatus
from .reading import FileRefused, inspect_file, open_reader
from .writer import write_error_file

logger = logging.getLogger(__name__)
NOT_QUEUED = "not_queued"


def _progress_key(run_id):
    return f"imports:progress:{run_id}"


def progress_of(run: ImportRun) -> int:
    """Rows done so far: the engine's transaction hides the run's own row until it ends, so the count
    travels through the cache."""
    if run.status == RunStatus.RUNNING:
        return cache.get(_progress_key(run.pk), run.done)
    return run.done


def run_create(*, membership, path, filename: str, sheet: str = "") -> ImportRun:
    """Check the file (FileRefused when unusable) and keep it as a new dry run, not yet started."""
    kind = inspect_file(path, filename)
    upload = files.generated_file_create(kind=FILE_KIND, membership=membership,
                                         filename=f"import{os.path.splitext(filename)[1][:10].lower()}")
    with open(path, "rb") as f:
        upload = files.generated_file_store(upload, f)
    return ImportRun.objects.create(organisation_id=membership.organisation_id, created_by=membership,
                                    filename=filename[:200], kind=kind, sha256=upload.sha256, sheet=sheet,
                                    dry_run=True, upload=upload)


def estimate_rows(run: ImportRun) -> int:
    with _local_copy(run) as path, open_reader(path, run.kind, run.filename) as reader:
        return sum(t.estimated_rows for t in reader.tables(known_headers()))


class _local_copy:  # noqa: N801 — a context manager used like a function
    """The run's file as a local path (storage may be remote)."""

    def __init__(self, run):
        self.run = run

    def __enter__(self):
        upload = self.run.upload
        if upload is None or not upload.file:
            raise FileRefused(_("The uploaded file is no longer kept. Upload it again."))
        try:
            return upload.file.path
        except NotImplementedError:
            suffix = os.path.splitext(self.run.filename)[1]
            self.tmp = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
            with upload.file.open("rb") as src:
                shutil.copyfileobj(src, self.tmp)
            self.tmp.close()
            return self.tmp.name

    def __exit__(self, *exc):
        if getattr(self, "tmp", None):
            os.unlink(self.tmp.name)


def run_plan(run: ImportRun):
    """(plans, warnings) of the run's file, with its mapping: what the mapping step asks about."""
    with _local_copy(run) as path, open_reader(path, run.kind, run.filename) as reader:
        plans, warnings = plan(reader, organisation=run.organisation, forced_sheet=run.sheet, mapping=run.mapping)
        return [(p.sheet, p.table.name, list(p.unmapped), list(p.missing)) for p in plans], warnings


@transaction.atomic
def mapping_save(*, run: ImportRun, answers: dict[str, dict[str, str]], remember: bool) -> ImportRun:
    """The user's answers of the mapping step ({sheet: {folded header: column key or ""}})."""
    run.mapping = {**run.mapping, **{k: {**run.mapping.get(k, {}), **v} for k, v in answers.items()}}
    run.save(update_fields=["mapping"])
    if remember:
        for sheet_key, headers in answers.items():
            for header, column in headers.items():
                ImportMapping.objects.update_or_create(organisation_id=run.organisation_id, sheet=sheet_key,
                                                       header=header, defaults={"column": column or IGNORE})
    return run


@transaction.atomic
def run_confirm(*, dry_run: ImportRun, membership, skip_invalid: bool) -> ImportRun:
    """The import itself, of the file the dry run checked, with the same mapping."""
    run = ImportRun.objects.create(
        organisation_id=dry_run.organisation_id, created_by=membership, upload=dry_run.upload,
        filename=dry_run.filename, kind=dry_run.kind, sha256=dry_run.sha256, sheet=dry_run.sheet,
        only_sheet=dry_run.only_sheet, mapping=dry_run.mapping, dry_run=False, skip_invalid=skip_invalid, source=dry_run)
    return run


def run_start(run: ImportRun, *, background: bool | None = None) -> ImportRun:
    """Run it now, or queue it when the file is large (PORTAL_IMPORT_ASYNC_ROWS) or `background` says so."""
    run.total = estimate_rows(run)
    run.save(update_fields=["total"])
    if background is None:
        background = run.total > settings.PORTAL_IMPORT_ASYNC_ROWS
    if not background:
        return run_execute(run.pk)
    enqueue_on_commit(tasks.execute_run, run.pk, on_failure=lambda: ImportRun.objects.filter(
        pk=run.pk, status=RunStatus.PENDING).update(status=RunStatus.FAILED, error=NOT_QUEUED))
    return run


def run_execute(run_id: int) -> ImportRun:
    """Run a pending run (the task's body). A run that is no longer pending is left alone, so a repeated
    message never imports twice."""
    claimed = ImportRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(status=RunStatus.RUNNING)
    run = ImportRun.objects.select_related("organisation", "created_by__user", "upload").get(pk=run_id)
    if not claimed:
        return run
    membership = run.created_by

    def progress(done):
        cache.set(_progress_key(run.pk), done, 3600)

    try:
        with _local_copy(run) as path:
            engine = Engine(organisation=run.organisation, membership=membership, path=path, kind=run.kind,
                            filename=run.filename, dry_run=run.dry_run, skip_invalid=run.skip_invalid,
                            forced_sheet=run.sheet, only_sheet=run.only_sheet, mapping=run.mapping, run=run,
                            progress=progress)
            result = engine.execute()
        run.result, run.committed, run.done = result, result["committed"], engine.done
        run.status = RunStatus.DONE
    except FileRefused as exc:
        run.status, run.error = RunStatus.FAILED, exc.message[:500]
    except Exception:
        logger.exception("Import run %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, _("The import stopped on an unexpected error; nothing was "
                                                     "written. Try again, or tell your administrator.")
    run.finished_at = timezone.now()
    run.total = max(run.total, run.done)
    run.save(update_fields=["result", "committed", "done", "status", "error", "finished_at", "total"])
    cache.delete(_progress_key(run.pk))
    return run


def _last_edit(obj, since):
    entry = (AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), at__gt=since)
             .select_related("actor").order_by("-at").first())
    if entry is None:
        return ""
    who = entry.actor.get_full_name() or entry.actor.email if entry.actor else _("someone")
    return _(" (by %(who)s on %(when)s)") % {"who": who, "when": display(entry.at)}


def _name(obj) -> str:
    return f"{obj._meta.verbose_name.capitalize()} '{obj}'"


MAX_BLOCKERS = 20


def undo_blockers(run: ImportRun) -> list[str]:
    """Why the import cannot be undone: its records edited since, or records added to them since."""
    if not run.committed or run.dry_run:
        return [_("This run did not write anything.")]
    if run.undone_at:
        return [_("This import has already been undone.")]
    blockers = []
    recorded = set()
    direct = []
    since = run.finished_at or run.created_at
    for record in run.records.select_related("content_type").iterator():
        recorded.add((record.content_type_id, record.object_id))
        model = record.content_type.model_class()
        obj = model._base_manager.filter(pk=record.object_id).first() if model else None
        if obj is None:
            continue
        if record.direct:
            direct.append(obj)
        if marker(obj) != record.marker and len(blockers) < MAX_BLOCKERS:
            blockers.append(_("%(record)s was changed after the import%(who)s.") % {
                "record": _name(obj), "who": _last_edit(obj, since)})
    for obj in closure(direct):
        ct = ContentType.objects.get_for_model(type(obj))
        if (ct.id, obj.pk) not in recorded and len(blockers) < MAX_BLOCKERS:
            blockers.append(_("%(record)s was added after the import; undoing would delete it too.") % {
                "record": _name(obj)})
    return blockers


class _UndoBlocked(Exception):
    pass


def run_undo(*, run: ImportRun, membership) -> list[str]:
    """Delete what the import brought, newest first, unless something blocks it (then nothing changes)."""
    try:
        return _undo(run, membership)
    except _UndoBlocked as blocked:
        return [str(blocked)]


@transaction.atomic
def _undo(run, membership):
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    blockers = undo_blockers(run)
    if blockers:
        return blockers
    deleted = 0
    for record in run.records.filter(direct=True).select_related("content_type").order_by("-id"):
        model = record.content_type.model_class()
        obj = model._base_manager.filter(pk=record.object_id).first() if model else None
        if obj is None:
            continue
        sheet = registry.SHEETS.get(record.sheet)
        undo = getattr(sheet, "undo_record", None)
        try:
            if undo is not None:
                undo(membership, obj)
            else:
                obj.delete()
        except (ProtectedError, RestrictedError):
            # Raised inside the transaction: everything deleted so far is rolled back with it.
            raise _UndoBlocked(_("%(record)s is still used by a record the import did not create; nothing was "
                                 "undone.") % {"record": _name(obj)}) from None
        deleted += 1
    run.undone_at, run.undone_by = timezone.now(), membership
    run.save(update_fields=["undone_at", "undone_by"])
    audit_record(actor=getattr(membership, "user", None), action=AuditAction.DELETE,
                 organisation=run.organisation, object_type="imports.importrun", object_id=str(run.pk),
                 summary=f"Import {run.filename} undone ({deleted} records)"[:300])
    return []


def error_messages(result: dict) -> dict[tuple[str, int], str]:
    messages: dict[tuple[str, int], list[str]] = {}
    for e in result.get("errors", []):
        text = f"{e['column']}: {e['message']}" if e.get("column") else e["message"]
        messages.setdefault((e.get("table", ""), e["row"]), []).append(text)
    return {k: " ".join(v) for k, v in messages.items()}


def error_file_write(run: ImportRun, fileobj) -> None:
    """The run's file back with a *Fout* column on every refused row (writer.write_error_file)."""
    with _local_copy(run) as path, open_reader(path, run.kind, run.filename) as reader:
        try:
            plans, _warnings = plan(reader, organisation=run.organisation, forced_sheet=run.sheet,
                                    mapping=run.mapping)
            tables = [p.table for p in plans]
        except FileRefused:
            tables = reader.tables(known_headers())
        write_error_file(fileobj, reader=reader, plans_by_table=tables,
                         messages=error_messages(run.result), kind=run.kind)
