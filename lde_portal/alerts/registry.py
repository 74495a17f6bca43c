"""Registry of deadline providers: how the domain apps tell the alerts platform about their deadlines.

A plain dict filled by the domain apps in their `AppConfig.ready()` (docs/architecture.md: the platform never
imports the domain). A provider is a function `(organisation, today, settings) -> iterable of
AlertCandidate` that reads STORED due dates (`next_due`, `TrajectoryDeadline.due`, ...) with one range
query per call; it never recomputes a worker's history. See docs/alerts.md for the contract and an example.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

# Recipient rules a provider may use instead of (or besides) membership ids; resolved by the scan.
ASSIGNED_COACHES = "assigned_coaches"
COORDINATORS = "coordinators"
RECIPIENT_RULES = frozenset({ASSIGNED_COACHES, COORDINATORS})

DAYS, MONTHS = "days", "months"


@dataclass(frozen=True)
class AlertCandidate:
    """One deadline as a provider sees it today.

    `subject_key` names the thing the deadline belongs to ("trajectory:12", "pop:40"); together with
    `kind` and `due` it is the alert's identity, so a deadline that moves (an extension) is a new alert
    and the old one is resolved. `notify_from` is when the alert becomes visible: `due` minus the
    largest lead time (use `settings.notify_from(kind, due)`). `url` is the portal path where the
    deadline is dealt with. `title` must not contain health information (it is shown in lists and e-mails).
    """

    kind: str
    worker_id: int
    subject_key: str
    due: date
    notify_from: date
    recipients: tuple = (ASSIGNED_COACHES,)
    title: str = ""
    url: str = ""


def dossier_path(organisation, worker_id, tab: str) -> str:
    """The portal path of a tab of the worker's dossier (`tab` as in its URL: "pop", "indication"), the usual
    `url` of a candidate."""
    return f"/{organisation.slug}/workers/{worker_id}/{tab}/"


Provider = Callable[..., Iterable[AlertCandidate]]


@dataclass(frozen=True)
class ProviderSpec:
    kind: str
    provider: Provider
    label: str | Promise
    escalates: bool = True
    is_task: bool = False
    # Default lead times before `due`, in `lead_unit`; organisations override them in AlertSettings.
    lead_times: tuple[int, ...] = field(default=(0,))
    lead_unit: str = DAYS
    # What makes the alert go away by itself (docs/alerts.md lists one line per kind).
    resolved_by: str | Promise = ""
    # "Deze week" lists the kinds with a priority first, lowest number first (docs/journeys.md: the coach's
    # three things for the week); None = by due date after them.
    priority: int | None = None
    # "Deze week" lists the alert as soon as it shows, whatever its due date (feedback for a week that has
    # ended: the coach fills it in this week, the grace period only sets when it is overdue).
    week_when_shown: bool = False
    # The alert reaches a member it is addressed to by id even when that member no longer sees the worker
    # (an aftercare call of the coach assigned at the exit): alerts_visible_to lists it for them.
    beyond_scope: bool = False


PROVIDERS: dict[str, ProviderSpec] = {}


def register_provider(kind: str, provider: Provider, *, label, escalates: bool = True, is_task: bool = False,
                      lead_times: Iterable[int] = (0,), lead_unit: str = DAYS, resolved_by="",
                      priority: int | None = None, week_when_shown: bool = False,
                      beyond_scope: bool = False) -> ProviderSpec:
    """Register (or replace, so reloading an app is harmless) the provider of one alert kind.

    `escalates`: overdue alerts of this kind go to the coordinators after the escalation delay.
    `is_task`: the alert is a to-do the user ticks off ("klaar") rather than a condition that the
    domain data resolves by itself.
    `resolved_by`: one sentence saying what resolves an alert of this kind (superseded, answered, made
    impossible); shown in docs/alerts.md, where a test checks every registered kind has its line.
    `priority`: the kind is one of the coach's weekly tasks and leads "Deze week".
    """
    if lead_unit not in (DAYS, MONTHS):
        raise ValueError(f"lead_unit must be {DAYS!r} or {MONTHS!r}")
    if len(kind) > 50:
        raise ValueError("kind is at most 50 characters")
    spec = ProviderSpec(kind=kind, provider=provider, label=label, escalates=escalates, is_task=is_task,
                        lead_times=tuple(sorted({int(n) for n in lead_times}, reverse=True)) or (0,),
                        lead_unit=lead_unit, resolved_by=resolved_by, priority=priority,
                        week_when_shown=week_when_shown, beyond_scope=beyond_scope)
    PROVIDERS[kind] = spec
    return spec


def unregister_provider(kind: str) -> None:
    """For tests that register a fake provider."""
    PROVIDERS.pop(kind, None)


def label_for(kind: str):
    spec = PROVIDERS.get(kind)
    return spec.label if spec else kind


def kind_choices():
    return sorted(((k, s.label) for k, s in PROVIDERS.items()), key=lambda kv: str(kv[1]))
