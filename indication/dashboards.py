"""The indication app's panel on the manager dashboard: the recruitment lead time (docs/domain.md §3.1, §5),
registered in IndicationConfig.ready(). It counts the rows of the lead-time list it links to."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lde_portal import periods
from lde_portal.reports.dashboards import MANAGER_DASHBOARD, Bar, Figure, Panel, register_panel

from . import selectors


def lead_time_url(organisation, filters, activity_id=None):
    return reverse("indication:lead_time", kwargs={"org_slug": organisation.slug}) + "?" + periods.query(
        filters, activity=activity_id or filters.activity_id or "")


def period(filters, today):
    """Without a period: starts of the current calendar year."""
    if filters.start or filters.end:
        return selectors.LeadTimeFilters(filters.start, filters.end, filters.activity_id)
    return selectors.LeadTimeFilters(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31),
                                     filters.activity_id)


def _days(n):
    return "—" if n is None else _("%(n)s days") % {"n": n}


def recruitment_lead_time(organisation, membership, filters, today):
    filters = period(filters, today)
    rows = selectors.lead_times(membership, filters)
    median = selectors.median_days
    per_activity = defaultdict(list)
    for r in rows:
        per_activity[(r.activity, r.activity_id)].append(r.total)
    url = lead_time_url(organisation, filters)
    return Panel(
        title=_("Recruitment lead time"),
        figures=[Figure(_("Median referral → start"), _days(median(r.total for r in rows)), url,
                        note=_("referral → advice %(a)s, advice → start %(b)s") % {
                            "a": _days(median(r.to_advice for r in rows)),
                            "b": _days(median(r.to_start for r in rows))} if rows else ""),
                 Figure(_("Recruitments"), len(rows), url, note=_("started in the period"))],
        bars=[Bar(name or _("(none)"), median(days), lead_time_url(organisation, filters, activity_id),
                  display=f"{_days(median(days))} (n={len(days)})")
              for (name, activity_id), days in sorted(per_activity.items(), key=lambda kv: kv[0][0].lower())],
        bars_title=_("Median days from referral to start, per activity"),
        empty=_("No recruitments with a referral date started in this period."))


def register():
    register_panel("indication.lead_time", dashboard=MANAGER_DASHBOARD, build=recruitment_lead_time, order=80)
