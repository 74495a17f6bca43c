"""Querysets narrowed to the period and activity a page or an export asks for.

A period is any object with `start` and `end` (dates, both inclusive, either one None for an open end) and
`activity_id` (None: every activity): the exports page's ExportFilters, the lead-time page's filters. The
exports, the figure lists and the dashboard panels narrow through these functions, and a figure links to
its list with `query()`, so a figure and the list behind it always agree on where a period begins and ends.
"""

from urllib.parse import urlencode

from django.db.models import Q


def dated_in(qs, field, period):
    """The rows whose date `field` falls in the period."""
    if period.start:
        qs = qs.filter(**{f"{field}__gte": period.start})
    if period.end:
        qs = qs.filter(**{f"{field}__lte": period.end})
    return qs


def running_in(qs, start_field, end_field, period):
    """The rows that run during the period: begun by its end and not ended before its start (an empty
    `end_field` is still running)."""
    if period.end:
        qs = qs.filter(**{f"{start_field}__lte": period.end})
    if period.start:
        qs = qs.filter(Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": period.start}))
    return qs


def in_activity(qs, field, period):
    """The rows of the period's activity, all rows without one."""
    return qs.filter(**{field: period.activity_id}) if period.activity_id else qs


def query(period, **extra) -> str:
    """The query string that opens a filtered page on the same period and activity (dates as typed in the
    filter, dd/mm/yyyy), with a page's own `extra` parameters; empty values are left out."""
    params = {"start": period.start.strftime("%d/%m/%Y") if period.start else "",
              "end": period.end.strftime("%d/%m/%Y") if period.end else "",
              "activity": period.activity_id or "", **extra}
    return urlencode({k: v for k, v in params.items() if v})
