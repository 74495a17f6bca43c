"""Indication (docs/domain.md §2, §3.2): what VDAB decided about a worker, when it must look again, and the
employer's own confidential needs profile (docs/domain.md §7: special-category data, guidance staff only).
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lde_portal import dates, uploads

# --------------------------------------------------------------------------- advices and decisions


class AdviceType(models.TextChoices):
    LDE_ADVICE = "lde_advice", _("LDE advice")
    IMW_ATTESTATION = "imw_attestation", _("IMW attestation of a work limitation")
    CMW_START_PACKAGE = "cmw_start_package", _("CMW start package")
    SINE_ELIGIBILITY = "sine_eligibility", _("SINE eligibility")
    THROUGHFLOW_DECISION = "throughflow_decision", _("Throughflow decision")


# The advices that place a worker in a regime; a later one supersedes an earlier one of any of these types.
PLACING_TYPES = (AdviceType.LDE_ADVICE, AdviceType.IMW_ATTESTATION, AdviceType.CMW_START_PACKAGE)
# The trajectory regimes each placing advice leads to (trajects.models.Regime values).
REGIMES_OF_TYPE = {AdviceType.LDE_ADVICE: ("LDE", "TRANSITION"), AdviceType.IMW_ATTESTATION: ("IMW_5Y", "IMW_2Y"),
                   AdviceType.CMW_START_PACKAGE: ("CMW",)}


def superseded_by_trajectory(advice, trajectory) -> bool:
    """An open trajectory on a DWSE decision later than the advice supersedes it when the decision puts the
    worker in another regime (an IMW term after the LDE advice), or when the advice had already run out
    on the decision day (the decision rests on a newer attestation than the one registered here). The
    same rule as indication.alerts.superseded_advice_q, in Python for the tab."""
    if advice.type not in PLACING_TYPES or trajectory is None or trajectory.closed_on is not None:
        return False
    if not trajectory.decision_date or trajectory.decision_date <= advice.decision_date:
        return False
    return (trajectory.regime not in REGIMES_OF_TYPE[advice.type]
            or (advice.valid_until is not None and trajectory.decision_date > advice.valid_until))


class IssuingBody(models.TextChoices):
    VDAB = "vdab", _("VDAB")
    OCMW = "ocmw", _("OCMW")
    GTB = "gtb", _("GTB")
    OTHER = "other", _("Other partner")


class Destination(models.TextChoices):
    LDE = "lde", _("LDE")
    IMW = "imw", _("IMW (individual custom work)")
    CMW = "cmw", _("CMW (collective custom work)")
    SHELTERED = "sheltered", _("Sheltered work")
    CARE = "care", _("Care-based work (arbeidszorg)")
    REGULAR = "regular", _("Regular work")


class GuidancePremium(models.TextChoices):
    NONE = "none", _("No guidance premium")
    BASIC = "basic", _("Basic guidance")
    INCREASED = "increased", _("Increased guidance")
    INTENSIVE = "intensive", _("Intensive guidance")


class AdviceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REPLACED = "replaced", _("Replaced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Advice(models.Model):
    """A VDAB advice or decision (or one of a partner VDAB designated: OCMW, GTB)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="advices")
    type = models.CharField(_("type"), max_length=30, choices=AdviceType.choices)
    issuing_body = models.CharField(_("issued by"), max_length=10, choices=IssuingBody.choices,
                                    default=IssuingBody.VDAB)
    consultant_name = models.CharField(_("consultant"), max_length=150, blank=True)
    consultant_contact = models.CharField(_("consultant contact"), max_length=150, blank=True,
                                          help_text=_("Phone number or e-mail address."))
    decision_date = dates.DateField(_("decision date"), date_range=dates.GUIDANCE)
    # docs/domain.md §3.1: recruitment runs referral → advice → contract and start; this date is the only one of
    # the path the employer records nowhere else, and the recruitment lead time counts from it.
    referred_on = dates.DateField(_("referred to VDAB on"), date_range=dates.GUIDANCE, null=True, blank=True,
                                   help_text=_("The date the candidate was referred to VDAB (or its partner) for "
                                               "this indication. Used for the recruitment lead time."))
    valid_until = dates.DateField(_("valid until"), date_range=dates.GUIDANCE, null=True, blank=True)
    destination = models.CharField(_("recommended destination"), max_length=12, choices=Destination.choices,
                                   blank=True)
    wage_premium_percent = models.PositiveSmallIntegerField(
        _("wage premium (%)"), null=True, blank=True,
        help_text=_("IMW only: 20 to 75 percent of the capped reference wage."))
    guidance_premium = models.CharField(_("guidance premium"), max_length=12, choices=GuidancePremium.choices,
                                        blank=True)
    favourable = models.BooleanField(_("favourable"), null=True, blank=True)
    # Stored so the alert scan and the "due" list are range reads (docs/architecture.md: computed deadlines are stored).
    track_start_due = models.DateField(_("throughflow track must start by"), null=True, blank=True)
    # Set by the throughflow app when it opens the track on this decision: the start rule is then met.
    track_started_on = dates.DateField(_("throughflow track started on"), date_range=dates.GUIDANCE, null=True, blank=True)
    letter = uploads.private_file_field("letters", _("decision letter"), blank=True)
    letter_name = models.CharField(max_length=200, blank=True)
    letter_content_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AdviceStatus.choices,
                              default=AdviceStatus.ACTIVE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decision_date", "-id"]
        verbose_name = _("advice or decision")
        verbose_name_plural = _("advices and decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_premium_percent__isnull=True)
                | Q(wage_premium_percent__gte=20, wage_premium_percent__lte=75),
                name="advice_wage_premium_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("decision_date")),
                name="advice_valid_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True) | Q(referred_on__lte=F("decision_date")),
                name="advice_referral_before_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "valid_until"]),
            models.Index(fields=["organisation", "track_start_due"]),
            models.Index(fields=["worker", "-decision_date"]),
        ]

    def __str__(self):
        return f"{self.get_type_display()} ({self.decision_date:%d/%m/%Y})"

    def effective_status(self, today):
        """An active advice past its validity is shown as expired even before anyone marks it so."""
        if self.status == AdviceStatus.ACTIVE and self.valid_until and self.valid_until < today:
            return AdviceStatus.EXPIRED
        return self.status

    def clean(self):
        errors = {}
        if self.wage_premium_percent is not None and not (20 <= self.wage_premium_percent <= 75):
            # Decree of 14/01/2022 on custom work: the IMW wage premium is 20-75 % of the reference wage.
            errors["wage_premium_percent"] = [_("The wage premium is between 20 and 75 percent.")]
        if self.type == AdviceType.IMW_ATTESTATION and self.wage_premium_percent is None:
            errors["wage_premium_percent"] = [_("An IMW attestation needs the wage-premium percentage.")]
        if self.type != AdviceType.IMW_ATTESTATION and self.wage_premium_percent is not None:
            errors["wage_premium_percent"] = [_("Only an IMW attestation has a wage premium.")]
        if self.type == AdviceType.THROUGHFLOW_DECISION and self.favourable is None:
            errors["favourable"] = [_("Say whether the throughflow decision is favourable.")]
        if self.decision_date and self.valid_until and self.valid_until < self.decision_date:
            errors["valid_until"] = [_("The validity ends before the decision date.")]
        if self.referred_on and self.decision_date and self.referred_on > self.decision_date:
            errors["referred_on"] = [_("The referral to VDAB lies after the decision date.")]
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- evaluation requests


class EvaluationReason(models.TextChoices):
    REGULAR = "regular", _("Regular evaluation")
    END_OF_TERM = "end_of_term", _("End of term")
    TRANSITION_ENDS = "transition_ends", _("Transition regime ends")
    EARLY_MEDICAL = "early_medical", _("Early, for an attested medical reason")
    THROUGHFLOW_READINESS = "throughflow_readiness", _("Ready for throughflow")


class EvaluationOutcome(models.TextChoices):
    SAME_SUPPORT = "same_support", _("Same support")
    ADJUSTED = "adjusted", _("Support adjusted")
    THROUGHFLOW_TRACK = "throughflow_track", _("Throughflow track")
    SUPPORT_ENDED = "support_ended", _("Support ended")


class EvaluationRequest(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="evaluation_requests")
    reason = models.CharField(_("reason"), max_length=30, choices=EvaluationReason.choices)
    requested_on = dates.DateField(_("requested on"), date_range=dates.GUIDANCE)
    earliest_allowed = models.DateField(_("earliest allowed date"), null=True, blank=True)
    exception_reason = models.CharField(
        _("exception reason"), max_length=300, blank=True,
        help_text=_("Only needed when the request is earlier than the rules allow."))
    planned_visit = dates.DateField(_("planned VDAB visit"), date_range=dates.DUE, null=True, blank=True)
    pop_update_due = models.DateField(_("POP update due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=EvaluationOutcome.choices, blank=True)
    decision_date = dates.DateField(_("decision date"), date_range=dates.GUIDANCE, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("evaluation request")
        verbose_name_plural = _("evaluation requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=F("requested_on")),
                name="evaluation_decision_after_request",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "planned_visit"]),
            models.Index(fields=["organisation", "pop_update_due"]),
            models.Index(fields=["worker", "-requested_on"]),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.requested_on:%d/%m/%Y})"

    @property
    def is_open(self):
        return not self.outcome

    def clean(self):
        errors = {}
        if self.decision_date and self.requested_on and self.decision_date < self.requested_on:
            errors["decision_date"] = [_("The decision date lies before the request.")]
        if self.planned_visit and self.requested_on and self.planned_visit < self.requested_on:
            errors["planned_visit"] = [_("The visit lies before the request.")]
        if self.outcome and not self.decision_date:
            errors["decision_date"] = [_("Give the date of VDAB's decision.")]
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- confidential needs profile


class IcfComponent(models.TextChoices):
    BODY = "b", _("Body functions and health")
    ACTIVITY = "d", _("Activities and participation")
    ENVIRONMENT = "e", _("Environmental factors")
    PERSONAL = "personal", _("Personal factors")
    QUALIFICATION = "qualification", _("Qualification-related factors")


# Components scored on the ICF qualifier scale; personal and qualification-related factors are not
# ICF-coded and take free text (icf-items.md).
QUALIFIED_COMPONENTS = {IcfComponent.BODY, IcfComponent.ACTIVITY, IcfComponent.ENVIRONMENT}


class IcfItem(models.Model):
    """An item of the needs profile. organisation=None: the shared starting catalogue (icf-items.md),
    seeded by a data migration; organisations add their own items."""

    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    code = models.CharField(_("ICF code"), max_length=12, blank=True)
    component = models.CharField(_("component"), max_length=15, choices=IcfComponent.choices)
    label = models.CharField(_("label"), max_length=150)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["component", "order", "code", "label"]
        verbose_name = _("ICF item")
        verbose_name_plural = _("ICF items")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "component", "label"], name="icfitem_label_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.label}".strip()

    @property
    def qualified(self):
        return self.component in QUALIFIED_COMPONENTS


class Qualifier(models.IntegerChoices):
    NONE = 0, _("0 no problem")
    MILD = 1, _("1 mild problem")
    MODERATE = 2, _("2 moderate problem")
    SEVERE = 3, _("3 severe problem")
    COMPLETE = 4, _("4 complete problem")
    NOT_SPECIFIED = 8, _("8 not specified")
    NOT_APPLICABLE = 9, _("9 not applicable")


class NeedsAssessment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="needs_assessments")
    date = dates.DateField(_("date"), date_range=dates.GUIDANCE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        indexes = [models.Index(fields=["worker", "-date"])]

    def __str__(self):
        return f"{self.worker} {self.date:%d/%m/%Y}"


class NeedsScore(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(IcfItem, on_delete=models.PROTECT, related_name="+")
    qualifier = models.PositiveSmallIntegerField(_("qualifier"), choices=Qualifier.choices, null=True, blank=True)
    # Environmental factors can be facilitators: e310+2 (icf-items.md).
    facilitator = models.PositiveSmallIntegerField(_("facilitator"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["item__component", "item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="needsscore_item_once"),
            models.CheckConstraint(condition=Q(qualifier__isnull=True) | Q(facilitator__isnull=True),
                                   name="needsscore_barrier_or_facilitator"),
            models.CheckConstraint(condition=Q(facilitator__isnull=True) | Q(facilitator__gte=1, facilitator__lte=4),
                                   name="needsscore_facilitator_range"),
            models.CheckConstraint(condition=Q(qualifier__isnull=True) | Q(qualifier__in=[0, 1, 2, 3, 4, 8, 9]),
                                   name="needsscore_qualifier_values"),
        ]

    def __str__(self):
        return f"{self.item} {self.display}"

    @property
    def display(self):
        if self.facilitator:
            return f"+{self.facilitator}"
        return "" if self.qualifier is None else str(self.qualifier)

    @property
    def severity(self):
        """A comparable number: barriers positive (0-4), facilitators negative; 8/9 are not comparable."""
        if self.facilitator:
            return -self.facilitator
        if self.qualifier is None or self.qualifier > 4:
            return None
        return self.qualifier


class Scale(models.IntegerChoices):
    LOW = 1, _("1 limited")
    FAIR = 2, _("2 fair")
    GOOD = 3, _("3 good")
    HIGH = 4, _("4 strong")


class Mobility(models.TextChoices):
    ON_FOOT = "on_foot", _("On foot only")
    BICYCLE = "bicycle", _("Bicycle")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport")
    CAR = "car", _("Own car (driving licence)")
    DEPENDENT = "dependent", _("Depends on others")


class Interests(models.TextChoices):
    CARE = "care", _("Care-oriented")
    ORGANISATIONAL = "organisational", _("Organisational")
    TECHNICAL = "technical", _("Technical")
    MIXED = "mixed", _("Mixed")


class ComplementarityProfile(models.Model):
    """Traits that matter for team composition (docs/domain.md §3.2). One per worker, edited in place."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.OneToOneField("trajects.Worker", on_delete=models.CASCADE, related_name="complementarity")
    working_hours = models.CharField(_("working hours possible"), max_length=150, blank=True)
    mobility = models.CharField(_("mobility"), max_length=20, choices=Mobility.choices, blank=True)
    physical_capacity = models.PositiveSmallIntegerField(_("physical capacity"), choices=Scale.choices,
                                                         null=True, blank=True)
    learning_ability = models.PositiveSmallIntegerField(_("learning ability"), choices=Scale.choices,
                                                        null=True, blank=True)
    self_confidence = models.PositiveSmallIntegerField(_("self-confidence"), choices=Scale.choices,
                                                       null=True, blank=True)
    autonomy = models.PositiveSmallIntegerField(_("autonomy"), choices=Scale.choices, null=True, blank=True)
    poverty_experience = models.BooleanField(_("lived experience of poverty"), null=True, blank=True)
    interests = models.CharField(_("care or organisational interests"), max_length=20, choices=Interests.choices,
                                 blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complementarity profile")

    def __str__(self):
        return f"{self.worker}"


class ProblemKind(models.TextChoices):
    DEBTS = "debts", _("Debts")
    HOUSING = "housing", _("Housing")
    ADDICTION = "addiction", _("Addiction")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health")
    LANGUAGE = "language", _("Language")
    OTHER = "other", _("Other")


class ContextProblem(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="context_problems")
    kind = models.CharField(_("kind of problem"), max_length=12, choices=ProblemKind.choices)
    description = models.TextField(_("description"), blank=True)
    noted_on = dates.DateField(_("noted on"), date_range=dates.GUIDANCE)
    resolved_on = dates.DateField(_("resolved on"), date_range=dates.GUIDANCE, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resolved_on", "-noted_on", "-id"]
        verbose_name = _("context problem")
        verbose_name_plural = _("context problems")
        constraints = [
            models.CheckConstraint(condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("noted_on")),
                                   name="problem_resolved_after_noted"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.noted_on:%d/%m/%Y})"

    def clean(self):
        if self.noted_on and self.resolved_on and self.resolved_on < self.noted_on:
            raise ValidationError({"resolved_on": [_("The problem cannot be resolved before it was noted.")]})


class ReferralService(models.TextChoices):
    CAW = "caw", _("CAW")
    OCMW = "ocmw", _("OCMW")
    HOUSING = "housing", _("Housing company")
    OTHER = "other", _("Other service")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the worker")
    REFERRED = "referred", _("Referred")
    IN_PROGRESS = "in_progress", _("Being followed up")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


OPEN_REFERRAL_STATUSES = [ReferralStatus.PROPOSED, ReferralStatus.REFERRED, ReferralStatus.IN_PROGRESS]


class Referral(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # Denormalised so "workers with an open referral" is one indexed count (managers see only that).
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="referrals")
    problem = models.ForeignKey(ContextProblem, on_delete=models.CASCADE, related_name="referrals")
    service = models.CharField(_("service"), max_length=10, choices=ReferralService.choices)
    service_name = models.CharField(_("name or contact of the service"), max_length=150, blank=True)
    referred_on = dates.DateField(_("referral date"), date_range=dates.GUIDANCE)
    status = models.CharField(_("follow-up status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.REFERRED)
    follow_up_on = dates.DateField(_("next follow-up"), date_range=dates.DUE, null=True, blank=True)
    note = models.TextField(_("follow-up notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.get_service_display()} ({self.referred_on:%d/%m/%Y})"
