"""Every write of the document platform: issue, revoke, batches."""

import hashlib
import io
import logging
import re
import secrets
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import has_perm, workers_visible_to
from lde_portal.accounts.models import Membership
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.files import services as files
from lde_portal.files.models import FileStatus, GeneratedFile
from lde_portal.queue import enqueue_on_commit

from .models import DocumentCounter, DocumentSettings, IssuedDocument
from .registry import DocumentDataError, DocumentKind, PrintableWorker, build_context, get_kind
from .rendering import document_context, render_pdf

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: the check code is typed over from paper.
CHECK_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TOKEN_BYTES = 24  # ≥ 16 bytes: the verification URL cannot be guessed or enumerated.


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(6))


def number_prefix(organisation) -> str:
    conf = DocumentSettings.objects.filter(organisation=organisation).first()
    if conf and conf.number_prefix:
        return conf.number_prefix
    return re.sub(r"[^A-Z0-9]", "", organisation.slug.upper())[:12] or "DOC"


def allocate_sequence(organisation, year: int) -> int:
    """Next number of the organisation's year. Must run inside the issuing transaction: the counter row
    stays locked until the document is saved, so two issuers never get the same number and a failed
    render leaves no gap."""
    DocumentCounter.objects.get_or_create(organisation=organisation, year=year)
    counter = DocumentCounter.objects.select_for_update().get(organisation=organisation, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _kind(kind) -> DocumentKind:
    found = kind if isinstance(kind, DocumentKind) else get_kind(kind)
    if found is None:
        raise ValidationError(_("Unknown document kind."))
    return found


def document_preview_context(*, kind, worker, membership, data: dict) -> dict:
    kind = _kind(kind)
    facts = build_context(kind, worker, membership, data)
    return document_context(kind=kind, facts=facts, organisation=membership.organisation, membership=membership,
                            language=data.get("language") or "nl")


def _check_replaceable(old, *, kind, worker_id, membership):
    """Only a revoked document of the same worker and kind, not replaced yet, by a member who may revoke."""
    if not has_perm(membership, "document.revoke"):
        raise PermissionDenied
    if old.organisation_id != membership.organisation_id or old.worker_id != worker_id or old.kind != kind.key:
        raise PermissionDenied
    if old.revoked_at is None:
        raise ValidationError(_("Revoke the document before issuing its replacement."))
    if old.replaced_by_id is not None:
        raise ValidationError(_("This document has already been replaced."))


def document_issue(*, kind, worker, membership: Membership, data: dict, batch=None,
                   replaces: IssuedDocument | None = None) -> IssuedDocument:
    """Render and store one document. Raises DocumentDataError when the worker lacks the facts.

    `replaces`: a revoked document this one corrects (re-issue); the check page then names the new number
    for the old one. Both are written in the same transaction."""
    kind = _kind(kind)
    if not has_perm(membership, kind.permission):
        raise PermissionDenied
    if worker.organisation_id != membership.organisation_id:
        raise PermissionDenied
    organisation = membership.organisation
    language = data.get("language") or "nl"
    facts = build_context(kind, worker, membership, data)
    printable = PrintableWorker.of(worker) if not isinstance(worker, PrintableWorker) else worker
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    with transaction.atomic():
        if replaces is not None:
            # Two coordinators re-issuing the same document at once: the second waits and is refused.
            replaces = IssuedDocument.objects.select_for_update().get(pk=replaces.pk)
            _check_replaceable(replaces, kind=kind, worker_id=worker.pk, membership=membership)
        sequence = allocate_sequence(organisation, year)
        number = f"{number_prefix(organisation)}-{year}-{sequence:06d}"
        token, code = secrets.token_urlsafe(TOKEN_BYTES), new_check_code()
        context = document_context(kind=kind, facts=facts, organisation=organisation, membership=membership,
                                   language=language, issued_at=issued_at, number=number, check_code=code,
                                   token=token)
        pdf = render_pdf(kind, context)
        document = IssuedDocument(
            organisation=organisation, worker_id=printable.pk, worker_name=printable.full_name,
            worker_initials=printable.initials, kind=kind.key, kind_label=context["kind_label"], number=number,
            year=year, sequence=sequence, check_code=code, token=token, language=language,
            sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), batch=batch, issued_by=membership.user,
            issued_at=issued_at,
        )
        # A random file name: the path reveals nothing and cannot be guessed.
        document.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
        try:
            document.save()
            audit_record(actor=membership.user, action=AuditAction.CREATE, obj=document, worker_id=printable.pk,
                         summary=f"{number} ({kind.key})")
            if replaces is not None:
                replaces.replaced_by = document
                replaces.save(update_fields=["replaced_by"])
                audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=replaces,
                             worker_id=printable.pk, changes={"replaced_by": [None, number]},
                             summary=f"{replaces.number} → {number}")
        except Exception:
            document.file.storage.delete(document.file.name)
            raise
    return document


@transaction.atomic
def document_revoke(*, document: IssuedDocument, actor, reason: str) -> IssuedDocument:
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.revoked_at is not None:
        raise ValidationError({"reason": [_("This document was already revoked.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for revoking.")]})
    locked.revoked_at, locked.revoked_by, locked.revocation_reason = timezone.now(), actor, reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"revoked_at": [None, locked.revoked_at.isoformat()]}, summary=reason)
    return locked


@transaction.atomic
def settings_update(*, organisation, actor, data: dict, expected_version=None) -> DocumentSettings:
    conf, _created = DocumentSettings.objects.get_or_create(organisation=organisation)
    conf = DocumentSettings.objects.select_for_update().get(pk=conf.pk)
    check_version(conf, expected_version)
    before = {k: getattr(conf, k) for k in data}
    for key, value in data.items():
        setattr(conf, key, value)
    conf.full_clean(exclude=["organisation"])
    conf.version += 1
    conf.save()
    changes = {k: [before[k], v] for k, v in data.items() if before[k] != v}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=conf, changes=changes)
    return conf


BATCH = "documents.batch"  # the generated-file kind of an attestation batch (lde_portal.files)


@transaction.atomic
def batch_start(*, kind, membership: Membership, worker_ids: list[int], data: dict) -> GeneratedFile:
    """A batch is a generated file (its ZIP) whose params hold the document kind, the language, the form
    data and the workers; it expires like every generated file, the documents issued in it stay."""
    kind = _kind(kind)
    if not kind.batchable or not has_perm(membership, kind.permission):
        raise PermissionDenied
    visible = set(workers_visible_to(membership).filter(pk__in=worker_ids).values_list("pk", flat=True))
    worker_ids = [pk for pk in dict.fromkeys(worker_ids) if pk in visible]
    if not worker_ids:
        raise ValidationError({"workers": [_("Choose at least one worker.")]})
    batch = files.generated_file_create(
        kind=BATCH, membership=membership, total=len(worker_ids),
        filename=f"{kind.key}-{timezone.localdate():%Y%m%d}.zip",
        params={"kind": kind.key, "language": data.get("language") or "nl", "form_data": data,
                "worker_ids": worker_ids})
    batch.filename = f"{kind.key}-{timezone.localdate(batch.created_at):%Y%m%d}-{batch.pk}.zip"
    batch.save(update_fields=["filename"])
    audit_record(actor=membership.user, action=AuditAction.CREATE, obj=batch,
                 summary=f"{kind.key} × {len(worker_ids)}")
    _queue(batch)
    return batch


# The batch-level error of a batch that never reached a worker: the page explains it and offers a retry.
NOT_QUEUED = files.NOT_QUEUED


def _queue(batch):
    # lde_portal.documents.tasks imports this module.
    from .tasks import run_batch  # noqa: PLC0415

    enqueue_on_commit(run_batch, batch.pk, on_failure=lambda: files.mark_not_queued(batch.pk))


@transaction.atomic
def batch_retry(*, batch: GeneratedFile, membership: Membership) -> GeneratedFile:
    """Queue a failed or lost batch again. Checked like a new batch: the member needs the kind's permission,
    and it runs as them (only the workers they may see). Documents already issued in it are kept and
    skipped; workers that failed on their own data stay failed (start a new batch for them)."""
    kind = get_kind(batch.params.get("kind", ""))
    if kind is None or not kind.batchable or not has_perm(membership, kind.permission):
        raise PermissionDenied
    locked = files.generated_file_requeue(generated=batch, membership=membership)
    if locked.requeued:
        audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=locked,
                     summary=f"retry {locked.params.get('kind')}")
        _queue(locked)
    return locked


def _progress(batch_id, **changes):
    """One UPDATE per worker: the batch page polls these counters."""
    GeneratedFile.objects.filter(pk=batch_id).update(**changes)


def batch_run(batch_id: int) -> GeneratedFile:
    """Issue the batch's documents, each worker in its own transaction, then write one ZIP.

    The permissions are checked again here (files.acting_membership): between the request and the worker
    picking the job up, the member may have been deactivated or given a role without batches, and then
    nothing is issued. Idempotent: a re-delivered task skips workers that already have their document in
    this batch."""
    batch = GeneratedFile.objects.select_related("organisation", "created_by").get(pk=batch_id, kind=BATCH)
    if batch.finished:
        return batch
    kind = get_kind(batch.params.get("kind", ""))
    membership = files.acting_membership(batch, also=(kind.permission,)) if kind else None
    if membership is None:
        return files.generated_file_fail(batch, files.PERMISSION)
    _progress(batch.pk, status=FileStatus.RUNNING)
    worker_ids = batch.params.get("worker_ids", [])
    workers = {w.pk: w for w in workers_visible_to(membership).filter(pk__in=worker_ids)}
    done_ids = set(batch.documents.values_list("worker_id", flat=True))
    errors = list(batch.errors)
    failed_ids = {e.get("worker_id") for e in errors}
    for worker_id in worker_ids:
        if worker_id in done_ids or worker_id in failed_ids:
            continue
        worker = workers.get(worker_id)
        try:
            if worker is None:
                raise DocumentDataError(_("This worker is no longer visible to you."))
            document_issue(kind=kind, worker=worker, membership=membership, data=batch.params.get("form_data", {}),
                           batch=batch)
        except Exception as exc:
            if isinstance(exc, DocumentDataError):
                message = str(exc)
            else:
                logger.exception("Batch %s: document for worker %s failed", batch.pk, worker_id)
                message = _("Unexpected error; the details are in the server log.")
            errors.append({"worker_id": worker_id,
                           "worker": worker.full_name if worker else f"#{worker_id}", "error": message})
            _progress(batch.pk, failed=F("failed") + 1, errors=errors)
        else:
            _progress(batch.pk, done=F("done") + 1)
    return _batch_zip(batch)


def _batch_zip(batch: GeneratedFile) -> GeneratedFile:
    buffer = io.BytesIO()
    # PDFs are compressed already: store them as they are, so each entry is the stored file byte for byte.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in batch.documents.order_by("sequence"):
            with document.file.open("rb") as fh:
                archive.writestr(f"{document.number}.pdf", fh.read())
    return files.generated_file_store(batch, buffer.getvalue())
