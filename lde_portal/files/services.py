"""Writes of generated files: create, progress, store, fail, queue again, clean up."""

import datetime
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from lde_portal.accounts.access import has_perm
from lde_portal.accounts.models import Membership

from .kinds import get_kind
from .models import NOT_QUEUED, PERMISSION, FileStatus, GeneratedFile

__all__ = ["NOT_QUEUED", "PERMISSION", "acting_membership", "generated_file_create", "generated_file_fail",
           "generated_file_progress", "generated_file_requeue", "generated_file_store", "generated_files_cleanup",
           "mark_not_queued"]


def _expiry(kind_key, start):
    kind = get_kind(kind_key)
    days = getattr(settings, kind.keep_days_setting if kind else "PORTAL_GENERATED_FILE_DAYS")
    return start + datetime.timedelta(days=days)


def generated_file_create(*, kind: str, filename: str, membership: Membership | None = None,
                          organisation_id: int | None = None, owner=None, params: dict | None = None,
                          total: int = 0, worker_id: int | None = None) -> GeneratedFile:
    """A pending file of `kind` for the member (or for `owner` in `organisation_id`), kept for the kind's
    number of days."""
    if get_kind(kind) is None:
        raise KeyError(f"Unknown generated-file kind {kind!r}")
    if membership is not None:
        organisation_id, owner = membership.organisation_id, membership.user
    return GeneratedFile.objects.create(
        organisation_id=organisation_id, kind=kind, created_by=owner, params=params or {}, total=total,
        filename=filename, worker_id=worker_id, expires_at=_expiry(kind, timezone.now()))


def acting_membership(generated: GeneratedFile, *, also=()) -> Membership | None:
    """The owner's membership when it still allows the job: active, an active user, the kind's permission and
    those in `also`. A job calls it before it writes anything: between the request and the worker picking the
    job up the member may have been deactivated or given another role, and then nothing is built."""
    kind = get_kind(generated.kind)
    membership = (Membership.objects.select_related("user", "organisation")
                  .filter(user_id=generated.created_by_id, organisation_id=generated.organisation_id, active=True)
                  .first())
    if kind is None or membership is None or not membership.user.is_active:
        return None
    if not all(has_perm(membership, permission) for permission in (kind.permission, *also)):
        return None
    return membership


def generated_file_progress(generated: GeneratedFile, **counters) -> None:
    """One UPDATE (done=, failed=, errors=, status=): the page polls these."""
    GeneratedFile.objects.filter(pk=generated.pk).update(**counters)


def generated_file_fail(generated: GeneratedFile, error: str) -> GeneratedFile:
    generated.status, generated.error, generated.finished_at = FileStatus.FAILED, error[:300], timezone.now()
    generated.save(update_fields=["status", "error", "finished_at"])
    return generated


def generated_file_store(generated: GeneratedFile, content, **counters) -> GeneratedFile:
    """Write the file (bytes, or a File positioned at its start) and mark it done, with final counters."""
    if isinstance(content, bytes):
        digest, size, content = hashlib.sha256(content).hexdigest(), len(content), ContentFile(content)
    else:
        sha = hashlib.sha256()
        for chunk in iter(lambda: content.read(1 << 16), b""):
            sha.update(chunk)
        digest, size = sha.hexdigest(), content.tell()
        content.seek(0)
        content = File(content)
    generated.file.save(generated.filename, content, save=False)
    changes = {"file": generated.file.name, "sha256": digest, "size": size, "status": FileStatus.DONE,
               "finished_at": timezone.now(), **counters}
    GeneratedFile.objects.filter(pk=generated.pk).update(**changes)
    generated.refresh_from_db()
    return generated


def mark_not_queued(pk: int) -> None:
    """The `on_failure` of lde_portal.queue.enqueue: the job never reached a worker."""
    GeneratedFile.objects.filter(pk=pk, status=FileStatus.PENDING).update(
        status=FileStatus.FAILED, error=NOT_QUEUED, finished_at=timezone.now())


@transaction.atomic
def generated_file_requeue(*, generated: GeneratedFile, membership: Membership, **changes) -> GeneratedFile:
    """Make a failed or lost job pending again, to run as the member who asks (checked again when it runs).
    Only a job that is no longer running is reset, so two workers never build the same file; the caller
    queues the returned row when its `requeued` is true."""
    locked = GeneratedFile.objects.select_for_update().get(pk=generated.pk)
    locked.requeued = locked.retryable
    if not locked.requeued:
        return locked
    locked.status, locked.error, locked.finished_at = FileStatus.PENDING, "", None
    locked.created_by, locked.queued_at = membership.user, timezone.now()
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "error", "finished_at", "created_by", "queued_at", *changes])
    return locked


def generated_files_cleanup(*, now=None) -> int:
    """Delete expired files and their rows, of every kind."""
    now = now or timezone.now()
    n = 0
    for generated in GeneratedFile.objects.filter(expires_at__lte=now).iterator():
        if generated.file:
            generated.file.delete(save=False)
        generated.delete()
        n += 1
    return n
