"""The trajects app's exporters (docs/reports.md), registered in TrajectsConfig.ready()."""

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lde_portal.accounts.access import current_assignment_q, workers_visible_to
from lde_portal.alerts.registry import kind_choices
from lde_portal.periods import dated_in, in_activity, running_in
from lde_portal.reports.registry import EXPORT_LANGUAGE, Column, Exporter, choice_words, register_exporter

from .models import ClosedReason, CoachAssignment, Employment, Regime, Trajectory, TrajectoryDeadline, WorkerStatus
from .rules import explain
from .selectors import current_activity, latest_employment, rule_labels

# The files' own words where they differ from the pages' (read by choice_words; named here for makemessages).
# The statuses have none: a separate word list once called an exited worker "Uit dienst" where every page
# says "Uitgestroomd".
EXPORT_WORDS = (pgettext_lazy("export", "LDE → IMW transition"), pgettext_lazy("export", "IMW (5 years, renewable)"),
                pgettext_lazy("export", "IMW (2 years, not renewable)"), pgettext_lazy("export", "Collective custom work"))


def current_coach_names(workers) -> dict:
    """{worker id: [names of the current coaches, in assignment order]} for a queryset of workers, one query."""
    names = {}
    for worker_id, first, last, email in (CoachAssignment.objects.filter(current_assignment_q(),
                                                                          worker__in=workers.values("pk"))
                                          .order_by("start", "id")
                                          .values_list("worker_id", "coach__user__first_name",
                                                       "coach__user__last_name", "coach__user__email")):
        names.setdefault(worker_id, []).append(f"{first} {last}".strip() or email)
    return names


def kind_labels_nl() -> dict:
    """{deadline kind: its name in the alerts ("Einde traject")}, in Dutch like the rest of the files; a
    figure list shows the same rows, and staff never read the stored kind ("trajectory_end")."""
    with translation.override(EXPORT_LANGUAGE):
        return {kind: str(label) for kind, label in kind_choices()}


def _decimal(value, places):
    # Subquery annotations come back from SQLite with the float's full expansion (30.4000000000000).
    return None if value is None else Decimal(value).quantize(Decimal(places))


NO_REGIME = "none"  # the subset of the employed workers without an open trajectory


def open_regime():
    """The regime of the worker's open trajectory (at most one: a constraint), for a Subquery."""
    return Trajectory.objects.filter(worker=OuterRef("pk"), closed_on__isnull=True).values("regime")[:1]


def employed_workers(membership, filters):
    """Visible workers with their latest contract, employed (latest contract overlapping) in the period
    and working in the activity. The manager dashboard counts this same queryset."""
    latest = latest_employment()
    qs = workers_visible_to(membership).annotate(
        **current_activity(),
        current_start=Subquery(latest.values("contract_start")[:1]),
        current_end=Subquery(latest.values("contract_end")[:1]),
        current_hours=Subquery(latest.values("weekly_hours")[:1]),
        current_fte=Subquery(latest.values("fte")[:1]),
    ).exclude(status=WorkerStatus.RECRUITMENT)
    if filters.start or filters.end:
        # The latest contract can only overlap the period if some contract does: this semi-join on the contract
        # dates drops the workers who left before the period (most of a large organisation's history) before
        # the per-worker subqueries run (issue #10 benchmark).
        overlapping = running_in(Employment.objects.filter(organisation_id=membership.organisation_id),
                                 "contract_start", "contract_end", filters)
        qs = qs.filter(pk__in=overlapping.values("worker_id"))
    return running_in(in_activity(qs, "current_activity_id", filters), "current_start", "current_end", filters)


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
        Column("regime", "Regime", "regime van het open traject; leeg zonder open traject"),
    )
    totals = ("fte",)

    def subset_choices(self):
        return {"regime": {**choice_words(Regime),
                           NO_REGIME: str(_("No open trajectory"))}}

    def queryset(self, organisation, membership, filters):
        qs = employed_workers(membership, filters).annotate(regime=Subquery(open_regime()))
        regime = filters.get("regime")
        if regime == NO_REGIME:
            qs = qs.filter(regime__isnull=True)
        elif regime:
            qs = qs.filter(regime=regime)
        return qs

    def count(self, organisation, membership, filters):
        return self.queryset(organisation, membership, filters).count()

    def rows(self, organisation, membership, filters):
        # Plain tuples and one query for all coach names: building model instances and prefetching per chunk
        # was most of an export's time at sector scale (issue #10 benchmark).
        qs = self.queryset(organisation, membership, filters)
        names = current_coach_names(qs)
        status_nl, regimes = choice_words(WorkerStatus), choice_words(Regime)
        for (pk, last, first, insz, birth, status, since, activity, start, end, hours,
             fte, regime) in qs.order_by("last_name", "first_name", "id").values_list(
                "pk", "last_name", "first_name", "insz", "birth_date", "status", "status_since",
                "current_activity_name", "current_start", "current_end", "current_hours", "current_fte", "regime",
        ).iterator(chunk_size=2000):
            yield (last, first, insz, birth, status_nl.get(status, status), since, activity, start, end,
                   _decimal(hours, "0.1"), _decimal(fte, "0.001"), ", ".join(names.get(pk, [])),
                   regimes.get(regime, regime or ""))


ENDING = "ending"  # the subset of the open trajectories whose planned end falls in the period


def trajectories_in(membership, filters):
    """Trajectories of visible workers that run during the period (started before its end, not closed
    before its start), in the activity of the worker's latest contract; with the subset `ending`, the open
    trajectories planned to end in the period (the manager's "trajectory ends per quarter")."""
    qs = in_activity(Trajectory.objects.filter(worker__in=workers_visible_to(membership)).annotate(
        **current_activity("worker_id")), "current_activity_id", filters)
    if filters.get(ENDING):
        return dated_in(qs.filter(closed_on__isnull=True, planned_end__isnull=False), "planned_end", filters)
    return running_in(qs, "start", "closed_on", filters)


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
        Column("next_due", "Volgende deadline"), Column("next_due_kind", "Soort deadline", "zoals de meldingen hem noemen"),
    )

    def subset_choices(self):
        return {ENDING: {"1": str(_("Open, planned to end in the period"))}}

    def count(self, organisation, membership, filters):
        return trajectories_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        reasons, regimes = choice_words(ClosedReason), choice_words(Regime)
        kinds = kind_labels_nl()
        qs = (trajectories_in(membership, filters).order_by("worker__last_name", "worker__first_name", "start", "id")
              .values_list("worker__last_name", "worker__first_name", "worker__insz", "current_activity_name",
                           "regime", "start", "planned_end", "current_phase__name", "closed_on", "closed_reason",
                           "next_due", "next_due_kind"))
        for last, first, insz, activity, regime, start, end, phase, closed_on, reason, due, kind in qs.iterator(
                chunk_size=2000):
            yield (last, first, insz, activity, regimes.get(regime, regime), start, end, phase or "", closed_on,
                   reasons.get(reason, reason) if reason else "", due, kinds.get(kind, kind or ""))


def deadlines_in(membership, filters):
    qs = in_activity(TrajectoryDeadline.objects.filter(worker__in=workers_visible_to(membership)).annotate(
        **current_activity("worker_id")), "current_activity_id", filters)
    if filters.get("kind"):
        qs = qs.filter(kind=filters.get("kind"))
    return dated_in(qs, "due", filters)


class DeadlineExporter(Exporter):
    key = "deadlines"
    label = _("Trajectory deadlines")
    description = _("Every legal deadline of the open trajectories that falls in the period, soonest first.")
    order = 30
    columns = (
        Column("due", "Vervaldatum"), Column("kind", "Soort", "de termijn zoals de meldingen hem noemen (Einde traject, ...)"),
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("activity", "Activiteit"),
        Column("regime", "Regime"), Column("rule", "Regel", "de regel uit de regelgevingstabel en waarom deze datum"),
        Column("source", "Wettelijke bron"),
    )

    def subset_choices(self):
        return {"kind": {kind: str(label) for kind, label in kind_choices()}}

    def count(self, organisation, membership, filters):
        return deadlines_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        labels, regimes = rule_labels(), choice_words(Regime)
        kinds = kind_labels_nl()
        qs = deadlines_in(membership, filters).order_by("due", "kind", "id").values_list(
            "due", "kind", "worker__last_name", "worker__first_name", "current_activity_name", "trajectory__regime",
            "rule", "reason", "source")
        for due, kind, last, first, activity, regime, rule, reason, source in qs.iterator(chunk_size=2000):
            # The files go out in Dutch whatever the language of whoever downloads them (the column headers too).
            with translation.override(EXPORT_LANGUAGE):
                text = " — ".join(t for t in (labels.get(rule.split(":", 1)[0], ""), explain(reason)) if t)
            yield (due, kinds.get(kind, kind), last, first, activity, regimes.get(regime, regime), text, source)


def register():
    for exporter in (WorkerExporter, TrajectoryExporter, DeadlineExporter):
        register_exporter(exporter)
