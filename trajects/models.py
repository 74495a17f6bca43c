from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn

from lde_portal import dates, uploads
from lde_portal.accounts.validators import format_insz, normalise_insz, normalise_postal_code

from . import rules
from .rules import explain


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
    birth_date = dates.DateField(_("date of birth"), date_range=dates.BIRTH)
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
    status_since = dates.DateField(_("status since"), date_range=dates.WORKING_LIFE)
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
        try:
            self.postal_code = normalise_postal_code(self.postal_code)
        except ValidationError as exc:
            errors["postal_code"] = exc.messages
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
    contract_start = dates.DateField(_("contract start"), date_range=dates.WORKING_LIFE)
    contract_end = dates.DateField(_("contract end"), date_range=dates.WORKING_LIFE, null=True, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, default=ContractType.OPEN_ENDED
    )
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    fte = models.DecimalField(_("FTE fraction"), max_digits=4, decimal_places=3, help_text=_("e.g. 0.8 for 4/5"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

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
        indexes = [
            models.Index(fields=["organisation", "activity"]),
            # "The worker's latest contract" (current activity, hours, FTE) is a correlated subquery ordered
            # this way in the lists, dashboards and exports: one index probe per worker, no sort (issue #10).
            models.Index(fields=["worker", "-contract_start", "-id"], name="employment_latest_idx"),
        ]

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
    start = dates.DateField(_("from"), date_range=dates.WORKING_LIFE)
    end = dates.DateField(_("until"), date_range=dates.WORKING_LIFE, null=True, blank=True)

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
    date = dates.DateField(_("date"), date_range=dates.WORKING_LIFE)
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


# --------------------------------------------------------------------------- trajectories (issue #3)
# The legal arithmetic lives in trajects/rules.py; these tables hold the facts it needs and the
# deadlines it returns. Field and kind names follow rules.py exactly (the alert platform reads them).


class Regime(models.TextChoices):
    LDE = "LDE", _("LDE")
    TRANSITION = "TRANSITION", _("LDE → IMW transition")
    IMW_5Y = "IMW_5Y", _("IMW (5 years, renewable)")
    IMW_2Y = "IMW_2Y", _("IMW (2 years, not renewable)")
    CMW = "CMW", _("Collective custom work")


class RuleRegime(models.TextChoices):
    """Regimes of the rule table: the trajectory regimes plus the cross-cutting rows."""

    GENERAL = "GENERAL", _("General")
    LDE = "LDE", _("LDE")
    TRANSITION = "TRANSITION", _("LDE → IMW transition")
    IMW_5Y = "IMW_5Y", _("IMW (5 years, renewable)")
    IMW_2Y = "IMW_2Y", _("IMW (2 years, not renewable)")
    CMW = "CMW", _("Collective custom work")
    SINE = "SINE", _("SINE")


class RegimeRule(models.Model):
    """One legal (or practice) number of one regime, valid over a period (rules.Rule, as data).

    Loaded from rule_data.DEFAULT_RULES by migration 0003; superusers amend it in the Django admin
    (an amendment is a new row with valid_from, the old row gets valid_to).
    """

    regime = models.CharField(_("regime"), max_length=20, choices=RuleRegime.choices)
    key = models.CharField(_("key"), max_length=60)
    value = models.JSONField(_("value"))
    unit = models.CharField(_("unit"), max_length=20)
    valid_from = dates.DateField(_("valid from"), date_range=dates.RULE_TABLE, null=True, blank=True)
    valid_to = dates.DateField(_("valid to"), date_range=dates.RULE_TABLE, null=True, blank=True)
    source = models.CharField(_("legal source"), max_length=300)
    label_nl = models.CharField(_("label (Dutch)"), max_length=300)

    class Meta:
        ordering = ["regime", "key", "valid_from"]
        verbose_name = _("regime rule")
        verbose_name_plural = _("regime rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="regimerule_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.regime}.{self.key}"

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("The end of validity lies before its start.")]
        checks = {"date": "as_date", "months_list": "as_ints"}
        if self.regime and self.key and not errors:
            candidate = rules.Rule(self.regime, self.key, tuple(self.value) if isinstance(self.value, list)
                                   else self.value, self.unit, self.valid_from, self.valid_to, "", "")
            try:
                getattr(candidate, checks.get(self.unit, "as_int"))()
                others = RegimeRule.objects.filter(regime=self.regime, key=self.key).exclude(pk=self.pk)
                rules.RuleSet([*rules.RuleSet.from_rows(others), candidate])
            except rules.RuleTableError as exc:
                errors["value" if "verwacht" in str(exc) else "valid_from"] = [str(exc)]
        if errors:
            raise ValidationError(errors)


class PhaseDefinition(models.Model):
    """A phase of the organisation's own trajectory model (docs/domain.md §3), e.g. "Wennen aan werk"."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    expected_months = models.PositiveSmallIntegerField(_("expected duration (months)"), null=True, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="phase_name_unique_per_org")]

    def __str__(self):
        return self.name


class ClosedReason(models.TextChoices):
    REGIME_CHANGE = "regime_change", _("Regime change")
    EXIT = "exit", _("Exit")
    END_OF_TERM = "end_of_term", _("End of term")
    OTHER = "other", _("Other")


class Trajectory(models.Model):
    """One insertion trajectory under one legal regime. A regime change closes it and opens the next."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="trajectories")
    regime = models.CharField(_("regime"), max_length=20, choices=Regime.choices)
    # rules.Facts.start: the hire date that the legal term counts from (a transition keeps the LDE hire date).
    start = dates.DateField(_("start of employment"), date_range=dates.WORKING_LIFE)
    decision_date = dates.DateField(_("DWSE decision date"), date_range=dates.LDE_ERA, null=True, blank=True)
    # The day this trajectory took effect: the start, or the day of the regime change that opened it.
    opened_on = dates.DateField(_("in effect from"), date_range=dates.WORKING_LIFE)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True, db_index=True)
    closed_on = dates.DateField(_("closed on"), date_range=dates.WORKING_LIFE, null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosedReason.choices,
                                     blank=True)
    current_phase = models.ForeignKey(PhaseDefinition, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("current phase"))
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="next", verbose_name=_("previous trajectory"))
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    next_due_kind = models.CharField(_("kind of the next deadline"), max_length=60, blank=True)
    # The latest VDAB evaluation requested while this trajectory is open, kept by the indication app
    # (trajectory_evaluation_requested): the evaluation deadlines and the end alert are answered by it
    # without this app reading the indication tables.
    evaluation_requested_on = models.DateField(_("VDAB evaluation requested on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.UniqueConstraint(fields=["worker"], condition=Q(closed_on__isnull=True),
                                    name="trajectory_one_open_per_worker"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                                   name="trajectory_closed_after_opened"),
            models.CheckConstraint(condition=Q(opened_on__gte=F("start")), name="trajectory_opened_after_start"),
            models.CheckConstraint(condition=Q(regime__in=Regime.values), name="trajectory_regime_valid"),
        ]
        indexes = [
            models.Index(fields=["organisation", "planned_end"]),
            models.Index(fields=["organisation", "next_due"]),
            models.Index(fields=["next_due_kind", "next_due"]),
        ]

    def __str__(self):
        return f"{self.worker} — {self.get_regime_display()} ({self.start:%d/%m/%Y})"

    @property
    def is_open(self):
        return self.closed_on is None


class SuspensionReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    MATERNITY = "maternity", _("Maternity leave")
    PANDEMIC = "pandemic", _("Pandemic (COVID-19)")
    OTHER = "other", _("Other")


class Suspension(models.Model):
    """A period (both ends inclusive) during which the trajectory clock stops (rules.Suspension)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(_("reason"), max_length=20, choices=SuspensionReason.choices)
    start = dates.DateField(_("from"), date_range=dates.GUIDANCE)
    end = dates.DateField(_("to"), date_range=dates.GUIDANCE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="suspension_end_after_start"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def days(self):
        return (self.end - self.start).days + 1


class ExtensionReason(models.TextChoices):
    SIXTH_YEAR = "SIXTH_YEAR", _("Exceptional sixth year")
    AGE_55 = "AGE_55", _("55+ without a regular vacancy")
    ILLNESS = "ILLNESS", _("Illness")
    OTHER = "OTHER", _("Other")


class Extension(models.Model):
    """A recorded extension decision (rules.Extension), with its supporting document."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="extensions")
    reason = models.CharField(_("reason"), max_length=20, choices=ExtensionReason.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    decision_date = dates.DateField(_("decision date"), date_range=dates.LDE_ERA)
    # A random name: the original file name may reveal health information and must not be guessable.
    document = uploads.private_file_field("extensions", _("document"), blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision_date", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [models.CheckConstraint(condition=Q(months__lte=120), name="extension_months_range")]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.decision_date:%d/%m/%Y})"


class PhasePeriod(models.Model):
    """The phase history of a trajectory: each row runs until the next row's start."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="phase_periods")
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("phase"))
    start = dates.DateField(_("since"), date_range=dates.WORKING_LIFE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("phase period")
        verbose_name_plural = _("phase periods")

    def __str__(self):
        return f"{self.phase} ({self.start:%d/%m/%Y})"


class Milestone(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="milestones")
    date = dates.DateField(_("date"), date_range=dates.GUIDANCE)
    label = models.CharField(_("milestone"), max_length=150)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.label} ({self.date:%d/%m/%Y})"


class SineStatus(models.Model):
    """SINE runs alongside the trajectory as a separate status; its end follows from rules.sine_end."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="sine_statuses")
    start = dates.DateField(_("SINE from"), date_range=dates.GUIDANCE)
    end = models.DateField(_("SINE until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("SINE status")
        verbose_name_plural = _("SINE statuses")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="sine_end_after_start"),
            models.UniqueConstraint(fields=["worker", "start"], name="sine_unique_start_per_worker"),
        ]

    def __str__(self):
        return f"SINE {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class TrajectoryDeadline(models.Model):
    """Every deadline rules.compute() returns for an open trajectory, stored for range queries.

    Contract for the alert platform (docs/trajectories.md): rows exist only for open trajectories and
    are replaced, in the same transaction, whenever a service changes the trajectory; `kind` is the
    rules.py name (trajectory_end, first_pop_due, ...).
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="deadlines")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=60)
    due = models.DateField(_("due"))
    rule = models.CharField(_("rule"), max_length=300)
    source = models.CharField(_("legal source"), max_length=300)
    # rules.Deadline.reason as JSON: shown through rules.explain in the reader's language. Rows stored before
    # it existed have [] until the nightly refresh (trajects.refresh_deadlines) recomputes them.
    reason = models.JSONField(_("reason"), default=list, blank=True)

    class Meta:
        ordering = ["due", "kind"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "kind"], name="deadline_unique_kind_per_trajectory"),
        ]
        indexes = [models.Index(fields=["organisation", "due"]), models.Index(fields=["kind", "due"])]

    def __str__(self):
        return f"{self.kind} {self.due:%d/%m/%Y}"

    @property
    def rule_ref(self) -> str:
        """The rule table's "<regime>.<key>" this deadline comes from."""
        return self.rule.split(":", 1)[0]

    @property
    def explanation(self) -> str:
        return explain(self.reason)
