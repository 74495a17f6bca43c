"""The inflow panel on the manager dashboard: the recruitment lead time from application to contract
(docs/domain.md §10: "the figure employers want to shorten"), with where the days go. Every figure links to
the list of hires it counts."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lde_portal.reports.dashboards import MANAGER_DASHBOARD, Bar, Figure, Panel, register_panel

from . import selectors


def _days(n):
    return "—" if n is None else _("%(n)s days") % {"n": n}


def _period(filters, today):
    if filters.start or filters.end:
        return filters.start, filters.end
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def lead_time_panel(organisation, membership, filters, today):
    start, end = _period(filters, today)
    rows = selectors.hires(membership, start, end)
    s = selectors.lead_time_summary(rows)
    url = reverse("inflow:lead_time", kwargs={"org_slug": organisation.slug}) + "?" + urlencode(
        {k: v.strftime("%d/%m/%Y") for k, v in (("start", start), ("end", end)) if v})
    return Panel(
        title=_("Lead time from application to contract"),
        figures=[Figure(_("Median application → contract"), _days(s["median"]), url,
                        note=_("of which %(vdab)s waiting for VDAB") % {"vdab": _days(s["median_vdab"])}
                        if rows else ""),
                 Figure(_("90th percentile"), _days(s["p90"]), url),
                 Figure(_("Hires"), s["n"], url, note=_("contract started in the period"))],
        bars=[Bar(label, s[key], url, display=f"{_days(s[key])} (n={s['n']})") for key, label in (
            ("median_selection", _("Selection (application → referral)")),
            ("median_vdab", _("Waiting for VDAB (referral → advice)")),
            ("median_hire", _("Hire (advice → contract)"))) if s[key] is not None],
        bars_title=_("Where the days go (medians)"),
        empty=_("No hires through the inflow path in this period."))


def register():
    register_panel("inflow.lead_time", dashboard=MANAGER_DASHBOARD, build=lead_time_panel, order=78)
