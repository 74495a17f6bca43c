"""Every read the indication views need, scoped by the acting membership."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.apps import apps
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404

from lde_portal import dossier
from lde_portal.accounts.access import workers_visible_to
from lde_portal.accounts.models import Activity
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.dossier import visible_worker
from lde_portal.periods import dated_in, in_activity
from trajects import rules as trajectory_rules
from trajects.models import Employment
from trajects.selectors import ruleset

from .models import (
    OPEN_REFERRAL_STATUSES,
    PLACING_TYPES,
    Advice,
    AdviceStatus,
    AdviceType,
    ComplementarityProfile,
    ContextProblem,
    EvaluationRequest,
    IcfComponent,
    IcfItem,
    NeedsAssessment,
    NeedsScore,
    Referral,
    superseded_by_trajectory,
)
from .rules import EvaluationBasis, evaluation_basis

CONFIDENTIAL_TYPES = [f"indication.{m}" for m in (
    "needsassessment", "needsscore", "complementarityprofile", "contextproblem", "referral")]


def open_trajectory(worker):
    try:
        model = apps.get_model("trajects", "Trajectory")
    except LookupError:
        return None
    return model.objects.filter(worker=worker, closed_on__isnull=True).prefetch_related("suspensions").first()


# Without a trajectory the regime follows from the advice that placed the worker.
_REGIME_OF_ADVICE = {AdviceType.CMW_START_PACKAGE: "CMW", AdviceType.LDE_ADVICE: "LDE"}


_UNKNOWN = object()


def worker_evaluation_basis(worker, advices, rules, trajectory=_UNKNOWN) -> EvaluationBasis:
    """Regime and start of the open trajectory when there is one (its suspensions delay the medical
    date); otherwise the current advice's regime and the worker's first contract start. A caller that
    already read the open trajectory passes it (None when there is none)."""
    if trajectory is _UNKNOWN:
        trajectory = open_trajectory(worker)
    if trajectory is not None:
        suspensions = [trajectory_rules.Suspension(s.start, s.end, s.reason) for s in trajectory.suspensions.all()]
        return evaluation_basis(rules, regime=trajectory.regime, start=trajectory.start, suspensions=suspensions,
                                planned_end=trajectory.planned_end)
    regime = next((_REGIME_OF_ADVICE[a.type] for a in advices
                   if a.status == AdviceStatus.ACTIVE and a.type in _REGIME_OF_ADVICE), None)
    first = Employment.objects.filter(worker=worker).order_by("contract_start").values_list(
        "contract_start", flat=True).first()
    return evaluation_basis(rules, regime=regime, start=first)


@dataclass
class IndicationTab:
    worker: object
    advices: list
    evaluations: list
    current_advice: Advice | None
    throughflow_decision: Advice | None
    basis: EvaluationBasis
    next_evaluation: date | None
    next_evaluation_is_visit: bool
    current_days_left: int | None = None
    pop_updated_on: date | None = None  # last POP registered with VDAB (or approved), from the pop app
    # The open trajectory when it rests on a DWSE decision later than the current advice (an IMW term
    # recorded on Traject): that decision is what is in force, and the tab says so instead of "no advice".
    trajectory_decision: object = None


def _pop_updated_on(worker):
    """The POP update that must precede a VDAB visit happens in the pop app, which provides the date as the
    dossier fact "pop.updated_on" (None without the pop app)."""
    return dossier.fact("pop.updated_on", worker)


def indication_tab(membership, pk, today) -> IndicationTab:
    worker = visible_worker(membership, pk)
    advices = list(Advice.objects.filter(worker=worker).select_related("created_by"))
    evaluations = list(EvaluationRequest.objects.filter(worker=worker).select_related("created_by"))
    # The advice that placed the worker (LDE / IMW / CMW) is "the" current advice; SINE runs alongside.
    valid = [a for a in advices if a.type != AdviceType.THROUGHFLOW_DECISION
             and a.effective_status(today) == AdviceStatus.ACTIVE]
    current = next((a for a in valid if a.type != AdviceType.SINE_ELIGIBILITY), valid[0] if valid else None)
    # The same rule as the advice_expiring alert (alerts.superseded_advice_q): a later placing advice
    # (advices are newest first) or a later DWSE decision on the open trajectory supersedes it.
    latest_placing = next((a for a in advices if a.type in PLACING_TYPES and a.status != AdviceStatus.WITHDRAWN), None)
    if current is not None and current.type in PLACING_TYPES and latest_placing is not None \
            and latest_placing.decision_date > current.decision_date:
        current = None
    trajectory = open_trajectory(worker)
    decision = None
    if trajectory is not None and trajectory.decision_date and (
            latest_placing is None or superseded_by_trajectory(latest_placing, trajectory)):
        decision = trajectory
        if current is not None and current.type in PLACING_TYPES:
            current = None
    throughflow = next((a for a in advices if a.type == AdviceType.THROUGHFLOW_DECISION
                        and a.status == AdviceStatus.ACTIVE and a.favourable), None)
    basis = worker_evaluation_basis(worker, advices, ruleset(), trajectory=trajectory)
    visits = sorted(e.planned_visit for e in evaluations if e.is_open and e.planned_visit)
    if visits:
        next_evaluation, is_visit = visits[0], True
    else:
        next_evaluation, is_visit = basis.regular, False
    days_left = (current.valid_until - today).days if current and current.valid_until else None
    return IndicationTab(worker, advices, evaluations, current, throughflow, basis, next_evaluation, is_visit,
                         days_left, _pop_updated_on(worker), decision)


def advice_for(worker, pk) -> Advice:
    return get_object_or_404(Advice, pk=pk, worker=worker)


def evaluation_for(worker, pk) -> EvaluationRequest:
    return get_object_or_404(EvaluationRequest, pk=pk, worker=worker)


@dataclass
class DueList:
    expiring: list
    evaluations: list
    track_starts: list
    horizon: date
    counts: dict | None = None


def indication_due(membership, today, days, *, with_counts=False) -> DueList:
    """Advices expiring, evaluations (visit or POP update) and throughflow track starts due within the
    horizon, for the workers this member may see. Three range reads on indexed dates."""
    horizon = today + timedelta(days=days)
    visible = workers_visible_to(membership).values("pk")
    base = {"organisation_id": membership.organisation_id, "worker__in": visible}
    expiring = list(
        Advice.objects.filter(**base, status=AdviceStatus.ACTIVE, valid_until__gte=today, valid_until__lte=horizon)
        .exclude(type=AdviceType.THROUGHFLOW_DECISION)
        .select_related("worker").order_by("valid_until", "id")
    )
    evaluations = list(
        EvaluationRequest.objects.filter(**base, outcome="")
        .filter(Q(planned_visit__gte=today, planned_visit__lte=horizon)
                | Q(pop_update_due__gte=today, pop_update_due__lte=horizon))
        .select_related("worker").order_by("planned_visit", "id")
    )
    track_starts = list(
        Advice.objects.filter(**base, status=AdviceStatus.ACTIVE, track_start_due__gte=today,
                              track_start_due__lte=horizon)
        .select_related("worker").order_by("track_start_due", "id")
    )
    return DueList(expiring, evaluations, track_starts, horizon,
                   confidential_counts(membership) if with_counts else None)


def confidential_counts(membership) -> dict:
    """Aggregates only (managers see how many, never what): docs/domain.md §7, docs/journeys.md (manager)."""
    org = membership.organisation_id
    referrals = Referral.objects.filter(organisation_id=org, status__in=OPEN_REFERRAL_STATUSES)
    problems = ContextProblem.objects.filter(organisation_id=org, resolved_on__isnull=True)
    return {
        "open_referrals": referrals.values("worker_id").distinct().count(),
        "open_problems": problems.values("worker_id").distinct().count(),
        "assessed": NeedsAssessment.objects.filter(organisation_id=org).values("worker_id").distinct().count(),
    }


# --------------------------------------------------------------------------- confidential section


def icf_item_for(membership, pk) -> IcfItem:
    """One of the organisation's own ICF items (the shared catalogue is the same for everyone), or 404."""
    return get_object_or_404(IcfItem, pk=pk, organisation_id=membership.organisation_id)


def icf_items(organisation, *, active_only=True):
    qs = IcfItem.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
    return qs.filter(active=True) if active_only else qs


@dataclass
class ComparisonRow:
    item: IcfItem
    before: NeedsScore | None
    after: NeedsScore | None

    @property
    def trend(self):
        a = self.before.severity if self.before else None
        b = self.after.severity if self.after else None
        if a is None or b is None:
            return ""
        return "improved" if b < a else "worse" if b > a else "same"


@dataclass
class Comparison:
    before: NeedsAssessment
    after: NeedsAssessment
    groups: list = field(default_factory=list)  # [(component label, [ComparisonRow])]

    def count(self, trend):
        return sum(1 for _label, rows in self.groups for r in rows if r.trend == trend)

    @property
    def improved(self):
        return self.count("improved")

    @property
    def worse(self):
        return self.count("worse")

    @property
    def same(self):
        return self.count("same")


def compare(before: NeedsAssessment, after: NeedsAssessment) -> Comparison:
    if before.date > after.date:
        before, after = after, before
    a = {s.item_id: s for s in before.scores.all()}
    b = {s.item_id: s for s in after.scores.all()}
    items = {s.item_id: s.item for s in [*a.values(), *b.values()]}
    labels = dict(IcfComponent.choices)
    groups = []
    for component in IcfComponent.values:
        rows = [ComparisonRow(item, a.get(i), b.get(i)) for i, item in items.items() if item.component == component]
        rows.sort(key=lambda r: (r.item.order, r.item.code, r.item.label))
        if rows:
            groups.append((labels[component], rows))
    return Comparison(before, after, groups)


@dataclass
class ConfidentialDossier:
    worker: object
    assessments: list
    latest_groups: list
    comparison: Comparison | None
    profile: ComplementarityProfile | None
    problems: list


def _scores_prefetch():
    return Prefetch("scores", queryset=NeedsScore.objects.select_related("item"))


def confidential_dossier(worker, *, compare_ids=None) -> ConfidentialDossier:
    assessments = list(NeedsAssessment.objects.filter(worker=worker).select_related("author")
                       .prefetch_related(_scores_prefetch()))
    by_id = {a.pk: a for a in assessments}
    comparison = None
    if compare_ids and all(i in by_id for i in compare_ids) and compare_ids[0] != compare_ids[1]:
        comparison = compare(by_id[compare_ids[0]], by_id[compare_ids[1]])
    elif len(assessments) >= 2:
        comparison = compare(assessments[1], assessments[0])
    latest_groups = []
    if assessments:
        labels = dict(IcfComponent.choices)
        scores = list(assessments[0].scores.all())
        for component in IcfComponent.values:
            rows = [s for s in scores if s.item.component == component]
            if rows:
                latest_groups.append((labels[component], rows))
    profile = ComplementarityProfile.objects.filter(worker=worker).select_related("updated_by").first()
    problems = list(ContextProblem.objects.filter(worker=worker).select_related("created_by")
                    .prefetch_related("referrals"))
    return ConfidentialDossier(worker, assessments, latest_groups, comparison, profile, problems)


def problem_for(worker, pk) -> ContextProblem:
    return get_object_or_404(ContextProblem, pk=pk, worker=worker)


def referral_for(worker, pk) -> Referral:
    return get_object_or_404(Referral.objects.select_related("problem"), pk=pk, worker=worker)


def complementarity_for(worker):
    return ComplementarityProfile.objects.filter(worker=worker).first()


def latest_assessment(worker):
    return NeedsAssessment.objects.filter(worker=worker).prefetch_related(_scores_prefetch()).first()


def confidential_access_log(worker, limit=300):
    """Reads of the confidential section and changes to it, newest first."""
    return list(
        AuditEntry.objects.filter(organisation_id=worker.organisation_id, worker_id=worker.pk)
        .filter(Q(action=AuditAction.READ_CONFIDENTIAL) | Q(object_type__in=CONFIDENTIAL_TYPES))
        .select_related("actor")[:limit]
    )



# --------------------------------------------------------------------------- recruitment lead time
# docs/domain.md §3.1: referral to VDAB → advice → contract and start, "2-3 months". Per worker, the first
# referral recorded on an entry advice (a throughflow decision is no recruitment) up to the first contract
# that starts on or after it. The dashboard panel and the lead-time list both read `recruitments`.


@dataclass(frozen=True)
class LeadTimeFilters:
    start: date | None = None
    end: date | None = None
    activity_id: int | None = None


def recruitments(membership, filters):
    """Visible workers with `referred` (first referral), `advice_date` (that advice's decision date),
    `started` (first contract start on or after the referral) and its activity, started in the period of
    `filters` (any object with start, end, activity_id) and in its activity. One query."""
    first_referral = (Advice.objects.filter(worker=OuterRef("pk"), referred_on__isnull=False)
                      .exclude(type=AdviceType.THROUGHFLOW_DECISION).order_by("referred_on", "id"))
    first_contract = Employment.objects.filter(worker=OuterRef("pk"), contract_start__gte=OuterRef("referred")
                                               ).order_by("contract_start", "id")
    qs = (workers_visible_to(membership)
          .annotate(referred=Subquery(first_referral.values("referred_on")[:1]),
                    advice_date=Subquery(first_referral.values("decision_date")[:1]))
          .filter(referred__isnull=False)
          .annotate(started=Subquery(first_contract.values("contract_start")[:1]),
                    started_activity_id=Subquery(first_contract.values("activity_id")[:1]),
                    # By key, not joined inside the per-worker subquery (PostgreSQL hashed every activity once per
                    # worker there, issue #10).
                    started_activity=Subquery(Activity.objects.filter(pk=OuterRef("started_activity_id"))
                                              .order_by().values("name")))
          .filter(started__isnull=False))
    qs = in_activity(dated_in(qs, "started", filters), "started_activity_id", filters)
    return qs.order_by("-started", "last_name", "first_name", "id")


@dataclass
class LeadTime:
    worker_id: int
    name: str
    activity_id: int | None
    activity: str
    referred: date
    advice_date: date
    started: date

    @property
    def to_advice(self):
        return (self.advice_date - self.referred).days

    @property
    def to_start(self):
        return (self.started - self.advice_date).days

    @property
    def total(self):
        return (self.started - self.referred).days


def lead_times(membership, filters) -> list[LeadTime]:
    # Plain values, not Worker instances: the dashboard panel reads every recruitment of the period (issue #10).
    return [LeadTime(pk, f"{first} {last}", activity_id, activity or "", referred, advice_date, started)
            for pk, first, last, activity_id, activity, referred, advice_date, started
            in recruitments(membership, filters).values_list(
                "pk", "first_name", "last_name", "started_activity_id", "started_activity", "referred",
                "advice_date", "started")]


def median_days(values):
    values = list(values)
    return round(median(values)) if values else None
