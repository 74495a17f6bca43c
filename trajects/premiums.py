"""Pure IMW premium schedule: quarters, periods and premiums of one term (no database)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from trajects.rules import add_months, add_years, quarter_start

# Decreet maatwerk bij collectieve inschakeling (14/01/2022) and its BVR (15/07/2022, in force 01/07/2023):
# the wage premium decreases over three periods of the term, quarters 1-5, 6-8 and 9-20.
PERIODS = ((1, 5), (6, 8), (9, 20))
# Same BVR: the wage premium is between 20 % and 75 % of the capped reference wage.
PCT_MIN, PCT_MAX = 20, 75
# The reference-wage cap is not in domain.md: it is the `reference_cap` parameter (source still to fill in
# from the BVR's indexed figure); None means the monthly wage is used uncapped.
REFERENCE_CAP = None
TERMS = {"5y": 5, "2y": 2}


@dataclass(frozen=True)
class Quarter:
    quarter: str
    period: int
    wage_premium_pct: int
    wage_premium: Decimal | None
    guidance_premium: Decimal | None


def _period(n: int) -> int:
    for i, (lo, hi) in enumerate(PERIODS, start=1):
        if lo <= n <= hi:
            return i
    raise ValueError("Kwartaal valt buiten de termijn.")


def schedule(decision_date: date, start: date, term: str, pcts, guidance_premium=None, monthly_wage=None,
             today=None, reference_cap=REFERENCE_CAP):
    if term not in TERMS:
        raise ValueError(f"Ongeldige termijn '{term}': kies 5y of 2y.")
    try:
        pcts = [int(p) for p in pcts]
    except ValueError:
        raise ValueError("Geef de loonpremiepercentages als gehele getallen, gescheiden door komma's.") from None
    needed = 3 if term == "5y" else 2
    if len(pcts) < needed:
        raise ValueError(f"Geef {needed} loonpremiepercentages op.")
    for p in pcts:
        if not PCT_MIN <= p <= PCT_MAX:
            raise ValueError(f"Loonpremie {p} % ligt buiten {PCT_MIN}-{PCT_MAX} %.")
    if quarter_start(start) < quarter_start(decision_date):
        raise ValueError("De startdatum ligt voor het kwartaal van de beslissing.")
    if today is not None and decision_date > today:
        raise ValueError("De beslissingsdatum ligt in de toekomst.")
    term_start = quarter_start(decision_date)
    term_end = add_years(term_start, TERMS[term]) - timedelta(days=1)
    wage = None
    if monthly_wage is not None:
        wage = Decimal(str(monthly_wage))
        if wage < 0:
            raise ValueError("Het maandloon mag niet negatief zijn.")
        if reference_cap is not None:
            wage = min(wage, Decimal(str(reference_cap)))
    gp = Decimal(str(guidance_premium)) if guidance_premium is not None else None
    quarters = []
    for n in range(1, TERMS[term] * 4 + 1):
        first_day = add_months(term_start, 3 * (n - 1))
        period = _period(n)
        pct = pcts[period - 1]
        wp = None if wage is None else (3 * wage * pct / Decimal(100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        quarters.append(Quarter(f"{first_day.year}-Q{(first_day.month - 1) // 3 + 1}", period, pct, wp, gp))
    return term_start, term_end, quarters
