"""Exits and aftercare (domain.md §3.7): the end of the worker's path and the follow-ups that make
durable throughflow measurable."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.validators import format_enterprise_number, normalise_enterprise_number


class ExitReason(models.TextChoices):
    # domain.md §3.7. The first two are throughflow: they count in the numerator of the ratio.
    EXTERNAL = "external", _("External throughflow to a regular employer")
    INTERNAL = "internal", _("Internal throughflow (regular job within the organisation)")
    OTHER_SOCIAL_ECONOMY = "other_social_economy", _("To other social economy, custom work or sheltered work")
    NO_LONGER_NEEDED = "no_longer_needed", _("Support ended: no longer needed")
    REFUSED = "refused", _("Refused throughflow")
    DROP_OUT = "drop_out", _("Drop-out")
    DISMISSAL = "dismissal", _("Dismissal")
    RETIREMENT = "retirement", _("Retirement")
    ILLNESS = "illness", _("Long-term illness")
    DEATH = "death", _("Death")
    END_OF_TERM = "end_of_term", _("End of term without throughflow")


THROUGHFLOW_REASONS = (ExitReason.EXTERNAL, ExitReason.INTERNAL)


class ExitContractType(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended")
    FIXED_TERM = "fixed_term", _("Fixed term")
    TEMPORARY_AGENCY = "temporary_agency", _("Temporary agency work")
    OTHER = "other", _("Other")


class SupportAfterExit(models.TextChoices):
    NONE = "none", _("None")
    IMW = "imw", _("IMW (individual custom work)")
    CMW = "cmw", _("Collective custom work")
    OTHER = "other", _("Other")


class Employer(models.Model):
    """A regular employer of the organisation's directory: where workers do internships and get hired."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, blank=True,
                                         help_text=_("10 digits, e.g. 0123.456.749"))
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    contacts = models.TextField(_("contacts"), blank=True,
                                help_text=_("Contact persons with their role, phone and email, one per line."))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "enterprise_number"], condition=~Q(enterprise_number=""),
                                    name="employer_number_unique_per_org"),
        ]

    def __str__(self):
        return self.name

    @property
    def enterprise_number_display(self):
        return format_enterprise_number(self.enterprise_number)

    def clean(self):
        if self.enterprise_number:
            try:
                self.enterprise_number = normalise_enterprise_number(self.enterprise_number)
            except ValidationError as exc:
                raise ValidationError({"enterprise_number": exc.messages}) from None


class Exit(models.Model):
    """The worker's exit. Activity and coach are kept as they were on the exit date: the ratio is
    reported per activity and per coach after the assignments have ended."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.OneToOneField("trajects.Worker", on_delete=models.CASCADE, related_name="exit")
    date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason"), max_length=30, choices=ExitReason.choices)
    destination_employer = models.CharField(_("destination employer"), max_length=200, blank=True)
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="hires",
                                 verbose_name=_("employer in the directory"))
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ExitContractType.choices,
                                     blank=True)
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    support_after = models.CharField(_("support after exit"), max_length=10, choices=SupportAfterExit.choices,
                                     default=SupportAfterExit.NONE)
    note = models.TextField(_("note"), blank=True)
    trajectory = models.ForeignKey("trajects.Trajectory", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    activity = models.ForeignKey("accounts.Activity", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("activity"))
    coach = models.ForeignKey("accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("coach"))
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        constraints = [
            models.CheckConstraint(condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gt=0) & Q(weekly_hours__lte=50),
                                   name="exit_hours_range"),
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self):
        return f"{self.worker}: {self.get_reason_display()} ({self.date:%d/%m/%Y})"

    @property
    def is_throughflow(self):
        return self.reason in THROUGHFLOW_REASONS


class FollowUp(models.Model):
    """An aftercare follow-up at N months after the exit (rules.aftercare_followups): a stored deadline."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey(Exit, on_delete=models.CASCADE, related_name="followups")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField(_("months after exit"))
    due = models.DateField(_("due"))
    done_on = models.DateField(_("date of contact"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    same_employer = models.BooleanField(_("same employer"), null=True, blank=True)
    support_needed = models.BooleanField(_("support needed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("aftercare follow-up")
        verbose_name_plural = _("aftercare follow-ups")
        constraints = [models.UniqueConstraint(fields=["exit", "months"], name="followup_unique_month")]
        indexes = [models.Index(fields=["organisation", "done_on", "due"])]

    def __str__(self):
        return f"{self.worker} +{self.months}m ({self.due:%d/%m/%Y})"


class TrackPhase(models.TextChoices):
    # VDAB throughflow practice (domain.md §3.6); maxima in the rule table (trajects.rules.phase_due).
    PREPARATION = "preparation", _("Preparation")
    JOB_MATCHING = "job_matching", _("Job matching")
    INTERNSHIP = "internship", _("Internship")
    AFTERCARE = "aftercare", _("Aftercare")


class Track(models.Model):
    """A throughflow track (doorstroomtraject) opened on a favourable VDAB decision."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="throughflow_tracks")
    decision_date = models.DateField(_("date of the favourable decision"))
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    start = models.DateField(_("start of the track"))
    late_start_reason = models.TextField(_("reason for a late start"), blank=True)
    coach_name = models.CharField(_("throughflow coach"), max_length=150,
                                  help_text=_("The coach mandated by VDAB (outside the organisation)."))
    coach_organisation = models.CharField(_("organisation of the throughflow coach"), max_length=150, blank=True)
    coach_contact = models.CharField(_("contact of the throughflow coach"), max_length=150, blank=True)
    budget_hours = models.PositiveSmallIntegerField(_("coaching budget (hours)"))
    phase = models.CharField(_("phase"), max_length=20, choices=TrackPhase.choices, default=TrackPhase.PREPARATION)
    phase_start = models.DateField(_("phase since"))
    phase_due = models.DateField(_("phase ends at the latest"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Readiness part: the indication app's favourable throughflow decision the track was opened on
    # (None: entered by hand), and the first day of the running pause (stored so the phase-maximum
    # alert provider skips paused tracks with the same single range query).
    decision_advice = models.ForeignKey("indication.Advice", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("VDAB decision"))
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("throughflow track")
        verbose_name_plural = _("throughflow tracks")
        indexes = [models.Index(fields=["organisation", "closed_on", "phase_due"])]

    def __str__(self):
        return f"{self.worker} ({self.start:%d/%m/%Y})"


class CoachingHours(models.Model):
    """Coaching hours of the track, logged against its budget; hours beyond it are allowed and flagged."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("coaching hours")
        verbose_name_plural = _("coaching hours")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=12), name="coaching_hours_range")]

    def __str__(self):
        return f"{self.hours} h ({self.date:%d/%m/%Y})"


# --------------------------------------------------------------------------- readiness (domain.md §3.6)


class Determinant(models.TextChoices):
    # What VDAB weighs in a throughflow evaluation (domain.md §3.6) plus what coaches check with the worker.
    HEALTH = "health", _("Health")
    MOBILITY = "mobility", _("Mobility and commute")
    FAMILY = "family", _("Childcare and family")
    FINANCES = "finances", _("Finances")
    DUTCH = "dutch", _("Dutch")
    COMPETENCES = "competences", _("Competences (POP)")
    MOTIVATION = "motivation", _("Motivation")
    JOB_TARGET = "job_target", _("Realism of the job target")


# domain.md §7: health, the family situation and money problems are context information of the confidential
# section. Their assessment and note are shown only to those who may read that section (can_read_confidential).
SENSITIVE_DETERMINANTS = frozenset({Determinant.HEALTH, Determinant.FAMILY, Determinant.FINANCES})


class Assessment(models.TextChoices):
    READY = "ready", _("Ready")
    ATTENTION = "attention", _("Point of attention")
    OBSTACLE = "obstacle", _("Obstacle")


class ReadinessDecision(models.TextChoices):
    REQUEST = "request", _("Request a VDAB throughflow evaluation")
    NOT_YET = "not_yet", _("Not yet: check again later")


class ReadinessCheck(models.Model):
    """A dated readiness check by coach and worker; "request" creates the indication app's evaluation request."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="readiness_checks")
    date = models.DateField(_("date of the check"))
    worker_took_part = models.BooleanField(_("the worker took part"), default=True)
    summary = models.TextField(_("summary"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ReadinessDecision.choices)
    next_check = models.DateField(_("next check"), null=True, blank=True)
    evaluation_request = models.ForeignKey("indication.EvaluationRequest", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("evaluation request"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("readiness check")
        verbose_name_plural = _("readiness checks")
        constraints = [
            models.CheckConstraint(condition=Q(next_check__isnull=True) | Q(next_check__gt=F("date")),
                                   name="readiness_next_check_after_date"),
        ]
        indexes = [models.Index(fields=["worker", "-date"])]

    def __str__(self):
        return f"{self.worker} ({self.date:%d/%m/%Y})"


class ReadinessAnswer(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    readiness_check = models.ForeignKey(ReadinessCheck, on_delete=models.CASCADE, related_name="answers")
    determinant = models.CharField(_("determinant"), max_length=15, choices=Determinant.choices)
    assessment = models.CharField(_("assessment"), max_length=10, choices=Assessment.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")
        constraints = [models.UniqueConstraint(fields=["readiness_check", "determinant"], name="readiness_answer_once")]

    def __str__(self):
        return f"{self.get_determinant_display()}: {self.get_assessment_display()}"

    @property
    def sensitive(self):
        return self.determinant in SENSITIVE_DETERMINANTS


# --------------------------------------------------------------------------- track pauses


class TrackPause(models.Model):
    """A pause of the track (illness, family reasons, ...): the current phase's clock stops until resumed_on,
    and the phase's last day moves by the paused days (throughflow.rules.phase_due_after_pause)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="pauses")
    paused_from = models.DateField(_("paused from"))
    reason = models.CharField(_("reason for the pause"), max_length=300)
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    resume_note = models.CharField(_("note at the resumption"), max_length=300, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=TrackPhase.choices)
    phase_due_before = models.DateField(_("phase ended at the latest (before the pause)"))
    phase_due_after = models.DateField(_("phase ends at the latest (after the pause)"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resumed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paused_from", "-id"]
        verbose_name = _("pause of the track")
        verbose_name_plural = _("pauses of the track")
        constraints = [
            models.CheckConstraint(condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("paused_from")),
                                   name="trackpause_resume_after_pause"),
        ]

    def __str__(self):
        return f"{self.track} {self.paused_from:%d/%m/%Y}"

    @property
    def days(self):
        return (self.resumed_on - self.paused_from).days if self.resumed_on else None


# --------------------------------------------------------------------------- organisation settings


class ThroughflowSettings(models.Model):
    """Per-organisation knobs of the throughflow app (Beheer → Doorstroom)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # Months after the exit; empty = the rule table's GENERAL.aftercare_followup_months (1, 3, 6, 12).
    followup_months = models.JSONField(_("aftercare follow-ups (months after exit)"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("throughflow settings")
        verbose_name_plural = _("throughflow settings")

    def __str__(self):
        return f"Throughflow settings of {self.organisation_id}"
