"""Registry of dashboard panels: the domain apps fill it in their AppConfig.ready() (docs/reports.md).

A panel builder is a function `(organisation, membership, filters, today) -> Panel | list[Panel] | None`
that runs a fixed number of queries whatever the organisation's size, and returns figures and chart bars
that each link to the list behind them (a list: several panels from one query, each with its own `key`). The platform lays the panels out per role and draws the charts as SVG.
"""

import dataclasses
import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.functional import Promise

from lde_portal.audit.models import AuditEntry

COACH_DASHBOARD, COORDINATOR_DASHBOARD, MANAGER_DASHBOARD = "coach", "coordinator", "manager"
# An org admin sees the manager's aggregates (never contents); see access.PERMISSIONS.
ROLE_DASHBOARD = {"coach": COACH_DASHBOARD, "coordinator": COORDINATOR_DASHBOARD, "manager": MANAGER_DASHBOARD,
                  "org_admin": MANAGER_DASHBOARD}


@dataclass(frozen=True)
class Figure:
    label: str | Promise
    value: object
    url: str = ""
    note: str | Promise = ""


@dataclass(frozen=True)
class Bar:
    label: str | Promise
    value: float
    url: str = ""
    display: str = ""  # the value as shown next to the bar (defaults to the value)


@dataclass
class Panel:
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    bars_title: str | Promise = ""
    empty: str | Promise = ""
    key: str = ""
    bars_max: float | None = None  # the value of a full-width bar (e.g. 100 for percentages); default: the largest

    @property
    def chart(self):
        return bar_chart(self.bars, top=self.bars_max) if self.bars else None

    @property
    def bar_rows(self):
        """(full label, value as shown, share of a full bar in %) per bar: the yearly report prints the bars
        as a table, where a long activity name wraps instead of being cut like the chart's labels."""
        top = self.bars_max or max((float(b.value) for b in self.bars), default=0) or 1
        return [(str(b.label), b.display or _fmt(b.value), f"{min(100.0, 100 * float(b.value) / top):.1f}")
                for b in self.bars]


@dataclass(frozen=True)
class PanelSpec:
    key: str
    dashboard: str
    build: Callable
    order: int = 100


PANELS: dict[str, PanelSpec] = {}


def register_panel(key: str, *, dashboard: str, build: Callable, order: int = 100) -> PanelSpec:
    """Register (or replace) a panel on one role's dashboard (COACH_/COORDINATOR_/MANAGER_DASHBOARD).

    The throughflow app registers "exits by reason" and "throughflow ratio" on MANAGER_DASHBOARD here."""
    if dashboard not in (COACH_DASHBOARD, COORDINATOR_DASHBOARD, MANAGER_DASHBOARD):
        raise ValueError(f"Unknown dashboard {dashboard!r}")
    spec = PanelSpec(key=key, dashboard=dashboard, build=build, order=order)
    PANELS[key] = spec
    return spec


def unregister_panel(key: str) -> None:
    PANELS.pop(key, None)


def panels_for(organisation, membership, filters, today: datetime.date) -> list[Panel]:
    """The role's panels, from the cache when nothing in the organisation changed since they were built.

    Issue #10: the manager's panels aggregate the whole organisation (tens of milliseconds at sector scale)
    and the dashboard is opened far more often than the data changes. Every edit through the portal writes
    an audit entry (docs/architecture.md), so the organisation's latest audit entry is the version of its data; the
    time-to-live bounds what the nightly jobs change without an edit (stored due dates)."""
    dashboard = ROLE_DASHBOARD.get(membership.role)
    seconds = settings.PORTAL_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return panels_for_dashboard(dashboard, organisation, membership, filters, today)

    key = _cache_key(dashboard, organisation, membership, filters, today)
    panels = cache.get(key)
    if panels is None:
        panels = [_settled(p) for p in panels_for_dashboard(dashboard, organisation, membership, filters, today)]
        cache.set(key, panels, seconds)
    return panels


def _settled(obj):
    """The panel with its lazy translations turned into text (the language is part of the cache key).

    Unpickling a lazy translation makes Django build a new proxy class (`lazy()` runs again): fifty of them
    per cached dashboard were thousands of functions of garbage a request, and the garbage collections they
    set off were the dashboard's 95th percentile (issue #10 benchmark)."""
    if isinstance(obj, Promise):
        return str(obj)
    if isinstance(obj, list):
        return [_settled(item) for item in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _settled(getattr(obj, f.name))
                                           for f in dataclasses.fields(obj) if f.init})
    return obj


def _cache_key(dashboard, organisation, membership, filters, today) -> str:
    latest = (AuditEntry.objects.filter(organisation=organisation).order_by("-at", "-id")
              .values_list("id", flat=True).first())
    # The membership is part of the key: a coach's panels are scoped to their own workers, and a role change
    # (audited) must not serve another role's panels.
    parts = (dashboard, organisation.pk, membership.pk, membership.role, repr(filters), today.isoformat(),
             translation.get_language(), latest)
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def panels_for_dashboard(dashboard, organisation, membership, filters, today: datetime.date) -> list[Panel]:
    panels = []
    for spec in sorted((s for s in PANELS.values() if s.dashboard == dashboard), key=lambda s: (s.order, s.key)):
        built = spec.build(organisation, membership, filters, today)
        for panel in built if isinstance(built, list) else [built]:
            if panel is not None:
                panel.key = panel.key or spec.key
                panels.append(panel)
    return panels


@dataclass(frozen=True)
class ChartRow:
    label: str
    display: str
    url: str
    y: int
    width: float
    text_y: int
    value_x: float


# A 400-wide viewBox: at phone width (about 350 px for the chart) 13-unit text stays readable.
CHART_WIDTH, LABEL_WIDTH, BAR_MAX, ROW_HEIGHT = 420, 160, 130, 26


def bar_chart(bars: list[Bar], top: float | None = None) -> dict:
    """Geometry of a horizontal bar chart (drawn by reports/_bar_chart.html as inline SVG, no JS)."""
    top = top or max((float(b.value) for b in bars), default=0) or 1
    rows = []
    for i, b in enumerate(bars):
        width = round(BAR_MAX * float(b.value) / top, 1)
        label = str(b.label)
        rows.append(ChartRow(label=label if len(label) <= 20 else label[:19] + "…", display=b.display or _fmt(b.value),
                             url=b.url, y=i * ROW_HEIGHT + 4, width=width, text_y=i * ROW_HEIGHT + 18,
                             value_x=LABEL_WIDTH + width + 5))
    return {"rows": rows, "height": len(bars) * ROW_HEIGHT + 4, "width": CHART_WIDTH, "bar_x": LABEL_WIDTH,
            "label_x": LABEL_WIDTH - 6}


def _fmt(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return str(int(value)) if isinstance(value, float) else str(value)
