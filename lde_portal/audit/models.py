from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    READ_CONFIDENTIAL = "read_confidential", _("confidential section read")
    EXPORT = "export", _("exported")
    DOWNLOAD = "download", _("downloaded")
    LOGIN = "login", _("logged in")


class AuditEntry(models.Model):
    """Append-only trail: who did what to which record, and when (docs/domain.md §7).

    There is no edit or delete path for these rows in the portal; the admin shows them read-only.
    `worker_id` is a plain integer rather than a foreign key: the platform never imports the domain
    apps, and the trail must outlive an erased worker.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40, blank=True)
    worker_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["worker_id", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"
