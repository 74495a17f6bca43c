"""The trajects app's dashboard panels (docs/reports.md), registered in TrajectsConfig.ready()."""

import datetime
from collections import Counter
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lde_portal import periods
from lde_portal.accounts.access import current_assignment_q, workers_visible_to
from lde_portal.accounts.models import Membership
from lde_portal.alerts.registry import label_for as alert_label
from lde_portal.reports.dashboards import (
    COACH_DASHBOARD,
    COORDINATOR_DASHBOARD,
    MANAGER_DASHBOARD,
    Bar,
    Figure,
    Panel,
    register_panel,
)
from lde_portal.reports.registry import ExportFilters, choice_words

from .models import CoachAssignment, Regime, WorkerStatus
from .reports import ENDING, NO_REGIME, deadlines_in, employed_workers, open_regime, trajectories_in


def _url(name, org, **params):
    url = reverse(name, kwargs={"org_slug": org.slug})
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _export_url(org, key, filters, **extra):
    return reverse("reports:export", kwargs={"org_slug": org.slug, "key": key}) + "?" + periods.query(filters, **extra)


def figure_list_url(org, key, filters, **subset):
    """The rows behind a figure (reports:figure_list): the exporter's rows for the same filters, the
    download one click further."""
    return reverse("reports:figure_list", kwargs={"org_slug": org.slug, "key": key}) + "?" + periods.query(
        filters, **subset)


def workforce_filters(filters, today):
    """Without a period the workforce is today's."""
    if filters.start or filters.end:
        return filters
    return ExportFilters(start=today, end=today, activity_id=filters.activity_id)


def workforce_and_regime(organisation, membership, filters, today):
    """The "workers and FTE by activity" and "workers by regime" panels from one grouped query: both count
    the same employed workers, and at sector scale each pass over them cost about 10 ms (issue #10)."""
    filters = workforce_filters(filters, today)
    groups = list(employed_workers(membership, filters).annotate(regime=Subquery(open_regime()))
                  .values("current_activity_id", "current_activity_name", "regime")
                  .annotate(n=Count("id"), fte=Sum("current_fte")).order_by())
    per_activity, per_regime = {}, Counter()
    for g in groups:
        activity = per_activity.setdefault(g["current_activity_id"], {
            "current_activity_id": g["current_activity_id"], "current_activity_name": g["current_activity_name"],
            "n": 0, "fte": Decimal(0)})
        activity["n"] += g["n"]
        activity["fte"] += Decimal(g["fte"] or 0)
        per_regime[g["regime"]] += g["n"]
    rows = sorted(per_activity.values(), key=lambda r: (r["current_activity_name"] is None,
                                                         r["current_activity_name"] or ""))
    return [_workforce_panel(organisation, filters, rows), _regime_panel(organisation, filters, per_regime)]


def _workforce_panel(organisation, filters, rows):
    total = sum(r["n"] for r in rows)
    fte = sum((r["fte"] for r in rows), Decimal(0)).quantize(Decimal("0.1"))
    return Panel(
        key="trajects.workforce", title=_("Workers and FTE by activity"),
        figures=[Figure(_("Workers employed"), total, figure_list_url(organisation, "workers", filters)),
                 Figure(_("FTE"), str(fte).replace(".", ","), figure_list_url(organisation, "workers", filters))],
        bars=[Bar(r["current_activity_name"] or _("Without employment"), r["n"],
                  figure_list_url(organisation, "workers", ExportFilters(filters.start, filters.end,
                                                                         r["current_activity_id"])),
                  display=f'{r["n"]} · {str(r["fte"].quantize(Decimal("0.1"))).replace(".", ",")} '
                          f'{_("FTE")}') for r in rows],
        bars_title=_("Workers per activity (number · FTE)"), empty=_("No workers employed in this period."))


def _regime_panel(organisation, filters, counts):
    regimes = choice_words(Regime)
    bars = [Bar(regimes[value], counts[value], figure_list_url(organisation, "workers", filters, regime=value))
            for value in Regime.values if counts.get(value)]
    if counts.get(None):
        bars.append(Bar(_("No open trajectory"), counts[None],
                        figure_list_url(organisation, "workers", filters, regime=NO_REGIME)))
    return Panel(key="trajects.by_regime", title=_("Workers by regime"), bars=bars,
                 empty=_("No workers employed in this period."))


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def ends_period(filters, today):
    """Without a period: the current quarter and the three after it."""
    if filters.start or filters.end:
        return filters.start, filters.end
    first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    year, month = first.year + (first.month + 11) // 12, (first.month + 11) % 12 + 1
    return first, datetime.date(year, month, 1) - datetime.timedelta(days=1)


def ends_per_quarter(organisation, membership, filters, today):
    """Open trajectories by the quarter of their planned end; each quarter opens the list of exactly those."""
    start, end = ends_period(filters, today)
    period = ExportFilters(start, end, filters.activity_id, subset=((ENDING, "1"),))
    per = Counter(quarter_of(d) for d in trajectories_in(membership, period).values_list("planned_end", flat=True))
    bars = []
    for (year, q), n in sorted(per.items()):
        first = datetime.date(year, 3 * q - 2, 1)
        last = datetime.date(year + q // 4, 3 * q % 12 + 1, 1) - datetime.timedelta(days=1)
        quarter = ExportFilters(max(first, start) if start else first, min(last, end) if end else last,
                                filters.activity_id)
        bars.append(Bar(f"{year} K{q}", n, figure_list_url(organisation, "trajectories", quarter, **{ENDING: 1})))
    return Panel(title=_("Trajectory ends per quarter"), bars=bars,
                 figures=[Figure(_("Open trajectories ending"), sum(per.values()),
                                 figure_list_url(organisation, "trajectories", period, **{ENDING: 1}))],
                 empty=_("No open trajectory ends in this period."))


def team_deadlines(organisation, membership, filters, today):
    """The legal deadlines of the team's open trajectories in the next 90 days (stored rows, one query), each
    figure and bar opening the list of exactly the deadlines it counts.
    Past rows are not shown: a stored deadline in the past may long have been met."""
    month, quarter = (ExportFilters(today, today + datetime.timedelta(days=days)) for days in (30, 90))
    rows = list(deadlines_in(membership, quarter).values_list("kind", "due"))
    soon = [kind for kind, due in rows if due <= month.end]
    return Panel(
        title=_("Team deadlines"),
        figures=[Figure(_("Due in the next 30 days"), len(soon), figure_list_url(organisation, "deadlines", month)),
                 Figure(_("Due in the next 90 days"), len(rows), figure_list_url(organisation, "deadlines", quarter))],
        bars=[Bar(alert_label(kind), n, figure_list_url(organisation, "deadlines", month, kind=kind))
              for kind, n in Counter(soon).most_common()],
        bars_title=_("Due in the next 30 days, by kind"))


def caseload(organisation, membership, filters, today):
    rows = list(CoachAssignment.objects.filter(current_assignment_q(on=today),
                                               worker__in=workers_visible_to(membership).exclude(
                                                   status=WorkerStatus.EXITED))
                .values("coach_id").annotate(n=Count("worker_id", distinct=True)).order_by("-n"))
    coaches = {m.pk: m for m in Membership.objects.filter(pk__in=[r["coach_id"] for r in rows]).select_related("user")}
    return Panel(title=_("Caseload per coach"), bars=[
        Bar(coaches[r["coach_id"]].user.get_full_name() or coaches[r["coach_id"]].user.get_username(), r["n"],
            _url("trajects:worker_list", organisation, coach=r["coach_id"], status="current")) for r in rows],
        empty=_("No workers are assigned to a coach."))


def my_workers(organisation, membership, filters, today):
    n = workers_visible_to(membership).exclude(status=WorkerStatus.EXITED).count()
    return Panel(title=_("My workers"), figures=[Figure(_("Workers assigned to me"), n,
                                                       _url("trajects:worker_list", organisation,
                                                            status="current"))])


def register():
    register_panel("trajects.my_workers", dashboard=COACH_DASHBOARD, build=my_workers, order=10)
    register_panel("trajects.team_deadlines", dashboard=COORDINATOR_DASHBOARD, build=team_deadlines, order=10)
    register_panel("trajects.caseload", dashboard=COORDINATOR_DASHBOARD, build=caseload, order=40)
    # Two panels from one query: "trajects.workforce" and "trajects.by_regime".
    register_panel("trajects.workforce", dashboard=MANAGER_DASHBOARD, build=workforce_and_regime, order=10)
    register_panel("trajects.ends_per_quarter", dashboard=MANAGER_DASHBOARD, build=ends_per_quarter, order=30)
