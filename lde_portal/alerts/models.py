import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lde_portal import dates

from .registry import PROVIDERS, label_for


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    SNOOZED = "snoozed", _("Snoozed")
    DONE = "done", _("Done")
    RESOLVED = "resolved", _("Resolved")


ACTIVE_STATES = (AlertState.OPEN, AlertState.SNOOZED)


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (Monday)")
    NONE = "none", _("No e-mail")


class Alert(models.Model):
    """One deadline of one subject, raised by the daily scan.

    The identity is (kind, subject_key, due): the scan inserts with conflicts ignored, so running it twice
    (or a retried task) never raises a second alert. `worker_id` is a plain integer: the platform does not
    import the domain apps.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=50)
    worker_id = models.BigIntegerField(db_index=True)
    subject_key = models.CharField(max_length=100)
    due = models.DateField()
    notify_from = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=AlertState.choices, default=AlertState.OPEN)
    snoozed_until = dates.DateField(date_range=dates.DUE, null=True, blank=True)
    snooze_reason = models.CharField(max_length=300, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey("accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key", "due"], name="alert_unique_kind_subject_due"),
            models.CheckConstraint(condition=~Q(state="snoozed") | Q(snoozed_until__isnull=False),
                                   name="alert_snoozed_has_date"),
        ]
        indexes = [models.Index(fields=["organisation", "state", "due"])]

    def __str__(self):
        return f"{self.kind} {self.subject_key} {self.due:%d/%m/%Y}"

    @property
    def kind_label(self):
        return label_for(self.kind)

    @property
    def is_task(self):
        spec = PROVIDERS.get(self.kind)
        return bool(spec and spec.is_task)


class AlertRecipient(models.Model):
    """Who is told about an alert. `notified_stage` is the last lead-time stage an e-mail digest reported
    (a stage is crossed at each lead time, at the due date and at escalation), claimed with a conditional
    UPDATE so a retried digest never reports the same stage twice."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="alert_rows")
    escalation = models.BooleanField(default=False)
    notified_stage = models.PositiveSmallIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "membership"], name="alert_recipient_unique"),
        ]
        indexes = [models.Index(fields=["membership", "alert"])]

    def __str__(self):
        return f"{self.alert_id} → {self.membership_id}"


class AlertSettings(models.Model):
    """Per-organisation knobs of the alerting (org admin page "Meldingen instellen")."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="alert_settings")
    # {kind: [lead times in the kind's unit, e.g. 12, 6, 3 months]}; a kind missing here uses the default
    # its provider registered.
    lead_times = models.JSONField(default=dict, blank=True)
    feedback_grace_days = models.PositiveSmallIntegerField(_("feedback grace period (days)"), default=10)
    escalation_delay_days = models.PositiveSmallIntegerField(_("escalation delay (days)"), default=14)
    default_digest = models.CharField(_("default e-mail digest"), max_length=10, choices=DigestFrequency.choices,
                                      default=DigestFrequency.WEEKLY)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Alert settings of {self.organisation_id}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AlertPreference(models.Model):
    """A member's own choices: digest frequency and the private calendar-feed token."""

    membership = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE, related_name="alert_preference")
    # Empty = the organisation's default.
    digest = models.CharField(_("e-mail digest"), max_length=10, choices=DigestFrequency.choices, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    def __str__(self):
        return f"Alert preference of {self.membership_id}"


class DigestLog(models.Model):
    """One row per member and digest period ("2026-11-23" or "2026-W48"). Sending claims the row with a
    conditional UPDATE of `claimed_at`, so a retried or duplicated task sends at most one e-mail."""

    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="digest_logs")
    period = models.CharField(max_length=10)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    alert_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "period"], name="digest_once_per_period")]

    def __str__(self):
        return f"Digest {self.membership_id} {self.period}"
