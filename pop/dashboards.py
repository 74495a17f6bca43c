"""The pop app's dashboard panels (docs/reports.md), registered in PopConfig.ready()."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lde_portal.reports.dashboards import (
    COACH_DASHBOARD,
    COORDINATOR_DASHBOARD,
    MANAGER_DASHBOARD,
    Bar,
    Figure,
    Panel,
    register_panel,
)
from lde_portal.reports.registry import ExportFilters
from trajects.dashboards import _url, figure_list_url

from .models import ProviderType, WeeklyFeedback
from .reports import (
    PROVIDER_ORDER,
    coach_name,
    cost_share,
    feedback_coverage,
    monday,
    pop_schedules,
    training_participations,
)
from .selectors import review_list, team_workers


def _euro(amount):
    return "€ " + f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _hours(value):
    return f"{value:.1f}".replace(".", ",")


def training_filters(filters, today):
    """Without a period: the current calendar year (the training fund counts per year)."""
    if filters.start or filters.end:
        return filters
    return ExportFilters(start=datetime.date(today.year, 1, 1), end=datetime.date(today.year, 12, 31),
                         activity_id=filters.activity_id)


def training_totals(membership, filters):
    """{provider_type: (participations, hours, cost)} summed exactly as the training-fund export's rows."""
    totals = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for provider_type, hours, cost, n in training_participations(membership, filters).values_list(
            "training__provider_type", "training__hours", "training__cost", "n_participants"):
        t = totals[provider_type]
        t[0] += 1
        t[1] += Decimal(hours)
        t[2] += cost_share(cost, n)
    return totals


def trainings(organisation, membership, filters, today):
    filters = training_filters(filters, today)
    totals = training_totals(membership, filters)
    hours = sum((t[1] for t in totals.values()), Decimal(0))
    cost = sum((t[2] for t in totals.values()), Decimal(0))
    return Panel(
        title=_("Training hours and cost"),
        figures=[Figure(_("Training hours"), _hours(hours), figure_list_url(organisation, "trainings", filters),
                        note=_("per participant, summed")),
                 Figure(_("Cost"), _euro(cost), figure_list_url(organisation, "trainings", filters))],
        bars=[Bar(ProviderType(p).label, float(totals[p][1]),
                  figure_list_url(organisation, "trainings", filters, provider_type=p),
                  display=f"{_hours(totals[p][1])} u · {_euro(totals[p][2])}") for p in PROVIDER_ORDER if p in totals],
        bars_title=_("Hours and cost by training-fund category"), empty=_("No trainings in this period."))


def compliance(organisation, membership, filters, today):
    dues = list(pop_schedules(membership, filters).values_list("next_due", flat=True))
    overdue = sum(1 for d in dues if d and d < today)
    on_time = round(100 * (len(dues) - overdue) / len(dues)) if dues else 100
    return Panel(title=_("POP compliance"), figures=[
        Figure(_("POP on time"), f"{on_time}%", figure_list_url(organisation, "pop-status", filters),
               note=_("%(n)s active workers") % {"n": len(dues)}),
        Figure(_("POP overdue"), overdue, figure_list_url(organisation, "pop-status", filters, late="1"))])


def review_status(organisation, membership, filters, today):
    rows = list(review_list(membership, today=today).values_list("next_due", "has_open"))
    overdue = sum(1 for due, _open in rows if due < today)
    return Panel(title=_("POP review status"), figures=[
        Figure(_("Overdue"), overdue, _url("pop:review_list", organisation, show="overdue")),
        Figure(_("Due within 60 days"), len(rows) - overdue, _url("pop:review_list", organisation, show="due")),
        Figure(_("Draft under way"), sum(1 for _due, has_open in rows if has_open),
               _url("pop:review_list", organisation, show="draft"))])


def coverage_by_coach(organisation, membership, filters, today):
    per = defaultdict(lambda: [0, 0])
    names = {}
    for coach, _week, assigned, given in feedback_coverage(membership, filters, today):
        per[coach.pk][0] += assigned
        per[coach.pk][1] += given
        names[coach.pk] = coach_name(coach)
    url = figure_list_url(organisation, "feedback-coverage", filters)
    coach_url = lambda pk: figure_list_url(organisation, "feedback-coverage", filters, coach=pk)  # noqa: E731
    assigned = sum(a for a, _g in per.values())
    given = sum(g for _a, g in per.values())
    return Panel(
        title=_("Feedback coverage per coach"),
        figures=[Figure(_("Weekly feedback given"), f"{round(100 * given / assigned) if assigned else 0}%", url,
                        note=_("%(given)s of %(assigned)s worker-weeks") % {"given": given, "assigned": assigned})],
        bars=[Bar(names[pk], round(100 * g / a) if a else 0, coach_url(pk), display=f"{round(100 * g / a) if a else 0}%")
              for pk, (a, g) in sorted(per.items(), key=lambda kv: names[kv[0]])],
        bars_title=_("Share of worker-weeks with feedback"), empty=_("No coach has assigned workers in this period."))


def feedback_todo(organisation, membership, filters, today):
    week = monday(today)
    team = list(team_workers(membership).values_list("pk", flat=True))
    done = WeeklyFeedback.objects.filter(worker_id__in=team, week_start=week).count()
    url = reverse("pop:team_feedback", kwargs={"org_slug": organisation.slug})
    return Panel(title=_("Feedback this week"), figures=[
        Figure(_("Still to give"), len(team) - done, url), Figure(_("Given"), done, url)])


def register():
    register_panel("pop.feedback_todo", dashboard=COACH_DASHBOARD, build=feedback_todo, order=20)
    register_panel("pop.review_status", dashboard=COORDINATOR_DASHBOARD, build=review_status, order=20)
    register_panel("pop.feedback_coverage", dashboard=COORDINATOR_DASHBOARD, build=coverage_by_coach, order=30)
    register_panel("pop.trainings", dashboard=MANAGER_DASHBOARD, build=trainings, order=40)
    register_panel("pop.compliance", dashboard=MANAGER_DASHBOARD, build=compliance, order=50)
