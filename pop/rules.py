"""Pure helpers for weeks and POP due dates: no ORM, no clock (every date is a parameter).

The legal arithmetic itself (first POP within 1 month of hiring, yearly review 12 months after the
last approval) lives in `trajects.rules`, driven by the rule table; this module only combines it.
"""

import datetime
from dataclasses import dataclass

from trajects import rules as trajects_rules


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def iso_week_label(week_start: datetime.date) -> str:
    year, week, _day = week_start.isocalendar()
    return f"{year}-W{week:02d}"


# Weeks outside these years are typing errors or forged links; near 0001 or 9999 the screen's previous and
# next week links would not even exist as dates.
WEEK_YEARS = (2000, 2100)


def parse_iso_week(value: str) -> datetime.date | None:
    """'2026-W47' → the Monday of that ISO week; None when it is not a valid week (or outside WEEK_YEARS)."""
    try:
        year_part, week_part = value.strip().upper().split("-W")
        year = int(year_part)
        if not WEEK_YEARS[0] <= year <= WEEK_YEARS[1]:
            return None
        return datetime.date.fromisocalendar(year, int(week_part), 1)
    except (ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class PopDue:
    first_pop_due: datetime.date | None
    review_due: datetime.date | None
    next_due: datetime.date | None
    next_due_kind: str


def pop_due(ruleset, *, hire_date, first_registered_on, last_approved_on, active: bool) -> PopDue:
    """Which POP deadline comes next for a worker.

    - Until the first POP is registered with VDAB, the deadline is hire date + 1 month
      (GENERAL.pop_first_registration_months; BVR 19/12/2014, BVR 15/07/2022).
    - Afterwards the yearly review is due 12 months after the last approval
      (GENERAL.pop_review_months; Decreet LDE 22/11/2013).
    - A worker who is not active (exited, in recruitment) has no running POP deadline.
    """
    first = trajects_rules.first_pop_due(ruleset, hire_date) if hire_date else None
    review = trajects_rules.yearly_review_due(ruleset, last_approved_on) if last_approved_on else None
    if not active:
        return PopDue(first, review, None, "")
    if first_registered_on is None and first is not None:
        return PopDue(first, review, first, "first_registration")
    if review is not None:
        return PopDue(first, review, review, "yearly_review")
    return PopDue(first, review, None, "")


def registration_due(ruleset, *, approved_on, first_pop_due, first_registered_on) -> datetime.date | None:
    """By when an approved, not yet registered plan must be registered with VDAB.

    - The worker's first POP: by the first-POP deadline (hire date + GENERAL.pop_first_registration_months;
      BVR 19/12/2014, BVR 15/07/2022), even when it was approved late.
    - A later plan or change (docs/domain.md §3.4: every change is registered with VDAB): the law sets no term;
      the portal applies the same term from the approval, so the registration is not forgotten.
    """
    if approved_on is None:
        return None
    if first_registered_on is None:
        return first_pop_due  # None without a contract: no hire date to count from
    return trajects_rules.first_pop_due(ruleset, approved_on)
