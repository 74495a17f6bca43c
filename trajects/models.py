from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn

from lde_portal.accounts.validators import format_insz, normalise_insz


class WorkerStatus(models.TextChoices):
    RECRUITMENT = "recruitment", _("In recruitment")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Exited")


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    X = "X", _("X / other")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No diploma")
    PRIMARY = "primary", _("Primary education")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary education")
    HIGHER_SECONDARY = "higher_secondary", _("Upper secondary education")
    HIGHER = "higher", _("Higher education")
    FOREIGN = "foreign", _("Foreign diploma (not recognised)")
    UNKNOWN = "unknown", _("Unknown")


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    EN = "en", _("English")
    AR = "ar", _("Arabic")
    TR = "tr", _("Turkish")
    PL = "pl", _("Polish")
    RO = "ro", _("Romanian")
    RU = "ru", _("Russian")
    TI = "ti", _("Tigrinya")
    FA = "fa", _("Persian / Dari")
    SO = "so", _("Somali")
    UK = "uk", _("Ukrainian")
    OTHER = "other", _("Other")


class Worker(models.Model):
    """A target-group worker (doelgroepwerknemer) of one organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="workers")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("family name"), max_length=100)
    insz = models.CharField(
        _("INSZ (national register number)"), max_length=11, help_text=_("11 digits, e.g. 85.07.30-033.28")
    )
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.NL
    )
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkerStatus.choices, default=WorkerStatus.RECRUITMENT
    )
    status_since = models.DateField(_("status since"))
    # Optimistic concurrency: every save through the services bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "insz"], name="worker_insz_unique_per_org"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "last_name"]),
            models.Index(fields=["organisation", "last_name", "first_name"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self):
        return f"{self.first_name[:1]}. {self.last_name[:1]}.".upper()

    @property
    def insz_display(self):
        return format_insz(self.insz)

    @property
    def address(self):
        return ", ".join(p for p in [self.street, f"{self.postal_code} {self.municipality}".strip()] if p)

    def clean_fields(self, exclude=None):
        # The birth date may be left empty: it is derived from the INSZ before field validation.
        if not self.birth_date and self.insz:
            try:
                self.birth_date = nn.get_birth_date(self.insz)
            except Exception:  # noqa: S110 — an invalid INSZ is reported by clean()
                pass
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.insz:
            try:
                self.insz = normalise_insz(self.insz)
            except ValidationError as exc:
                errors["insz"] = exc.messages
            else:
                derived = nn.get_birth_date(self.insz)
                if derived and self.birth_date and derived != self.birth_date:
                    errors["birth_date"] = [
                        _("The date of birth does not match the INSZ number (%(date)s).")
                        % {"date": derived.strftime("%d/%m/%Y")}
                    ]
                elif derived and not self.birth_date:
                    self.birth_date = derived
        if errors:
            raise ValidationError(errors)


class ContractType(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended")
    FIXED_TERM = "fixed_term", _("Fixed term")
    REPLACEMENT = "replacement", _("Replacement contract")
    OTHER = "other", _("Other")


class Employment(models.Model):
    """An employment contract: the employment start is what the legal terms count from."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="employments")
    activity = models.ForeignKey(
        "accounts.Activity", on_delete=models.PROTECT, related_name="employments", verbose_name=_("activity")
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, default=ContractType.OPEN_ENDED
    )
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    fte = models.DecimalField(_("FTE fraction"), max_digits=4, decimal_places=3, help_text=_("e.g. 0.8 for 4/5"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contract_start", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True) | Q(contract_end__gte=F("contract_start")),
                name="employment_end_after_start",
            ),
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="employment_fte_range"),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=50), name="employment_hours_range"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "activity"])]

    def __str__(self):
        return f"{self.worker} — {self.activity} ({self.contract_start:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = [_("The end of the contract is before its start.")]
        if self.fte is not None and not (0 < self.fte <= 1):
            errors["fte"] = [_("The FTE fraction is between 0 and 1 (e.g. 0.8 for 4/5).")]
        if self.weekly_hours is not None and not (0 < self.weekly_hours <= 50):
            errors["weekly_hours"] = [_("Enter a number of hours per week between 0 and 50.")]
        if errors:
            raise ValidationError(errors)


class CoachRole(models.TextChoices):
    JOB_COACH = "job_coach", _("Job coach")
    TECHNICAL_INSTRUCTOR = "technical_instructor", _("Technical instructor")
    TRAJECTORY_COACH = "trajectory_coach", _("Trajectory coach")


class CoachAssignment(models.Model):
    """Several coaches per worker are common (job coach + technical instructor tandem)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("coach")
    )
    role = models.CharField(_("role"), max_length=30, choices=CoachRole.choices, default=CoachRole.JOB_COACH)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="assignment_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["coach", "end"]), models.Index(fields=["worker", "end"])]

    def __str__(self):
        return f"{self.coach.user} → {self.worker} ({self.get_role_display()})"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": [_("The end date is before the start date.")]})


class StatusChange(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=WorkerStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self):
        return f"{self.worker}: {self.get_status_display()} ({self.date:%d/%m/%Y})"
