from django.db import models
from django.utils.translation import gettext_lazy as _

from lde_portal import uploads
from lde_portal.queue import job_is_stale


class FileStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedFile(models.Model):
    """A large export built in the background (docs/reports.md), kept for PORTAL_GENERATED_FILE_DAYS.

    It belongs to the organisation: members of it with the exporter's permission download it, anybody
    else gets 404, and after `expires_at` it is a 404 too and the nightly cleanup deletes it.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    exporter = models.CharField(max_length=60)
    format = models.CharField(max_length=4)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    file = uploads.private_file_field("reports", blank=True)
    filename = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a failed or lost job is queued again; the stale check counts from here (else from created_at).
    queued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

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
        # A lost permission is not retried: the member may no longer export this list.
        return self.stalled or (self.status == FileStatus.FAILED and self.error != "permission")

    @property
    def percent(self):
        if self.status == FileStatus.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0
