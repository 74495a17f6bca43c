"""Server-side timeline of a worker's trajectories: lanes of bars and markers positioned in percent.

The template draws each lane as an SVG of width 100 % with these percentages as x/width, so the
timeline scales to any screen without inline styles or scripts (CSP).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

DEADLINE_LABELS = {
    "first_pop_due": gettext_noop("First POP due at VDAB"),
    "trajectory_end": gettext_noop("End of trajectory"),
    "transition_end": gettext_noop("End of the temporary compensation"),
    "transition_evaluation_request_due": gettext_noop("Request the VDAB evaluation (IMW file)"),
    "imw_renewal_window_opens": gettext_noop("IMW renewal window opens"),
    "imw_renewal_request_due": gettext_noop("Request the IMW renewal"),
    "imw_end_evaluation_due": gettext_noop("Request the VDAB evaluation before the end"),
    "start_package_expires": gettext_noop("Start package expires"),
    "earliest_evaluation": gettext_noop("Evaluation can be requested"),
}


def deadline_label(kind: str) -> str:
    return _(DEADLINE_LABELS.get(kind, kind))


@dataclass
class Item:
    label: str
    x: float
    width: float = 0.0
    css: str = ""
    title: str = ""


@dataclass
class Lane:
    key: str
    label: str
    bars: list = field(default_factory=list)
    markers: list = field(default_factory=list)


@dataclass
class Timeline:
    start: date
    end: date
    today_x: float | None
    ticks: list
    lanes: list

    @property
    def today_anchor(self) -> str:
        """Keep the "today" label inside the drawing near either edge."""
        if self.today_x is None or 10 <= self.today_x <= 90:
            return "middle"
        return "end" if self.today_x > 90 else "start"


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def build(trajectories, today: date, sine_statuses=()) -> Timeline | None:
    """Lanes for regime periods, phases, suspensions, extensions, milestones and deadlines."""
    if not trajectories:
        return None
    ordered = sorted(trajectories, key=lambda t: (t.opened_on, t.pk))
    current = next((t for t in ordered if t.closed_on is None), ordered[-1])
    dates = [ordered[0].opened_on, today]
    for t in ordered:
        dates.append(t.closed_on or t.planned_end or t.opened_on)
        dates += [d.due for d in t.deadlines.all()]
    start = date(min(dates).year, 1, 1)
    end = date(max(dates).year + 1, 1, 1)
    total = (end - start).days

    def x(d: date) -> float:
        return round(max(0, min(total, (d - start).days)) * 100 / total, 3)

    def span(a: date, b: date) -> tuple[float, float]:
        left = x(a)
        return left, max(round(x(b + timedelta(days=1)) - left, 3), 0.4)

    step = 1 if end.year - start.year <= 8 else 2
    ticks = [(x(date(y, 1, 1)), str(y)) for y in range(start.year, end.year, step)]

    regime = Lane("regime", _("Regime"))
    phases = Lane("phases", _("Phases"))
    suspensions = Lane("suspensions", _("Suspensions"))
    extensions = Lane("extensions", _("Extensions"))
    milestones = Lane("milestones", _("Milestones"))
    deadlines = Lane("deadlines", pgettext("legal dates", "Deadlines"))
    sine = Lane("sine", "SINE")
    for t in ordered:
        last = t.closed_on or t.planned_end or today
        left, width = span(t.opened_on, last)
        regime.bars.append(Item(t.regime.replace("_", " "), left, width, f"tl-regime tl-regime-{t.regime}",
                                f"{t.get_regime_display()}: {_fmt(t.opened_on)} – {_fmt(last)}"))
        periods = list(t.phase_periods.all())
        for i, period in enumerate(periods):
            until = periods[i + 1].start - timedelta(days=1) if i + 1 < len(periods) else last
            if until < period.start:
                continue
            left, width = span(period.start, until)
            phases.bars.append(Item(period.phase.name, left, width, f"tl-phase tl-phase-{period.phase.order % 4}",
                                    f"{period.phase.name}: {_fmt(period.start)} – {_fmt(until)}"))
        for s in t.suspensions.all():
            left, width = span(s.start, s.end)
            suspensions.bars.append(Item("", left, width, "tl-suspension",
                                         f"{s.get_reason_display()}: {_fmt(s.start)} – {_fmt(s.end)} ({s.days} d)"))
        for e in t.extensions.all():
            extensions.markers.append(Item(f"+{e.months}", x(e.decision_date), css="tl-extension",
                                           title=f"{e.get_reason_display()} ({_fmt(e.decision_date)})"))
        for m in t.milestones.all():
            milestones.markers.append(Item(m.label, x(m.date), css="tl-milestone", title=f"{m.label} ({_fmt(m.date)})"))
    for s in sine_statuses:
        left, width = span(s.start, s.end)
        sine.bars.append(Item("SINE", left, width, "tl-sine", f"SINE: {_fmt(s.start)} – {_fmt(s.end)}"))
    for d in current.deadlines.all():
        css = "tl-deadline tl-deadline-end" if d.kind == "trajectory_end" else "tl-deadline"
        if d.due < today:
            css += " tl-past"
        deadlines.markers.append(Item(deadline_label(d.kind), x(d.due), css=css,
                                      title=f"{deadline_label(d.kind)}: {_fmt(d.due)}"))
    lanes = [lane for lane in (regime, sine, phases, suspensions, extensions, milestones, deadlines)
             if lane.bars or lane.markers or lane.key in ("regime", "phases", "deadlines")]
    return Timeline(start, end, x(today) if start <= today <= end else None, ticks, lanes)
