"""The throughflow app's panels on the manager dashboard (docs/reports.md), registered in
ThroughflowConfig.ready(). Both read `selectors.exits_in`, like the exit list and the exits export, so
every figure equals the rows of the list it links to."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from lde_portal import periods
from lde_portal.reports.dashboards import MANAGER_DASHBOARD, Bar, Figure, Panel, register_panel
from lde_portal.reports.registry import ExportFilters

from . import selectors
from .models import ExitReason

# The chart cuts labels at 20 characters: short forms of the reasons, full ones on the exit list.
SHORT_REASON = {
    ExitReason.EXTERNAL: _("External throughflow"),
    ExitReason.INTERNAL: _("Internal throughflow"),
    ExitReason.OTHER_SOCIAL_ECONOMY: _("Other social economy"),
    ExitReason.NO_LONGER_NEEDED: _("No longer needed"),
    ExitReason.REFUSED: _("Refused throughflow"),
    ExitReason.DROP_OUT: _("Drop-out"),
    ExitReason.DISMISSAL: _("Dismissal"),
    ExitReason.RETIREMENT: _("Retirement"),
    ExitReason.ILLNESS: _("Long-term illness"),
    ExitReason.DEATH: _("Death"),
    ExitReason.END_OF_TERM: _("End of term"),
}
TREND_YEARS = 5
DURABLE = pgettext_lazy("ratio", "durable")


def exit_list_url(organisation, filters, **extra):
    return reverse("throughflow:exit_list", kwargs={"org_slug": organisation.slug}) + "?" + periods.query(
        filters, **extra)


def this_year(filters, today):
    """Without a period: the current calendar year."""
    if filters.start or filters.end:
        return filters
    return ExportFilters(start=datetime.date(today.year, 1, 1), end=datetime.date(today.year, 12, 31),
                         activity_id=filters.activity_id)


def exits_by_reason(organisation, membership, filters, today):
    filters = this_year(filters, today)
    counts = selectors.exit_counts_by_reason(membership, filters)
    total = sum(counts.values())
    throughflow = sum(counts.get(r, 0) for r in (ExitReason.EXTERNAL, ExitReason.INTERNAL))
    return Panel(
        title=_("Exits by reason"),
        figures=[Figure(_("Exits"), total, exit_list_url(organisation, filters)),
                 Figure(_("Throughflow"), throughflow, exit_list_url(organisation, filters, throughflow=1),
                        note=_("external + internal"))],
        bars=[Bar(SHORT_REASON[reason], counts[reason], exit_list_url(organisation, filters, reason=reason))
              for reason in ExitReason if counts.get(reason)],
        empty=_("No exits in this period."))


def trend_filters(filters, today):
    """Without a period: the last five calendar years, this one included."""
    if filters.start or filters.end:
        return filters
    return ExportFilters(start=datetime.date(today.year - TREND_YEARS + 1, 1, 1),
                         end=datetime.date(today.year, 12, 31), activity_id=filters.activity_id)


def _pct(value):
    return "—" if value is None else f"{value}%"


def _year_url(organisation, filters, year, **numerator):
    """The exit list of one calendar year (or of the part the period keeps), narrowed to the ratio's numerator:
    the workers behind "doorstroom 2026: 14 %", with the year's exits it is computed on beside them."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    part = ExportFilters(start=max(start, filters.start or start), end=min(end, filters.end or end),
                         activity_id=filters.activity_id)
    return exit_list_url(organisation, part, **numerator)


def _one_calendar_year(filters):
    return bool(filters.start and filters.end and filters.start == datetime.date(filters.start.year, 1, 1)
                and filters.end == datetime.date(filters.start.year, 12, 31))


def throughflow_trend(organisation, membership, filters, today):
    """Figures for the period; bars per calendar year. A period of exactly one calendar year (the yearly
    report, a manager's usual choice) is a trend of one point, so its chart adds the four years before."""
    filters = trend_filters(filters, today)
    chart = filters
    if _one_calendar_year(filters):
        chart = ExportFilters(start=datetime.date(filters.start.year - TREND_YEARS + 1, 1, 1), end=filters.end,
                              activity_id=filters.activity_id)
    per_year = selectors.ratio_per_year(membership, chart)
    total = selectors.RatioRow(None, "")
    for year, row in per_year.items():
        if (filters.start is None or year >= filters.start.year) and (filters.end is None or year <= filters.end.year):
            total += row
    first = (chart.start or min((datetime.date(y, 1, 1) for y in per_year), default=today)).year
    last = (chart.end or today).year
    if per_year:  # years before the first exit are not a trend, just a lack of records
        first = max(first, min(per_year))
    bars = []
    for year in range(first, last + 1):
        row = per_year.get(year, selectors.RatioRow(year, str(year)))
        bars.append(Bar(str(year), row.ratio or 0, _year_url(organisation, chart, year, throughflow=1),
                        display=f"{_pct(row.ratio)} ({row.throughflow}/{row.exits})"))
        bars.append(Bar(f"{year} · {DURABLE}", row.durable_ratio or 0,
                        _year_url(organisation, chart, year, durable=1), display=_pct(row.durable_ratio)))
    figures = [
        Figure(_("Throughflow ratio"), _pct(total.ratio), exit_list_url(organisation, filters, throughflow=1),
               note=_("%(n)s of %(total)s exits") % {"n": total.throughflow, "total": total.exits}),
        Figure(_("Durable"), _pct(total.durable_ratio), exit_list_url(organisation, filters, durable=1),
               note=_("%(n)s of %(total)s exits still employed at 6 months") % {"n": total.durable, "total": total.exits}
               + (" · " + ngettext("%(open)s follow-up not recorded yet", "%(open)s follow-ups not recorded yet",
                                   total.pending) % {"open": total.pending} if total.pending else "")),
    ]
    years = [y for y in range(first, last + 1) if per_year.get(y)]
    if len(years) >= 2:
        delta = per_year[years[-1]].ratio - per_year[years[-2]].ratio
        figures.append(Figure(_("Trend (percentage points)"), f"{delta:+d}",
                              _year_url(organisation, chart, years[-1], throughflow=1),
                              note=_("%(year)s compared with %(previous)s")
                              % {"year": years[-1], "previous": years[-2]}))
    return Panel(title=_("Throughflow ratio per year"), figures=figures, bars=bars if per_year else [],
                 bars_max=100,
                 bars_title=_("Throughflow ratio and durable ratio per year (throughflow/exits)"),
                 empty=_("No exits in this period."))


def register():
    register_panel("throughflow.exits", dashboard=MANAGER_DASHBOARD, build=exits_by_reason, order=60)
    register_panel("throughflow.ratio", dashboard=MANAGER_DASHBOARD, build=throughflow_trend, order=70)
