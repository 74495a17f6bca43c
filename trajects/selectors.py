"""Every read the worker-register views need, scoped by the acting membership."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lde_portal.accounts.access import current_assignment_q, workers_visible_to
from lde_portal.accounts.models import Activity, Membership, Role
from lde_portal.dossier import visible_worker

from . import rules
from .models import (
    CoachAssignment,
    Employment,
    PhaseDefinition,
    PhasePeriod,
    RegimeRule,
    RuleRegime,
    Trajectory,
    TrajectoryDeadline,
    Worker,
    WorkerStatus,
)
from .rules import add_months

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "status": ("status", "last_name", "id"),
    "start": ("current_start", "last_name", "id"),
    "-start": ("-current_start", "last_name", "id"),
    "activity": ("current_activity_name", "last_name", "id"),
}


def ruleset() -> rules.RuleSet:
    """The rule table in force: the editable RegimeRule rows (one query), or the shipped defaults when the
    table is empty (a database flushed by a test). The one reader every app uses, so an edit to the table
    reaches every deadline; callers build it once per request or job and pass it on."""
    rows = list(RegimeRule.objects.all())
    return rules.RuleSet.from_rows(rows) if rows else rules.RuleSet.default()


def latest_employment(worker_ref="pk"):
    """The worker's contracts, latest first, for a subquery on `worker_ref` of the outer query."""
    return Employment.objects.filter(worker=OuterRef(worker_ref)).order_by("-contract_start", "-id")


def current_activity(worker_ref="pk") -> dict:
    """Annotations `current_activity_id` and `current_activity_name`: the activity of the latest contract.

    The name is looked up by the id above: joining activities inside the per-worker subquery made
    PostgreSQL hash the whole activity table once per row (issue #10 benchmark). (order_by(): the model's
    ordering by name would sort inside every lookup.)
    """
    return {"current_activity_id": Subquery(latest_employment(worker_ref).values("activity_id")[:1]),
            "current_activity_name": Subquery(Activity.objects.filter(pk=OuterRef("current_activity_id"))
                                              .order_by().values("name"))}


def _current_assignments_prefetch():
    return Prefetch(
        "coach_assignments",
        queryset=CoachAssignment.objects.filter(current_assignment_q()).select_related("coach__user"),
        to_attr="current_assignments",
    )


def worker_list(membership: Membership, *, q="", activity=None, coach=None, status=None, sort="name"):
    """The workers this member may see, with their current activity and coaches, filtered and sorted.

    One query for the rows (activity through subqueries) and one for the coaches, whatever the size.
    """
    qs = workers_visible_to(membership).annotate(
        **current_activity(), current_start=Subquery(latest_employment().values("contract_start")[:1]))
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        name_q = Q()
        for term in q.split():
            name_q &= Q(first_name__icontains=term) | Q(last_name__icontains=term)
        qs = qs.filter(name_q | Q(insz__startswith=digits)) if len(digits) >= 4 else qs.filter(name_q)
    if activity:
        qs = qs.filter(current_activity_id=activity)
    if coach:
        qs = qs.filter(pk__in=CoachAssignment.objects.filter(current_assignment_q(), coach_id=coach).values("worker_id"))
    if status == "current":
        qs = qs.exclude(status=WorkerStatus.EXITED)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by(*SORTS.get(sort, SORTS["name"])).prefetch_related(_current_assignments_prefetch())


def activities_for(organisation, *, active_only=False):
    qs = Activity.objects.filter(organisation=organisation)
    return qs.filter(active=True) if active_only else qs


def coaches_for(organisation):
    """Members who can be assigned to guide workers (coaches and coordinators)."""
    return (
        Membership.objects.filter(organisation=organisation, active=True, role__in=[Role.COACH, Role.COORDINATOR])
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


@dataclass
class Dossier:
    worker: Worker
    employments: list
    assignments: list
    current_employment: Employment | None
    current_assignments: list


def assignment_for(worker: Worker, pk) -> CoachAssignment:
    """One of the worker's coach assignments (the worker comes from visible_worker, so it is in scope), or 404."""
    return get_object_or_404(CoachAssignment.objects.select_related("coach__user"), pk=pk, worker=worker)


def employment_for(worker: Worker, pk) -> Employment:
    """One of the worker's contracts (the worker comes from visible_worker, so it is in scope), or 404."""
    return get_object_or_404(Employment, pk=pk, worker=worker)


def worker_dossier(membership: Membership, pk) -> Dossier:
    worker = visible_worker(membership, pk)
    employments = list(Employment.objects.filter(worker=worker).select_related("activity"))
    assignments = list(CoachAssignment.objects.filter(worker=worker).select_related("coach__user"))
    today = timezone.localdate()
    current = [a for a in assignments if a.start <= today and (a.end is None or a.end >= today)]
    return Dossier(worker, employments, assignments, employments[0] if employments else None, current)


def worker_history(membership: Membership, pk):
    worker = visible_worker(membership, pk)
    return worker, list(worker.status_changes.select_related("created_by"))


def organisation_counts(membership: Membership) -> dict:
    """Counts by status and by current activity for the home page of coordinators, managers and admins."""
    workers = workers_visible_to(membership)
    by_status = dict(workers.values_list("status").annotate(n=Count("id")))
    active = workers.exclude(status=WorkerStatus.EXITED).annotate(
        current_activity=Subquery(latest_employment().values("activity_id")[:1])
    )
    per_activity = dict(active.values_list("current_activity").annotate(n=Count("id")))
    activities = list(Activity.objects.filter(organisation_id=membership.organisation_id))
    return {
        "by_status": [(value, label, by_status.get(value, 0)) for value, label in WorkerStatus.choices],
        "by_activity": [(a, per_activity.get(a.pk, 0)) for a in activities]
        + ([(None, per_activity[None])] if per_activity.get(None) else []),
        "total": sum(by_status.values()),
    }


# =========================================================================== trajectories (issue #3)


@dataclass
class TrajectoryDossier:
    worker: Worker
    trajectories: list  # newest first, each with suspensions/extensions/milestones/phase_periods/deadlines
    current: object | None  # the open trajectory, if any
    sine_statuses: list


def trajectory_dossier(membership: Membership, pk) -> TrajectoryDossier:
    """The worker's trajectories with everything the Traject tab draws, in a fixed number of queries."""
    worker = visible_worker(membership, pk)
    trajectories = list(
        Trajectory.objects.filter(worker=worker)
        .select_related("current_phase")
        .prefetch_related(
            "suspensions", "extensions", "milestones",
            Prefetch("phase_periods", queryset=PhasePeriod.objects.select_related("phase")),
            Prefetch("deadlines", queryset=TrajectoryDeadline.objects.order_by("due", "kind")),
        )
    )
    for t in trajectories:
        t.worker = worker
    current = next((t for t in trajectories if t.closed_on is None), None)
    return TrajectoryDossier(worker, trajectories, current, list(worker.sine_statuses.all()))


def open_trajectory_for(membership: Membership, pk):
    """(worker, open trajectory or None) for the trajectory forms; 404 for workers the member may not see."""
    worker = visible_worker(membership, pk)
    trajectory = Trajectory.objects.filter(worker=worker, closed_on__isnull=True).select_related("current_phase").first()
    if trajectory is not None:
        trajectory.worker = worker
    return worker, trajectory


def phases_for(organisation, *, active_only=True):
    qs = PhaseDefinition.objects.filter(organisation=organisation)
    return qs.filter(active=True) if active_only else qs


def _trajectory_ends_qs(membership: Membership, *, today, months: int, activity=None, coach=None):
    workers = workers_visible_to(membership)
    qs = Trajectory.objects.filter(worker__in=workers, closed_on__isnull=True,
                                   planned_end__lte=add_months(today, months))
    if activity:
        latest = Employment.objects.filter(worker=OuterRef("worker_id")).order_by("-contract_start", "-id")
        qs = qs.annotate(current_activity_id=Subquery(latest.values("activity_id")[:1])).filter(
            current_activity_id=activity)
    if coach:
        qs = qs.filter(worker_id__in=CoachAssignment.objects.filter(current_assignment_q(), coach_id=coach)
                       .values("worker_id"))
    return qs


def trajectory_ends(membership: Membership, *, today, months: int, activity=None, coach=None):
    """Open trajectories of visible workers ending by today + `months` (overdue ones included), soonest first.

    A queryset to paginate: one query for a page's rows (current activity through a subquery) and one
    for their coaches.
    """
    qs = _trajectory_ends_qs(membership, today=today, months=months, activity=activity, coach=coach)
    # Only the columns the page shows: at 25 rows a page the model building is most of its time (issue #10).
    return (qs.select_related("worker", "current_phase")
            .only("id", "organisation_id", "worker_id", "regime", "planned_end", "current_phase__name",
                  "worker__id", "worker__organisation_id", "worker__last_name", "worker__first_name")
            .annotate(**current_activity("worker_id"))
            .order_by("planned_end", "worker__last_name", "id")
            .prefetch_related(Prefetch("worker__coach_assignments",
                                       queryset=CoachAssignment.objects.filter(current_assignment_q())
                                       .select_related("coach__user"),
                                       to_attr="current_assignments")))


def trajectory_ends_per_quarter(membership: Membership, *, today, months: int, activity=None, coach=None):
    """[(year, quarter, n)] of the same trajectories, soonest first, from one grouped query; the overdue
    ones (past their planned end, still open) come first as (None, None, n). The page shows 25 rows at a
    time, these totals tell the manager what is coming over the whole horizon."""
    overdue = When(planned_end__lt=today, then=Value(None, output_field=IntegerField()))
    qs = _trajectory_ends_qs(membership, today=today, months=months, activity=activity, coach=coach)
    rows = (qs.order_by().values(year=Case(overdue, default=ExtractYear("planned_end")),
                                 quarter=Case(overdue, default=ExtractQuarter("planned_end")))
            .annotate(n=Count("id")))
    return sorted(((r["year"], r["quarter"], r["n"]) for r in rows),
                  key=lambda r: (r[0] is not None, r[0] or 0, r[1] or 0))


def rule_labels() -> dict:
    """{"LDE.term_years": Dutch label} for every rule of the table (one query)."""
    return {f"{regime}.{key}": label for regime, key, label in
            RegimeRule.objects.order_by("valid_from").values_list("regime", "key", "label_nl")}


def regime_rules_grouped():
    """The rule table grouped by regime, in the order of RuleRegime."""
    rows = list(RegimeRule.objects.all())
    return [(label, [r for r in rows if r.regime == value]) for value, label in RuleRegime.choices
            if any(r.regime == value for r in rows)]
