"""Exits and aftercare: the worker's exit and follow-ups, the exit lists and the throughflow ratio."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lde_portal.accounts.access import has_perm, workers_visible_to
from lde_portal.periods import dated_in, in_activity
from trajects.models import CoachAssignment, Worker

from ..models import THROUGHFLOW_REASONS, Exit, FollowUp, ThroughflowSettings


def exit_for(worker):
    """The worker's exit with its activity, coach and follow-ups (two queries), or None."""
    return (Exit.objects.filter(worker=worker)
            .select_related("activity", "coach__user", "created_by")
            .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.select_related("recorded_by")))
            .first())


def former_workers_of(membership):
    """Exited workers this coach was assigned to on the exit date. The assignment ends with the exit, so
    `workers_visible_to` no longer lists them (nor their dossier or confidential section); the coach who made
    the aftercare calls keeps only the follow-ups (docs/journeys.md: the 6-month call)."""
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
    if worker is None and not has_perm(membership, "worker.view_all"):
        worker = former_workers_of(membership).filter(pk=pk).first()
    if worker is None:
        raise Http404
    followup = get_object_or_404(FollowUp.objects.select_related("exit"), pk=followup_pk, worker=worker)
    return worker, followup, in_dossier


# --------------------------------------------------------------------------- throughflow ratio
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


def exits_in(membership, filters, reason=None, throughflow=None, durable=None):
    """Exits of the workers the member sees, dated in the period of `filters` (an ExportFilters: start,
    end, activity at the exit date), optionally of one reason, only throughflow or only durable throughflow
    (the numerators of the two ratios, RATIO_COUNTS); with `durable` and `six_months`. The exit list, the dashboard panels and the exits export all read this one queryset."""
    qs = Exit.objects.filter(organisation_id=membership.organisation_id,
                             worker__in=workers_visible_to(membership))
    qs = in_activity(dated_in(qs, "date", filters), "activity_id", filters)
    if reason:
        qs = qs.filter(reason=reason)
    if throughflow or durable:
        qs = qs.filter(reason__in=THROUGHFLOW_REASONS)
    qs = with_durable(qs)
    return qs.filter(durable=True) if durable else qs


def exit_list(membership, filters, reason=None, throughflow=None, durable=None):
    """The exit list page and the exits export: newest first, worker, activity, coach and employer joined."""
    return (exits_in(membership, filters, reason, throughflow, durable)
            .select_related("worker", "activity", "coach__user", "employer")
            .order_by("-date", "worker__last_name", "worker__first_name", "id"))


def followups_in(membership, filters):
    """Aftercare follow-ups of the exits the member sees, due in the period, of exits from the activity."""
    exits = exits_in(membership, type(filters)(activity_id=filters.activity_id))
    return dated_in(FollowUp.objects.filter(organisation_id=membership.organisation_id, exit__in=exits.values("pk")),
                    "due", filters)


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


def throughflow_settings(organisation):
    return ThroughflowSettings.objects.filter(organisation=organisation).first()
