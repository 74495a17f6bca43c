"""Pure date arithmetic of the inflow path (docs/domain.md §3.1, §10). No ORM, no clock."""

import math
from datetime import date, timedelta
from statistics import median

from dateutil.relativedelta import relativedelta


def advice_due(referred_on: date | None, wait_days: int) -> date | None:
    """A referred candidate is overdue for VDAB's advice `wait_days` after the referral (issue #20: the
    organisation's waiting limit, default 30 days)."""
    return referred_on + timedelta(days=wait_days) if referred_on else None


def contact_due(ranked_on: date | None, contact_days: int) -> date | None:
    """A ranked candidate is to be contacted within `contact_days` of the ranking."""
    return ranked_on + timedelta(days=contact_days) if ranked_on else None


def last_step(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def retention_due(last_step_on: date, months: int, reserve_until: date | None = None) -> date:
    """A candidate who was not hired is kept `months` after the last step of their path, or up to the end of the
    reserve-list period they consented to when that is later (GDPR art. 5(1)(e): no longer than the purpose)."""
    due = last_step_on + relativedelta(months=months)
    return max(due, reserve_until + timedelta(days=1)) if reserve_until else due


def percentile(values, p: float) -> int | None:
    """The nearest-rank percentile (p in 0..100) of whole days: the value at or below which p % of the hires lie."""
    values = sorted(values)
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def median_days(values) -> int | None:
    values = list(values)
    return round(median(values)) if values else None


def lead_time(applied_on: date, referred_on: date | None, advice_on: date | None, contract_start: date) -> dict:
    """Where the days from application to contract go: selection (application → referral), waiting for VDAB
    (referral → advice) and the hire (advice → contract). Steps not recorded count in the next one."""
    referred = referred_on or advice_on or contract_start
    advice = advice_on or contract_start
    return {"total": (contract_start - applied_on).days, "selection": (referred - applied_on).days,
            "vdab": (advice - referred).days, "hire": (contract_start - advice).days}
