"""Reads of the throughflow app: the only place for select_related / prefetch_related."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lde_portal.accounts.access import workers_visible_to

from .models import Employer, Exit, FollowUp


def exit_for(worker):
    """The worker's exit with its activity, coach and follow-ups (two queries), or None."""
    return (Exit.objects.filter(worker=worker)
            .select_related("activity", "coach__user", "created_by")
            .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.select_related("recorded_by")))
            .first())


def followup_for(membership, pk, followup_pk):
    worker = get_object_or_404(workers_visible_to(membership), pk=pk)
    followup = get_object_or_404(FollowUp.objects.select_related("exit"), pk=followup_pk, worker=worker)
    return worker, followup


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


def exits_in_year(organisation, year):
    """The exits of one calendar year with the flag `durable` (one query)."""
    durable = FollowUp.objects.filter(exit=OuterRef("pk"), months=DURABLE_MONTHS, still_employed=True)
    return (Exit.objects.filter(organisation=organisation, date__year=year)
            .annotate(durable=Exists(durable))
            .select_related("worker", "activity", "coach__user")
            .order_by("date", "worker__last_name", "id"))


def throughflow_ratio(organisation, year=None) -> RatioReport:
    """Ratio per organisation, activity and coach for one year: two queries whatever the number of exits."""
    years = sorted({d.year for d in Exit.objects.filter(organisation=organisation)
                    .dates("date", "year")}, reverse=True)
    # A year from the query string outside this range is a forged link; date__year needs a real year.
    if year is None or not 2000 <= year <= 2100:
        year = timezone.localdate().year
    total = RatioRow(None, "")
    activities, coaches = {}, {}
    for exit_ in exits_in_year(organisation, year):
        a_key = exit_.activity_id
        c_key = exit_.coach_id
        rows = [total,
                activities.setdefault(a_key, RatioRow(a_key, exit_.activity.name if exit_.activity else "")),
                coaches.setdefault(c_key, RatioRow(c_key, exit_.coach.user.get_full_name() if exit_.coach else ""))]
        for row in rows:
            row.exits += 1
            row.throughflow += exit_.is_throughflow
            row.durable += exit_.is_throughflow and exit_.durable
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

    @property
    def beyond(self):
        return -self.remaining


def track_for(worker):
    """The worker's open (or last) track with its hours (two queries), or None."""
    from decimal import Decimal

    from .models import CoachingHours, Track

    track = (Track.objects.filter(worker=worker).order_by(F("closed_on").asc(nulls_first=True), "-start")
             .prefetch_related(Prefetch("hours", queryset=CoachingHours.objects.select_related("created_by")))
             .first())
    if track is None:
        return None
    entries = list(track.hours.all())
    used = sum((e.hours for e in entries), Decimal("0"))
    return TrackSummary(track, entries, used, track.budget_hours - used, used > track.budget_hours)
