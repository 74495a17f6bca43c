
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _confidential_default():
    return settings.PORTAL_RETENTION_CONFIDENTIAL_MONTHS


def _pseudonymise_default():
    return settings.PORTAL_RETENTION_PSEUDONYMISE_MONTHS


def _subsidy_default():
    return settings.PORTAL_RETENTION_SUBSIDY_YEARS


class RetentionPolicy(models.Model):
    """How long an organisation keeps what, counted from the worker's exit (docs/domain.md §7)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    confidential_months = models.PositiveSmallIntegerField(
        _("confidential section and health data: months after exit"), default=_confidential_default,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text=_("Removed this many months after the worker's exit. Default 12."),
    )
    pseudonymise_months = models.PositiveSmallIntegerField(
        _("other personal data: months after exit"), default=_pseudonymise_default,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Names, INSZ and contact details are replaced by a pseudonym this many months after exit; "
                    "the records stay so the figures remain correct. Default 24."),
    )
    subsidy_years = models.PositiveSmallIntegerField(
        _("subsidy evidence: years"), default=_subsidy_default,
        validators=[MinValueValidator(10), MaxValueValidator(30)],
        help_text=_("Evidence for subsidies (contracts, attestations, timesheets) is kept this many years. "
                    "At least 10: the period in which state aid can be recovered."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return str(self.organisation)


class Pseudonymisation(models.Model):
    """A worker whose identifying data was replaced by a stub (retention or erasure on request)."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("retention period ended")
        ERASURE = "erasure", _("erasure on request")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker_id = models.BigIntegerField(unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pseudonymisation")
        verbose_name_plural = _("pseudonymisations")

    def __str__(self):
        return f"#{self.worker_id} ({self.reason})"


class ErasureRequest(models.Model):
    """Erasure on request (GDPR art. 17): asked by a coordinator, decided by an org admin (another person)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved and carried out")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker_id = models.BigIntegerField()
    # The name at the time of the request, so the admin knows whom it is about; cleared on approval.
    worker_label = models.CharField(max_length=250)
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(fields=["worker_id"], condition=models.Q(status="pending"),
                                    name="one_pending_erasure_per_worker"),
        ]

    def __str__(self):
        return f"#{self.worker_id} ({self.status})"
