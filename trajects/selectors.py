"""Every read the worker-register views need, scoped by the acting membership."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lde_portal.accounts.access import current_assignment_q, workers_visible_to
from lde_portal.accounts.models import Activity, Membership, Role

from .models import CoachAssignment, Employment, Worker, WorkerStatus

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "status": ("status", "last_name", "id"),
    "start": ("current_start", "last_name", "id"),
    "-start": ("-current_start", "last_name", "id"),
    "activity": ("current_activity_name", "last_name", "id"),
}


def _latest_employment():
    return Employment.objects.filter(worker=OuterRef("pk")).order_by("-contract_start", "-id")


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
        current_activity_id=Subquery(_latest_employment().values("activity_id")[:1]),
        current_activity_name=Subquery(_latest_employment().values("activity__name")[:1]),
        current_start=Subquery(_latest_employment().values("contract_start")[:1]),
    )
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
    if status:
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


def worker_for(membership: Membership, pk) -> Worker:
    """One worker the member may see, or 404 (another organisation's or an unassigned worker)."""
    return get_object_or_404(workers_visible_to(membership), pk=pk)


@dataclass
class Dossier:
    worker: Worker
    employments: list
    assignments: list
    current_employment: Employment | None
    current_assignments: list


def worker_dossier(membership: Membership, pk) -> Dossier:
    worker = worker_for(membership, pk)
    employments = list(Employment.objects.filter(worker=worker).select_related("activity"))
    assignments = list(CoachAssignment.objects.filter(worker=worker).select_related("coach__user"))
    today = timezone.localdate()
    current = [a for a in assignments if a.start <= today and (a.end is None or a.end >= today)]
    return Dossier(worker, employments, assignments, employments[0] if employments else None, current)


def worker_history(membership: Membership, pk):
    worker = worker_for(membership, pk)
    return worker, list(worker.status_changes.select_related("created_by"))


def organisation_counts(membership: Membership) -> dict:
    """Counts by status and by current activity for the home page of coordinators, managers and admins."""
    workers = workers_visible_to(membership)
    by_status = dict(workers.values_list("status").annotate(n=Count("id")))
    active = workers.exclude(status=WorkerStatus.EXITED).annotate(
        current_activity=Subquery(_latest_employment().values("activity_id")[:1])
    )
    per_activity = dict(active.values_list("current_activity").annotate(n=Count("id")))
    activities = list(Activity.objects.filter(organisation_id=membership.organisation_id))
    return {
        "by_status": [(value, label, by_status.get(value, 0)) for value, label in WorkerStatus.choices],
        "by_activity": [(a, per_activity.get(a.pk, 0)) for a in activities]
        + ([(None, per_activity[None])] if per_activity.get(None) else []),
        "total": sum(by_status.values()),
    }
