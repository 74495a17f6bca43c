"""Inflow (docs/domain.md §3.1, §10): vacancies, candidates and the path from application to contract.

Every step of the path carries its date, so every wait is visible: the application, the information
session attended, the ranking, the referral to VDAB, the advice (indication.Advice, the same record the
worker keeps after the hire) and the contract start. Only what selection needs is kept about a candidate;
no health data (that arrives with VDAB's advice, in indication).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from indication.models import Interests, Mobility, Scale
from lde_portal import dates
from trajects.models import Language


class InflowSettings(models.Model):
    """The organisation's knobs for inflow (issue #20: waiting limit default 30 days, retention 6 months)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    advice_wait_days = models.PositiveSmallIntegerField(
        _("waiting limit for a VDAB advice (days)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A referred candidate without an advice after this many days raises an alert. Default 30."))
    contact_days = models.PositiveSmallIntegerField(
        _("contact a ranked candidate within (days)"), default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)])
    retention_months = models.PositiveSmallIntegerField(
        _("keep candidates who were not hired (months after the last step)"), default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Afterwards names and contact details are replaced by a pseudonym; the counts stay. "
                    "A candidate on the reserve list is kept until the end of the consented period."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("inflow settings")
        verbose_name_plural = _("inflow settings")

    def __str__(self):
        return str(self.organisation)


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")


class Vacancy(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("accounts.Activity", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("activity"))
    title = models.CharField(_("title"), max_length=150)
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1), MaxValueValidator(50)])
    entry_competences = models.ManyToManyField("pop.Competence", blank=True, related_name="+",
                                               verbose_name=_("entry competences"))
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1,
                                       validators=[MinValueValidator(1), MaxValueValidator(40)])
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    # docs/domain.md §3.2: a team whose members complement each other, so nobody has to be polyvalent.
    wanted_hours = models.CharField(_("wanted: possible hours"), max_length=150, blank=True)
    wanted_mobility = models.CharField(_("wanted: mobility"), max_length=20, choices=Mobility.choices, blank=True)
    wanted_physical = models.PositiveSmallIntegerField(_("wanted: physical capacity"), choices=Scale.choices,
                                                       null=True, blank=True)
    wanted_languages = models.CharField(_("wanted: languages"), max_length=200, blank=True)
    wanted_interests = models.CharField(_("wanted: interests"), max_length=20, choices=Interests.choices,
                                        blank=True)
    opens_on = dates.DateField(_("open from"), date_range=dates.GUIDANCE)
    closes_on = dates.DateField(_("close on"), date_range=dates.GUIDANCE, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    # The coaches who take part in the selection (the technical instructor on the panel): they see its candidates.
    team = models.ManyToManyField("accounts.Membership", blank=True, related_name="+",
                                  verbose_name=_("coaches taking part"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [models.CheckConstraint(condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                                              name="vacancy_closes_after_opening")]
        indexes = [models.Index(fields=["organisation", "status", "closes_on"])]

    def __str__(self):
        return self.title


class Referrer(models.TextChoices):
    VDAB = "vdab", _("VDAB")
    OCMW = "ocmw", _("OCMW")
    CAW = "caw", _("CAW")
    SPONTANEOUS = "spontaneous", _("Spontaneous application")
    OTHER_ORGANISATION = "other_organisation", _("Another organisation")


class Candidate(models.Model):
    """A person applying. Contact details and what they need to apply; the INSZ only once they are referred
    to VDAB (the worker record is made then, see services.application_refer)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("family name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, choices=Language.choices,
                                          default=Language.NL)
    referrer = models.CharField(_("referred by"), max_length=20, choices=Referrer.choices)
    referrer_detail = models.CharField(_("referrer contact"), max_length=150, blank=True,
                                       help_text=_("The consultant or organisation, e.g. the OCMW social worker."))
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    needs_childcare = models.BooleanField(_("needs childcare on the session day"), default=False)
    other_needs = models.CharField(_("other needs to apply"), max_length=300, blank=True)
    reserve_until = dates.DateField(
        _("on the reserve list until"), date_range=dates.GUIDANCE, null=True, blank=True,
        help_text=_("Only with the candidate's consent: kept for later vacancies up to this date."))
    # Set at the referral to VDAB: the worker record (status "in recruitment") the advice and the hire belong to.
    worker = models.ForeignKey("trajects.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The latest date of any step of any of the candidate's applications; retention counts from it.
    last_step_on = models.DateField(null=True, blank=True)
    pseudonymised = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [models.Index(fields=["organisation", "last_step_on"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SESSION = "session", _("Attended the information session")
    RANKED = "ranked", _("Ranked")
    REFERRED = "referred", _("Referred to VDAB")
    ADVICE = "advice", _("Advice received")
    HIRED = "hired", _("Hired")
    DROPPED = "dropped", _("Dropped out")


class DropoutReason(models.TextChoices):
    OTHER_WORK = "other_work", _("Found other work")
    UNREACHABLE = "unreachable", _("No longer reachable")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible according to VDAB")
    WITHDREW = "withdrew", _("Withdrew")
    NOT_SELECTED = "not_selected", _("Not selected")


class Application(models.Model):
    """A candidate on the path of one vacancy; a candidate may apply to several."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    applied_on = dates.DateField(_("applied on"), date_range=dates.GUIDANCE)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.APPLIED)
    session_on = models.DateField(_("information session"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, validators=[MinValueValidator(1)])
    ranked_on = dates.DateField(_("ranked on"), date_range=dates.GUIDANCE, null=True, blank=True)
    contacted_on = dates.DateField(_("contacted on"), date_range=dates.GUIDANCE, null=True, blank=True)
    referred_on = dates.DateField(_("referred to VDAB on"), date_range=dates.GUIDANCE, null=True, blank=True)
    # Stored so the daily alert scan is a range read (docs/architecture.md); refreshed by the services.
    advice_due = models.DateField(null=True, blank=True)
    contact_due = models.DateField(null=True, blank=True)
    advice = models.ForeignKey("indication.Advice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    advice_on = models.DateField(_("advice dated"), null=True, blank=True)
    hired_on = models.DateField(_("contract start"), null=True, blank=True)
    employment = models.ForeignKey("trajects.Employment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    dropped_on = dates.DateField(_("dropped out on"), date_range=dates.GUIDANCE, null=True, blank=True)
    dropout_reason = models.CharField(_("reason"), max_length=15, choices=DropoutReason.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["rank", "candidate__last_name", "candidate__first_name", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="application_once_per_vacancy"),
            models.CheckConstraint(condition=Q(dropped_on__isnull=True) | ~Q(dropout_reason=""),
                                   name="application_dropout_has_reason"),
        ]
        indexes = [models.Index(fields=["organisation", "advice_due"]),
                   models.Index(fields=["organisation", "contact_due"]),
                   models.Index(fields=["organisation", "hired_on"])]

    def __str__(self):
        return f"{self.candidate} — {self.vacancy}"

    @property
    def active(self):
        return self.stage not in (Stage.HIRED, Stage.DROPPED)


class InfoSession(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="sessions")
    date = dates.DateField(_("date"), date_range=dates.GUIDANCE)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=150, blank=True)
    attendance_recorded = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y}"


class Invitation(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(InfoSession, on_delete=models.CASCADE, related_name="invitations")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="invitation_once")]

    def __str__(self):
        return f"{self.application} @ {self.session}"


class SelectionRound(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="rounds")
    date = dates.DateField(_("date"), date_range=dates.GUIDANCE)
    name = models.CharField(_("round"), max_length=100, help_text=_("e.g. Conversation, Practical test"))
    criteria = models.TextField(_("criteria used"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    RESERVE = "reserve", _("Reserve")
    NOT_PASSED = "not_passed", _("Not passed")


class RoundOutcome(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="outcomes")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "application"], name="round_outcome_once")]

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"
