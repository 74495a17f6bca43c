"""Reads of the throughflow app: the only place for select_related / prefetch_related."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lde_portal.accounts.access import COACH, workers_visible_to
from lde_portal.dossier import visible_worker
from trajects.selectors import ruleset as trajects_ruleset

from .models import THROUGHFLOW_REASONS, Employer, Exit, FollowUp


def exit_for(worker):
    """The worker's exit with its activity, coach and follow-ups (two queries), or None."""
    return (Exit.objects.filter(worker=worker)
            .select_related("activity", "coach__user", "created_by")
            .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.select_related("recorded_by")))
            .first())


def former_workers_of(membership):
    """Exited workers this coach was assigned to on the exit date. The assignment ends with the exit, so
    `workers_visible_to` no longer lists them (nor their dossier or confidential section); the coach who made
    the aftercare calls keeps only the follow-ups (journeys.md: the 6-month call)."""
    from trajects.models import CoachAssignment, Worker

    exit_date = F("worker__exit__date")
    assigned = CoachAssignment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=exit_date), coach=membership, worker__exit__isnull=False,
        start__lte=exit_date)
    return Worker.objects.filter(organisation_id=membership.organisation_id, pk__in=assigned.values("worker_id"))


def followup_for(membership, pk, followup_pk):
    """(worker, follow-up, in_dossier): in_dossier is False for a coach's former worker, whose dossier the
    coach no longer sees (the page then stands alone)."""
    worker = workers_visible_to(membership).filter(pk=pk).first()
    in_dossier = worker is not None
    if worker is None and membership.role == COACH:
        worker = former_workers_of(membership).filter(pk=pk).first()
    if worker is None:
        raise Http404
    followup = get_object_or_404(FollowUp.objects.select_related("exit"), pk=followup_pk, worker=worker)
    return worker, followup, in_dossier


# --------------------------------------------------------------------------- throughflow ratio
# Definition (also on the page and in docs/throughflow.md): of all exits dated in the period, the share
# that is throughflow (reasons external + internal); "durable" counts only the throughflow exits whose
# 6-month follow-up recorded that the former worker was still employed, over the same denominator.

DURABLE_MONTHS = 6


@dataclass
class RatioRow:
    key: object
    label: str
    exits: int = 0
    throughflow: int = 0
    durable: int = 0
    pending: int = 0  # throughflow exits whose 6-month follow-up is not recorded yet (not durable, not lost)

    @classmethod
    def of(cls, key, label, counts):
        """A row from one `ratio_counts` result (a dict with exits, throughflow, durable, pending)."""
        return cls(key, label, counts["exits"], counts["throughflow"], counts["durable"], counts["pending"])

    def __iadd__(self, other):
        self.exits += other.exits
        self.throughflow += other.throughflow
        self.durable += other.durable
        self.pending += other.pending
        return self

    @property
    def ratio(self):
        return round(100 * self.throughflow / self.exits) if self.exits else None

    @property
    def durable_ratio(self):
        return round(100 * self.durable / self.exits) if self.exits else None


@dataclass
class RatioReport:
    years: list
    year: int
    total: RatioRow
    by_activity: list = field(default_factory=list)
    by_coach: list = field(default_factory=list)


def with_durable(exits):
    """Annotate `durable` (the 6-month follow-up recorded "still employed") and `six_months` (what that
    follow-up recorded: True, False or None while it is not done) on an Exit queryset."""
    six = FollowUp.objects.filter(exit=OuterRef("pk"), months=DURABLE_MONTHS)
    return exits.annotate(durable=Exists(six.filter(still_employed=True)),
                          six_months=Subquery(six.values("still_employed")[:1]))


# The definition in one place, as conditions on an Exit queryset annotated by `with_durable`: the dashboard
# trend, the ratio page and the exit list all count with `ratio_counts`, in the database.
RATIO_COUNTS = {
    "throughflow": Q(reason__in=THROUGHFLOW_REASONS),
    # The reason first (Q(**kwargs) would sort "durable" before it): the database then runs the follow-up
    # subqueries for throughflow exits only.
    "durable": Q(reason__in=THROUGHFLOW_REASONS) & Q(durable=True),
    "pending": Q(reason__in=THROUGHFLOW_REASONS) & Q(six_months__isnull=True),
}


def ratio_counts(exits, **group_by):
    """Count `exits` (annotated by `with_durable`) by the definition above: {exits, throughflow, durable,
    pending} for the whole queryset, or a list of such dicts (with the group_by keys) per group."""
    counts = {"exits": Count("pk"), **{name: Count("pk", filter=q) for name, q in RATIO_COUNTS.items()}}
    if not group_by:
        # Not .aggregate(): over an annotated queryset Django wraps it in a subquery that leaves out the
        # `durable` column the filter names (SQLite then reads "durable" as a string: never true).
        rows = list(exits.order_by().values(all=Value(1)).annotate(**counts))
        return rows[0] if rows else dict.fromkeys(["exits", *RATIO_COUNTS], 0)
    return list(exits.order_by().values(**group_by).annotate(**counts))


def exits_in_year(organisation, year):
    """The exits of one calendar year with the flag `durable` (one query)."""
    return (with_durable(Exit.objects.filter(organisation=organisation, date__year=year))
            .select_related("worker", "activity", "coach__user")
            .order_by("date", "worker__last_name", "id"))


def exits_in(membership, filters, reason=None, throughflow=None):
    """Exits of the workers the member sees, dated in the period of `filters` (an ExportFilters: start,
    end, activity at the exit date), optionally of one reason or only throughflow; with `durable` and
    `six_months`. The exit list, the dashboard panels and the exits export all read this one queryset."""
    qs = Exit.objects.filter(organisation_id=membership.organisation_id,
                             worker__in=workers_visible_to(membership))
    if filters.start:
        qs = qs.filter(date__gte=filters.start)
    if filters.end:
        qs = qs.filter(date__lte=filters.end)
    if filters.activity_id:
        qs = qs.filter(activity_id=filters.activity_id)
    if reason:
        qs = qs.filter(reason=reason)
    if throughflow:
        qs = qs.filter(reason__in=THROUGHFLOW_REASONS)
    return with_durable(qs)


def exit_list(membership, filters, reason=None, throughflow=None):
    """The exit list page and the exits export: newest first, worker, activity, coach and employer joined."""
    return (exits_in(membership, filters, reason, throughflow)
            .select_related("worker", "activity", "coach__user", "employer")
            .order_by("-date", "worker__last_name", "worker__first_name", "id"))


def followups_in(membership, filters):
    """Aftercare follow-ups of the exits the member sees, due in the period, of exits from the activity."""
    exits = exits_in(membership, type(filters)(activity_id=filters.activity_id))
    qs = FollowUp.objects.filter(organisation_id=membership.organisation_id, exit__in=exits.values("pk"))
    if filters.start:
        qs = qs.filter(due__gte=filters.start)
    if filters.end:
        qs = qs.filter(due__lte=filters.end)
    return qs


def exit_counts_by_reason(membership, filters):
    """{reason: number of exits} for the period (one query)."""
    return dict(exits_in(membership, filters).order_by().values_list("reason").annotate(n=Count("id")))


def ratio_per_year(membership, filters):
    """{year: RatioRow} of the exits in the period (one query, counted per year in the database)."""
    rows = ratio_counts(exits_in(membership, filters), year=ExtractYear("date"))
    return {r["year"]: RatioRow.of(r["year"], str(r["year"]), r) for r in rows}


def ratio_of(exits) -> RatioRow:
    """The ratio of an Exit queryset annotated by `with_durable` (one query)."""
    return RatioRow.of(None, "", ratio_counts(exits))


def throughflow_ratio(organisation, year=None) -> RatioReport:
    """Ratio per organisation, activity and coach for one year: two queries whatever the number of exits."""
    years = sorted({d.year for d in Exit.objects.filter(organisation=organisation)
                    .dates("date", "year")}, reverse=True)
    # A year from the query string outside this range is a forged link; date__year needs a real year.
    if year is None or not 2000 <= year <= 2100:
        year = timezone.localdate().year
    total = RatioRow(None, "")
    activities, coaches = {}, {}
    # One query counted per (activity, coach) in the database; the totals per activity and per coach are sums.
    for r in ratio_counts(with_durable(Exit.objects.filter(organisation=organisation, date__year=year)),
                          activity_key=F("activity_id"), activity_name=F("activity__name"), coach_key=F("coach_id"),
                          first_name=F("coach__user__first_name"), last_name=F("coach__user__last_name")):
        row = RatioRow.of(None, "", r)
        total += row
        a_key, c_key = r["activity_key"], r["coach_key"]
        activities.setdefault(a_key, RatioRow(a_key, r["activity_name"] or "")).__iadd__(row)
        coach_name = f"{r['first_name']} {r['last_name']}".strip() if c_key else ""
        coaches.setdefault(c_key, RatioRow(c_key, coach_name)).__iadd__(row)
    by_label = lambda rows: sorted(rows.values(), key=lambda r: (r.key is None, r.label.lower()))  # noqa: E731
    return RatioReport(years=years if year in years else sorted({*years, year}, reverse=True), year=year,
                       total=total, by_activity=by_label(activities), by_coach=by_label(coaches))


# --------------------------------------------------------------------------- employer directory


def employer_list(organisation, q=""):
    """The directory with each employer's number of hires and last hire (one query)."""
    qs = Employer.objects.filter(organisation=organisation)
    # No keyboard types a NUL, but a forged link can, and PostgreSQL refuses it in a query (a server error).
    q = q.replace("\x00", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(sector__icontains=q) | Q(municipality__icontains=q)
                       | Q(enterprise_number__contains="".join(ch for ch in q if ch.isdigit()) or q))
    return qs.annotate(n_hires=Count("hires"), last_hire=Max("hires__date")).order_by("name", "id")


def employer_detail(organisation, employer_pk):
    """The employer and its hires across the organisation, newest first (two queries)."""
    employer = get_object_or_404(Employer, organisation=organisation, pk=employer_pk)
    hires = list(Exit.objects.filter(employer=employer).select_related("worker", "activity").order_by("-date", "-id"))
    return employer, hires


# --------------------------------------------------------------------------- throughflow track


@dataclass
class TrackSummary:
    track: object
    entries: list
    used: object
    remaining: object
    over: bool
    pauses: list = field(default_factory=list)

    @property
    def beyond(self):
        return -self.remaining


def track_for(worker):
    """The worker's open (or last) track with its hours (two queries), or None."""
    from decimal import Decimal

    from .models import CoachingHours, Track

    track = (Track.objects.filter(worker=worker).order_by(F("closed_on").asc(nulls_first=True), "-start")
             .prefetch_related(Prefetch("hours", queryset=CoachingHours.objects.select_related("created_by")),
                               "pauses")
             .first())
    if track is None:
        return None
    entries = list(track.hours.all())
    used = sum((e.hours for e in entries), Decimal("0"))
    return TrackSummary(track, entries, used, track.budget_hours - used, used > track.budget_hours,
                        list(track.pauses.all()))


# --------------------------------------------------------------------------- readiness, decision, pauses, settings


def readiness_checks_for(worker):
    """The worker's readiness checks, newest first, with their assessments and evaluation request (two queries)."""
    from .models import ReadinessAnswer, ReadinessCheck

    return list(ReadinessCheck.objects.filter(worker=worker)
                .select_related("evaluation_request", "created_by")
                .prefetch_related(Prefetch("answers", queryset=ReadinessAnswer.objects.order_by("id")))
                .order_by("-date", "-id"))


def readiness_check_for(membership, pk, check_pk):
    from .models import ReadinessCheck

    worker = visible_worker(membership, pk)
    check = get_object_or_404(ReadinessCheck.objects.select_related("evaluation_request", "created_by", "updated_by")
                              .prefetch_related("answers"), pk=check_pk, worker=worker)
    return worker, check


@dataclass
class PopCompetences:
    """What the worker's current POP says, read-only for the readiness check (the POP stays the pop app's)."""

    version: object
    competences: list
    job_target: str = ""


def pop_competences_for(worker):
    """The competences of the current POP: the approved version, else the plan being drafted (two queries)."""
    from pop.models import OPEN_STATUSES, PopCompetence, PopStatus, PopVersion

    versions = list(PopVersion.objects.filter(pop__worker=worker, status__in=[PopStatus.APPROVED, *OPEN_STATUSES])
                    .select_related("pop").order_by("-pop__year", "-number"))
    version = next((v for v in versions if v.status == PopStatus.APPROVED), versions[0] if versions else None)
    if version is None:
        return PopCompetences(None, [])
    competences = list(PopCompetence.objects.filter(version=version).select_related("competence"))
    return PopCompetences(version, competences, version.job_target)


def favourable_decision_for(worker):
    """The worker's active favourable throughflow decision recorded on the Indicering tab, or None."""
    from indication.models import Advice, AdviceStatus, AdviceType

    return (Advice.objects.filter(worker=worker, type=AdviceType.THROUGHFLOW_DECISION, favourable=True,
                                  status=AdviceStatus.ACTIVE)
            .order_by("-decision_date", "-id").first())


def evaluation_basis_for(worker):
    """The earliest date the rules allow an evaluation request (shown on the readiness form)."""
    from indication import selectors as indication_selectors
    from indication.models import EvaluationReason

    basis = indication_selectors.worker_evaluation_basis(worker, list(worker.advices.all()),
                                                         trajects_ruleset())
    return basis.earliest_for(EvaluationReason.THROUGHFLOW_READINESS)


def pauses_for(track):
    return list(track.pauses.all()) if track is not None else []


def throughflow_settings(organisation):
    from .models import ThroughflowSettings

    return ThroughflowSettings.objects.filter(organisation=organisation).first()


# --------------------------------------------------------------------------- placement (job target,
# applications, internships, warm handover)


@dataclass
class Placement:
    job_target: object
    applications: list
    internships: list
    handover_note: object
    consents: list

    @property
    def current_consents(self):
        return [c for c in self.consents if c.is_current]


def placement_for(worker) -> Placement:
    """Everything of the job hunt for the tab, in five queries whatever the number of rows."""
    from .models import Application, HandoverConsent, HandoverNote, Internship, JobTarget

    return Placement(
        job_target=JobTarget.objects.filter(worker=worker).select_related("updated_by").first(),
        applications=list(Application.objects.filter(worker=worker).select_related("employer")
                          .order_by("-date", "-id")),
        internships=list(Internship.objects.filter(worker=worker).select_related("employer")
                         .order_by("-start", "-id")),
        handover_note=HandoverNote.objects.filter(worker=worker).select_related("updated_by").first(),
        consents=list(HandoverConsent.objects.filter(worker=worker)
                      .select_related("employer", "recorded_by", "withdrawn_by").order_by("-given_on", "-id")),
    )


def placement_record(membership, pk, model, record_pk):
    """One application / internship / consent of a worker the member sees (404 otherwise)."""
    worker = visible_worker(membership, pk)
    return worker, get_object_or_404(model.objects.select_related("employer"), pk=record_pk, worker=worker)


def employer_internships(employer):
    """The employer's internships across the organisation, newest first (one query)."""
    from .models import Internship

    return list(Internship.objects.filter(employer=employer).select_related("worker").order_by("-start", "-id"))


def directory_employers(organisation):
    return Employer.objects.filter(organisation=organisation).order_by("name", "id")
