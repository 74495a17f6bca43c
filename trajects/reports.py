"""The trajects app's exporters (docs/reports.md), registered in TrajectsConfig.ready()."""

from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.access import current_assignment_q, workers_visible_to
from lde_portal.reports.registry import Column, Exporter, register_exporter

from .models import CoachAssignment, Employment, Regime, Trajectory, TrajectoryDeadline, WorkerStatus

STATUS_NL = {WorkerStatus.RECRUITMENT: "In werving", WorkerStatus.ACTIVE: "Actief",
             WorkerStatus.SUSPENDED: "Geschorst", WorkerStatus.EXITED: "Uit dienst"}
REGIME_NL = {Regime.LDE: "LDE", Regime.TRANSITION: "LDE → IMW overgang", Regime.IMW_5Y: "IMW (5 jaar)",
             Regime.IMW_2Y: "IMW (2 jaar)", Regime.CMW: "CMW"}


def _latest_employment(worker_ref="pk"):
    return Employment.objects.filter(worker=OuterRef(worker_ref)).order_by("-contract_start", "-id")


def _coaches(prefix=""):
    return Prefetch(f"{prefix}coach_assignments", to_attr="current_assignments",
                    queryset=CoachAssignment.objects.filter(current_assignment_q()).select_related("coach__user"))


def _coach_names(worker):
    return ", ".join(a.coach.user.get_full_name() or a.coach.user.get_username() for a in worker.current_assignments)


def _decimal(value, places):
    # Subquery annotations come back from SQLite with the float's full expansion (30.4000000000000).
    return None if value is None else Decimal(value).quantize(Decimal(places))


def employed_workers(membership, filters):
    """Visible workers with their latest contract, employed (latest contract overlapping) in the period
    and working in the activity. The manager dashboard counts this same queryset."""
    latest = _latest_employment()
    qs = workers_visible_to(membership).annotate(
        current_activity_id=Subquery(latest.values("activity_id")[:1]),
        current_activity_name=Subquery(latest.values("activity__name")[:1]),
        current_start=Subquery(latest.values("contract_start")[:1]),
        current_end=Subquery(latest.values("contract_end")[:1]),
        current_hours=Subquery(latest.values("weekly_hours")[:1]),
        current_fte=Subquery(latest.values("fte")[:1]),
    ).exclude(status=WorkerStatus.RECRUITMENT)
    if filters.start or filters.end:
        # The latest contract can only overlap the period if some contract does: this semi-join on the contract
        # dates drops the workers who left before the period (most of a large organisation's history) before
        # the per-worker subqueries run (issue #10 benchmark).
        overlapping = Employment.objects.filter(organisation_id=membership.organisation_id)
        if filters.end:
            overlapping = overlapping.filter(contract_start__lte=filters.end)
        if filters.start:
            overlapping = overlapping.filter(Q(contract_end__isnull=True) | Q(contract_end__gte=filters.start))
        qs = qs.filter(pk__in=overlapping.values("worker_id"))
    if filters.activity_id:
        qs = qs.filter(current_activity_id=filters.activity_id)
    if filters.end:
        qs = qs.filter(current_start__lte=filters.end)
    if filters.start:
        qs = qs.filter(Q(current_end__isnull=True) | Q(current_end__gte=filters.start))
    return qs


class WorkerExporter(Exporter):
    key = "workers"
    label = _("Workers")
    description = _("Every worker employed in the period (latest contract), with activity, hours and coaches.")
    order = 10
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"),
        Column("insz", "INSZ", "rijksregisternummer, 11 cijfers"), Column("birth_date", "Geboortedatum"),
        Column("status", "Status"), Column("status_since", "Status sinds"), Column("activity", "Activiteit"),
        Column("contract_start", "Start contract"), Column("contract_end", "Einde contract"),
        Column("hours", "Uren per week"), Column("fte", "VTE", "voltijds equivalent, bv. 0,8"),
        Column("coaches", "Begeleiders", "huidige begeleiders, komma-gescheiden"),
    )

    def queryset(self, organisation, membership, filters):
        return employed_workers(membership, filters)

    def count(self, organisation, membership, filters):
        return self.queryset(organisation, membership, filters).count()

    def rows(self, organisation, membership, filters):
        qs = self.queryset(organisation, membership, filters).order_by("last_name", "first_name", "id")
        for w in qs.prefetch_related(_coaches()).iterator(chunk_size=2000):
            yield (w.last_name, w.first_name, w.insz, w.birth_date, STATUS_NL.get(w.status, w.status),
                   w.status_since, w.current_activity_name, w.current_start, w.current_end,
                   _decimal(w.current_hours, "0.1"), _decimal(w.current_fte, "0.001"), _coach_names(w))


def trajectories_in(membership, filters):
    """Trajectories of visible workers that run during the period (started before its end, not closed
    before its start), in the activity of the worker's latest contract."""
    latest = _latest_employment("worker_id")
    qs = Trajectory.objects.filter(worker__in=workers_visible_to(membership)).annotate(
        current_activity_id=Subquery(latest.values("activity_id")[:1]),
        current_activity_name=Subquery(latest.values("activity__name")[:1]),
    )
    if filters.activity_id:
        qs = qs.filter(current_activity_id=filters.activity_id)
    if filters.end:
        qs = qs.filter(start__lte=filters.end)
    if filters.start:
        qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=filters.start))
    return qs


class TrajectoryExporter(Exporter):
    key = "trajectories"
    label = _("Trajectories")
    description = _("Every trajectory running in the period: regime, term, phase, closing and next deadline.")
    order = 20
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("insz", "INSZ"),
        Column("activity", "Activiteit"), Column("regime", "Regime"), Column("start", "Start tewerkstelling"),
        Column("planned_end", "Gepland einde", "inclusief verlengingen en schorsingen"),
        Column("phase", "Fase"), Column("closed_on", "Afgesloten op"), Column("closed_reason", "Reden afsluiting"),
        Column("next_due", "Volgende deadline"), Column("next_due_kind", "Soort deadline"),
    )

    def count(self, organisation, membership, filters):
        return trajectories_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        qs = (trajectories_in(membership, filters).select_related("worker", "current_phase")
              .order_by("worker__last_name", "worker__first_name", "start", "id"))
        for t in qs.iterator(chunk_size=2000):
            yield (t.worker.last_name, t.worker.first_name, t.worker.insz, t.current_activity_name,
                   REGIME_NL.get(t.regime, t.regime), t.start, t.planned_end,
                   t.current_phase.name if t.current_phase else "", t.closed_on,
                   t.get_closed_reason_display() if t.closed_reason else "", t.next_due, t.next_due_kind)


def deadlines_in(membership, filters):
    latest = _latest_employment("worker_id")
    qs = TrajectoryDeadline.objects.filter(worker__in=workers_visible_to(membership)).annotate(
        current_activity_id=Subquery(latest.values("activity_id")[:1]),
        current_activity_name=Subquery(latest.values("activity__name")[:1]),
    )
    if filters.activity_id:
        qs = qs.filter(current_activity_id=filters.activity_id)
    if filters.start:
        qs = qs.filter(due__gte=filters.start)
    if filters.end:
        qs = qs.filter(due__lte=filters.end)
    return qs


class DeadlineExporter(Exporter):
    key = "deadlines"
    label = _("Trajectory deadlines")
    description = _("Every legal deadline of the open trajectories that falls in the period, soonest first.")
    order = 30
    columns = (
        Column("due", "Vervaldatum"), Column("kind", "Soort", "naam van de regel (trajectory_end, first_pop_due, ...)"),
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("activity", "Activiteit"),
        Column("regime", "Regime"), Column("rule", "Regel"), Column("source", "Wettelijke bron"),
    )

    def count(self, organisation, membership, filters):
        return deadlines_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        qs = deadlines_in(membership, filters).select_related("worker", "trajectory").order_by("due", "kind", "id")
        for d in qs.iterator(chunk_size=2000):
            yield (d.due, d.kind, d.worker.last_name, d.worker.first_name, d.current_activity_name,
                   REGIME_NL.get(d.trajectory.regime, d.trajectory.regime), d.rule, d.source)


def register():
    for exporter in (WorkerExporter, TrajectoryExporter, DeadlineExporter):
        register_exporter(exporter)
