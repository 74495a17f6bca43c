"""Exits and aftercare (docs/domain.md §3.7): the end of the worker's path and the follow-ups that make
durable throughflow measurable."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.accounts.validators import format_enterprise_number, normalise_enterprise_number


class ExitReason(models.TextChoices):
    # docs/domain.md §3.7. The first two are throughflow: they count in the numerator of the ratio.
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
    date = dates.DateField(_("exit date"), date_range=dates.GUIDANCE)
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
    done_on = dates.DateField(_("date of contact"), date_range=dates.GUIDANCE, null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    same_employer = models.BooleanField(_("same employer"), null=True, blank=True)
    support_needed = models.BooleanField(_("support needed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("aftercare follow-up")
        verbose_name_plural = _("aftercare follow-ups")
        constraints = [models.UniqueConstraint(fields=["exit", "months"], name="followup_unique_month")]
        indexes = [models.Index(fields=["organisation", "done_on", "due"])]

    def __str__(self):
        return f"{self.worker} +{self.months}m ({self.due:%d/%m/%Y})"


class TrackPhase(models.TextChoices):
    # VDAB throughflow practice (docs/domain.md §3.6); maxima in the rule table (trajects.rules.phase_due).
    PREPARATION = "preparation", _("Preparation")
    JOB_MATCHING = "job_matching", _("Job matching")
    INTERNSHIP = "internship", _("Internship")
    AFTERCARE = "aftercare", _("Aftercare")


class Track(models.Model):
    """A throughflow track (doorstroomtraject) opened on a favourable VDAB decision."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="throughflow_tracks")
    decision_date = dates.DateField(_("date of the favourable decision"), date_range=dates.LDE_ERA)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    start = dates.DateField(_("start of the track"), date_range=dates.LDE_ERA)
    late_start_reason = models.TextField(_("reason for a late start"), blank=True)
    coach_name = models.CharField(_("throughflow coach"), max_length=150,
                                  help_text=_("The coach mandated by VDAB (outside the organisation)."))
    coach_organisation = models.CharField(_("organisation of the throughflow coach"), max_length=150, blank=True)
    coach_contact = models.CharField(_("contact of the throughflow coach"), max_length=150, blank=True)
    budget_hours = models.PositiveSmallIntegerField(_("coaching budget (hours)"))
    phase = models.CharField(_("phase"), max_length=20, choices=TrackPhase.choices, default=TrackPhase.PREPARATION)
    phase_start = dates.DateField(_("phase since"), date_range=dates.GUIDANCE)
    phase_due = models.DateField(_("phase ends at the latest"))
    closed_on = dates.DateField(_("closed on"), date_range=dates.GUIDANCE, null=True, blank=True)
    # Readiness part: the indication app's favourable throughflow decision the track was opened on
    # (None: entered by hand), and the first day of the running pause (stored so the phase-maximum
    # alert provider skips paused tracks with the same single range query).
    decision_advice = models.ForeignKey("indication.Advice", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("VDAB decision"))
    paused_since = dates.DateField(_("paused since"), date_range=dates.GUIDANCE, null=True, blank=True)
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
    date = dates.DateField(_("date"), date_range=dates.GUIDANCE)
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


# --------------------------------------------------------------------------- placement (issue #6 part 2)
# Job target, applications, internships and the warm handover (docs/domain.md §3.6).


class WorkType(models.TextChoices):
    # docs/domain.md §3.6: the job target is matched to a type of work.
    REGULAR = "regular", _("Regular job")
    SOCIAL_ECONOMY = "social_economy", _("Social economy")
    CUSTOM_WORK = "custom_work", _("Custom work")


class JobTarget(models.Model):
    """The worker's current job target (jobdoelwit). One per worker, not per track: it is set while
    readiness is judged, before any track exists, and it outlives a closed track. Earlier values are kept
    in the audit trail (every change stores old → new; of the confidential childcare and pay conditions only
    the fact that they changed, see services.CONFIDENTIAL_JOB_TARGET_FIELDS)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.OneToOneField("trajects.Worker", on_delete=models.CASCADE, related_name="job_target")
    occupation = models.CharField(_("occupation"), max_length=150)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    region = models.CharField(_("region"), max_length=150, blank=True)
    max_commute_minutes = models.PositiveSmallIntegerField(_("maximum commute (minutes, one way)"), null=True,
                                                           blank=True)
    work_type = models.CharField(_("type of work"), max_length=20, choices=WorkType.choices,
                                 default=WorkType.REGULAR)
    childcare = models.CharField(_("childcare"), max_length=300, blank=True)
    pay_expectation = models.CharField(_("pay expectation"), max_length=200, blank=True)
    other_conditions = models.TextField(_("other conditions"), blank=True)
    set_on = dates.DateField(_("set on"), date_range=dates.GUIDANCE)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("last changed by"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("job target")
        verbose_name_plural = _("job targets")
        constraints = [
            models.CheckConstraint(condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gt=0) & Q(weekly_hours__lte=50),
                                   name="jobtarget_hours_range"),
        ]

    def __str__(self):
        return self.occupation


class ApplicationChannel(models.TextChoices):
    VDAB_VACANCY = "vdab_vacancy", _("VDAB vacancy")
    SPONTANEOUS = "spontaneous", _("Spontaneous application")
    NETWORK = "network", _("Network")
    TEMP_AGENCY = "temp_agency", _("Temporary work agency")
    THROUGHFLOW_COACH = "throughflow_coach", _("Via the throughflow coach")
    OTHER = "other", _("Other")


class ApplicationResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    NO_RESPONSE = "no_response", _("No response")
    REJECTED = "rejected", _("Rejected")
    INTERVIEW = "interview", _("Invited for an interview")
    OFFERED = "offered", _("Job offered")
    HIRED = "hired", _("Hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """A job application (sollicitatie) of the worker."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="job_applications")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications",
                                 verbose_name=_("employer in the directory"))
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    date = dates.DateField(_("date of application"), date_range=dates.GUIDANCE)
    channel = models.CharField(_("channel"), max_length=20, choices=ApplicationChannel.choices)
    position = models.CharField(_("vacancy or position"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ApplicationResult.choices,
                              default=ApplicationResult.PENDING)
    result_date = dates.DateField(_("date of the result"), date_range=dates.GUIDANCE, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.employer_name} ({self.date:%d/%m/%Y})"


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – not good")
    FAIR = 2, _("2 – reasonable")
    GOOD = 3, _("3 – good")
    VERY_GOOD = 4, _("4 – very good")


class InternshipResult(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    JOB_OFFERED = "job_offered", _("Completed with a job offer")
    STOPPED = "stopped", _("Stopped early")


class Internship(models.Model):
    """An internship (stage) at a regular employer of the directory: the employer is required so the
    directory can show its internship history across the organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="internships")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="internships",
                                 verbose_name=_("employer"))
    start = dates.DateField(_("start"), date_range=dates.GUIDANCE)
    end = dates.DateField(_("end"), date_range=dates.GUIDANCE)
    tasks = models.TextField(_("tasks"))
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    mentor = models.CharField(_("mentor at the employer"), max_length=200, blank=True)
    employer_evaluation = models.TextField(_("evaluation by the employer"), blank=True)
    employer_rating = models.PositiveSmallIntegerField(_("rating by the employer"), choices=Rating.choices, null=True,
                                                       blank=True)
    worker_evaluation = models.TextField(_("evaluation by the worker"), blank=True)
    worker_rating = models.PositiveSmallIntegerField(_("rating by the worker"), choices=Rating.choices, null=True,
                                                     blank=True)
    result = models.CharField(_("result"), max_length=20, choices=InternshipResult.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="internship_end_after_start"),
            models.CheckConstraint(condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=50),
                                   name="internship_hours_range"),
        ]

    def __str__(self):
        return f"{self.employer} ({self.start:%d/%m/%Y})"


class HandoverNote(models.Model):
    """The coach's warm-handover notes for the new employer, one current text per worker (versioned,
    earlier wording in the audit trail). Written to be shown to an employer: never health or context."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.OneToOneField("trajects.Worker", on_delete=models.CASCADE, related_name="handover_note")
    works_well = models.TextField(_("what works well"), blank=True)
    support_tips = models.TextField(_("support tips"), blank=True)
    contact_moments = models.TextField(_("agreed contact moments"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("last changed by"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("warm-handover notes")
        verbose_name_plural = _("warm-handover notes")

    def __str__(self):
        return str(self._meta.verbose_name)


class ConsentScope(models.TextChoices):
    # What the worker agreed to share in the handover summary (printed only when in scope).
    EXPERIENCE = "experience", _("Role and experience with the organisation")
    COMPETENCES = "competences", _("Competences from the POP")
    JOB_TARGET = "job_target", _("Job target")
    INTERNSHIPS = "internships", _("Internships")
    NOTES = "notes", _("Warm-handover notes")


class HandoverConsent(models.Model):
    """The worker's recorded consent to share a handover summary with one named next employer. Withdrawing
    keeps the row (who, when) so the history shows what was allowed when."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="handover_consents")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="handover_consents",
                                 verbose_name=_("next employer"))
    given_on = dates.DateField(_("consent given on"), date_range=dates.GUIDANCE)
    scope = models.JSONField(_("what may be shared"), default=list)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    withdrawn_on = dates.DateField(_("withdrawn on"), date_range=dates.GUIDANCE, null=True, blank=True)
    withdrawn_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("withdrawal recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent to share a handover summary")
        verbose_name_plural = _("consents to share a handover summary")

    def __str__(self):
        return f"{self.employer} ({self.given_on:%d/%m/%Y})"

    @property
    def is_current(self):
        return self.withdrawn_on is None

    def scope_labels(self):
        labels = dict(ConsentScope.choices)
        return [labels[k] for k in ConsentScope.values if k in (self.scope or [])]


# --------------------------------------------------------------------------- readiness (docs/domain.md §3.6)


class Determinant(models.TextChoices):
    # What VDAB weighs in a throughflow evaluation (docs/domain.md §3.6) plus what coaches check with the worker.
    HEALTH = "health", _("Health")
    MOBILITY = "mobility", _("Mobility and commute")
    FAMILY = "family", _("Childcare and family")
    FINANCES = "finances", _("Finances")
    DUTCH = "dutch", _("Dutch")
    COMPETENCES = "competences", _("Competences (POP)")
    MOTIVATION = "motivation", _("Motivation")
    JOB_TARGET = "job_target", _("Realism of the job target")


# docs/domain.md §7: health, the family situation and money problems are context information of the confidential
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
    date = dates.DateField(_("date of the check"), date_range=dates.GUIDANCE)
    worker_took_part = models.BooleanField(_("the worker took part"), default=True)
    summary = models.TextField(_("summary"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ReadinessDecision.choices)
    next_check = dates.DateField(_("next check"), date_range=dates.DUE, null=True, blank=True)
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
    paused_from = dates.DateField(_("paused from"), date_range=dates.GUIDANCE)
    reason = models.CharField(_("reason for the pause"), max_length=300)
    resumed_on = dates.DateField(_("resumed on"), date_range=dates.GUIDANCE, null=True, blank=True)
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
