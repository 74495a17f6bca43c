"""Pure arithmetic of the throughflow app: no ORM, no clock (docs/architecture.md). The legal rule-table arithmetic
(3-month start, phase maxima, budget) lives in trajects.rules; what is here is the track's own clock."""

from datetime import date, timedelta

DEFAULT_FOLLOWUP_MONTHS = (1, 3, 6, 12)
# The durable throughflow ratio counts the 6-month follow-up (docs/domain.md §5): an organisation may add or
# drop other moments, never this one.
DURABLE_FOLLOWUP_MONTHS = 6
MAX_FOLLOWUP_MONTHS = 36


def paused_days(paused_from: date, resumed_on: date) -> int:
    """The days the track stood still: paused_from is the first day of the pause, resumed_on the first
    day of coaching again, so a pause from 10/03 resumed on 10/03 counts 0 days and one resumed on
    11/03 counts 1."""
    if resumed_on < paused_from:
        raise ValueError("resumed_on lies before paused_from")
    return (resumed_on - paused_from).days


def phase_due_after_pause(phase_due: date, paused_from: date, resumed_on: date) -> date:
    """A pause stops the clock of the current phase (VDAB throughflow practice: a track can be paused and
    resumed with a reason, docs/domain.md §3.6 / issue #6): its last allowed day moves by the paused days.

    Counted in days, not months, so month ends and 29 February need no clamping. A pause that starts
    after the phase's last day shifts nothing: the maximum was already exceeded before the pause, and
    pausing must not hide an overdue phase (same rule as trajects.rules.apply_suspensions: a span after
    the last day of the term is ignored)."""
    if paused_from > phase_due:
        return phase_due
    return phase_due + timedelta(days=paused_days(paused_from, resumed_on))


def followup_months_problems(months) -> list[str]:
    """Reasons the organisation's follow-up moments cannot be stored, as message keys for the service:
    'empty', 'range', 'durable'."""
    problems = []
    if not months:
        problems.append("empty")
    if any(m < 1 or m > MAX_FOLLOWUP_MONTHS for m in months):
        problems.append("range")
    if months and DURABLE_FOLLOWUP_MONTHS not in months:
        problems.append("durable")
    return problems
