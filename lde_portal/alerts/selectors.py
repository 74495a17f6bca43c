"""Every read of the alerts platform, scoped by the acting membership.

Worker names come from the domain's Worker table through `workers_visible_to` (a subquery), so an alert
of a worker the member may not see is never listed, counted, mailed or put in a calendar.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404

from lde_portal.accounts.access import has_perm, workers_visible_to

from .config import config_for
from .models import Alert, AlertPreference, AlertRecipient, AlertState
from .registry import PROVIDERS

WHEN_CHOICES = ("overdue", "week", "later")


def can_see_team(membership) -> bool:
    return has_perm(membership, "alerts.view_team")


def _worker_model():
    return apps.get_model("trajects", "Worker")


def _with_worker_names(qs):
    worker = _worker_model().objects.filter(pk=OuterRef("worker_id"))
    return qs.annotate(worker_first_name=Subquery(worker.values("first_name")[:1]),
                       worker_last_name=Subquery(worker.values("last_name")[:1]))


def alerts_visible_to(membership):
    """Alerts of workers this member may see; members without the team view only those addressed to them."""
    in_scope = Q(worker_id__in=workers_visible_to(membership).values("pk"))
    beyond = [kind for kind, spec in PROVIDERS.items() if spec.beyond_scope]
    if beyond:
        # Only the kinds that say so, and only when the provider addressed this very member.
        in_scope |= Q(kind__in=beyond) & Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"),
                                                                              membership=membership))
    qs = Alert.objects.filter(in_scope, organisation_id=membership.organisation_id)
    if not can_see_team(membership):
        qs = qs.filter(Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"), membership=membership)))
    return qs


def mine(membership, today: date):
    """Open alerts addressed to the member that are showing today (the bell, "this week", the feed)."""
    return alerts_visible_to(membership).filter(
        Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"), membership=membership)),
        state=AlertState.OPEN, notify_from__lte=today,
    )


def bell_count(membership, today: date) -> int:
    return mine(membership, today).count()


def alert_for(membership, pk) -> Alert:
    return get_object_or_404(_with_worker_names(alerts_visible_to(membership)), pk=pk)


def alert_list(membership, today: date, *, scope="mine", when="", kind="", worker=None, state="open"):
    qs = alerts_visible_to(membership)
    if scope != "team" or not can_see_team(membership):
        qs = qs.filter(Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"), membership=membership)))
    if state == "snoozed":
        qs = qs.filter(state=AlertState.SNOOZED)
    elif state == "closed":
        qs = qs.filter(state__in=[AlertState.DONE, AlertState.RESOLVED])
    else:
        qs = qs.filter(state=AlertState.OPEN, notify_from__lte=today)
    week_end = today + timedelta(days=6 - today.weekday())
    if when == "overdue":
        qs = qs.filter(due__lt=today)
    elif when == "week":
        qs = qs.filter(due__gte=today, due__lte=week_end)
    elif when == "later":
        qs = qs.filter(due__gt=week_end)
    if kind:
        qs = qs.filter(kind=kind)
    if worker:
        qs = qs.filter(worker_id=worker)
    order = ("-resolved_at", "-id") if state == "closed" else ("due", "id")
    return _with_worker_names(qs).order_by(*order)


def this_week(membership, today: date, limit=8):
    """The member's alerts to act on this week, for the home page and the dashboards ("Deze week").

    An alert belongs here when it is overdue or due by Sunday, or when its last reminder has started
    (a trajectory end in its 3-month stage: the evaluation must be requested now, not in the week it
    ends). The kinds registered with a priority come first (docs/journeys.md: the trajectory end without an
    evaluation request, feedback missing, improvement actions past their date), then the rest by due
    date. One query for the alerts, one for the organisation's lead times."""
    week_end = today + timedelta(days=6 - today.weekday())
    config = config_for(membership.organisation)
    in_week = Q(due__lte=week_end)
    for kind, spec in PROVIDERS.items():
        if spec.week_when_shown:
            in_week |= Q(kind=kind)
        else:
            # The last stage starts at the smallest lead time before the due date.
            in_week |= Q(kind=kind, due__lte=config.shift(kind, today, min(config.lead_times(kind))))
    priorities = [When(kind=kind, then=Value(spec.priority)) for kind, spec in PROVIDERS.items()
                  if spec.priority is not None]
    rank = Case(*priorities, default=Value(1000), output_field=IntegerField()) if priorities else Value(1000)
    qs = mine(membership, today).filter(in_week).annotate(rank=rank)
    return list(_with_worker_names(qs).order_by("rank", "due", "id")[:limit])


def workers_with_alerts(membership):
    """(id, name) of the visible workers that have an open alert, for the worker filter."""
    ids = Alert.objects.filter(organisation_id=membership.organisation_id, state__in=[AlertState.OPEN,
                                                                                       AlertState.SNOOZED])
    return list(workers_visible_to(membership).filter(pk__in=ids.values("worker_id"))
                .order_by("last_name", "first_name").values_list("pk", "first_name", "last_name"))


@dataclass
class DigestItem:
    alert: Alert
    recipient_id: int
    stage: int
    worker_name: str


def digest_items(membership, today: date) -> list[DigestItem]:
    """Open alerts of visible workers that reached a stage the member was not told about yet."""
    config = config_for(membership.organisation)
    rows = (AlertRecipient.objects.filter(
        membership=membership, alert__state=AlertState.OPEN, alert__notify_from__lte=today,
        alert__organisation_id=membership.organisation_id,
        alert__worker_id__in=workers_visible_to(membership).values("pk"),
    ).select_related("alert").order_by("alert__due", "alert_id"))
    rows = list(rows)
    names = {pk: f"{first} {last}" for pk, first, last in workers_visible_to(membership).filter(
        pk__in={r.alert.worker_id for r in rows}).values_list("pk", "first_name", "last_name")} if rows else {}
    items = []
    for row in rows:
        stage = config.stage(row.alert, today)
        if stage > row.notified_stage and row.alert.worker_id in names:
            items.append(DigestItem(row.alert, row.pk, stage, names[row.alert.worker_id]))
    return items


def calendar_alerts(membership, today: date):
    """The member's deadlines for the calendar feed: open and snoozed alerts addressed to them."""
    qs = alerts_visible_to(membership).filter(
        Exists(AlertRecipient.objects.filter(alert=OuterRef("pk"), membership=membership)),
        state__in=[AlertState.OPEN, AlertState.SNOOZED], notify_from__lte=today,
    )
    return list(_with_worker_names(qs).order_by("due", "id"))


def initials(first: str | None, last: str | None) -> str:
    parts = [p for p in f"{first or ''} {last or ''}".replace("-", " ").split() if p[:1].isalpha()]
    return ".".join(p[0].upper() for p in parts) + "." if parts else "?"


def preference_for_token(token):
    """The alert preference behind a calendar-feed token, or None (the feed is public: no member acts)."""
    return (AlertPreference.objects.select_related("membership__organisation", "membership__user")
            .filter(calendar_token=token).first())
