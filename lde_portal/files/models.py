from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lde_portal import uploads
from lde_portal.queue import job_is_stale


class FileStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# GeneratedFile.error of a job that never reached a worker, and of one stopped because its member lost the
# permission: the page explains each; the first is offered again, the second not.
NOT_QUEUED = "not_queued"
PERMISSION = "permission"


class GeneratedFile(models.Model):
    """A file the portal built for a member of an organisation (lde_portal/files/__init__.py).

    It belongs to the organisation: its members with the kind's permission download it, anybody else gets
    404 (403 for a member without the permission), and after `expires_at` it is a 404 too and the nightly
    cleanup deletes it."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    # The owner: the job runs with their membership, re-checked when it runs.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # What the job needs to build the file (an export's filters, a batch's workers), as the kind defines it.
    params = models.JSONField(default=dict, blank=True)
    # A worker the file is about (a subject-access file), for the audit trail of its download.
    worker_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # The job's own failure: NOT_QUEUED, PERMISSION, "error", or a message.
    error = models.CharField(max_length=300, blank=True)
    # Items that failed on their own: [{"worker": "A. B.", "worker_id": 12, "error": "..."}].
    errors = models.JSONField(default=list, blank=True)
    file = uploads.private_file_field("generated", blank=True)
    filename = models.CharField(max_length=150)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a failed or lost job is queued again; the stale check counts from here (else from created_at).
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "-created_at"])]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")

    def __str__(self):
        return self.filename

    @property
    def finished(self):
        return self.status in (FileStatus.DONE, FileStatus.FAILED)

    @property
    def stalled(self):
        """Still waiting long after it was queued: the message or the worker holding it was lost."""
        return self.status == FileStatus.PENDING and job_is_stale(self.queued_at or self.created_at)

    @property
    def retryable(self):
        # A lost permission is not retried: the member may no longer ask for this file.
        return self.stalled or (self.status == FileStatus.FAILED and self.error != PERMISSION)

    @property
    def not_queued(self):
        return self.status == FileStatus.FAILED and self.error == NOT_QUEUED

    @property
    def percent(self):
        if self.status == FileStatus.DONE:
            return 100
        return min(99, int(100 * (self.done + self.failed) / self.total)) if self.total else 0
