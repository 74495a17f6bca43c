"""Date tables for the indication rules (trajects.rules underneath): real dates, no database."""

from datetime import date

import pytest

from indication.models import EvaluationReason
from indication.rules import evaluation_basis, rule_numbers, suggested_reason
from trajects.rules import RuleSet, Suspension, pop_update_due, throughflow_track_start_due

RULES = RuleSet.default()


@pytest.mark.parametrize(("regime", "start", "suspensions", "reason", "earliest"), [
    # CMW: 2 years + 1 day of employment (BVR 15/07/2022): the 2nd anniversary.
    ("CMW", date(2020, 3, 1), [], EvaluationReason.REGULAR, date(2022, 3, 1)),
    ("CMW", date(2024, 2, 29), [], EvaluationReason.REGULAR, date(2026, 3, 1)),  # leap day → 1 March
    ("CMW", date(2023, 12, 31), [], EvaluationReason.END_OF_TERM, date(2025, 12, 31)),
    # Suspensions do not delay the regular date (employment is a contract fact).
    ("CMW", date(2020, 3, 1), [Suspension(date(2020, 6, 1), date(2020, 6, 30))], EvaluationReason.REGULAR,
     date(2022, 3, 1)),
    # Early medical: the day after 8 weeks (56 days) of effective work.
    ("CMW", date(2024, 1, 1), [], EvaluationReason.EARLY_MEDICAL, date(2024, 2, 26)),
    # ... and suspended days are not effective work: 10 days off push it 10 days.
    ("CMW", date(2024, 1, 1), [Suspension(date(2024, 1, 10), date(2024, 1, 19), "illness")],
     EvaluationReason.EARLY_MEDICAL, date(2024, 3, 7)),
    # Regimes without these rules have no earliest date.
    ("LDE", date(2020, 3, 1), [], EvaluationReason.REGULAR, None),
    ("IMW_5Y", date(2024, 1, 1), [], EvaluationReason.EARLY_MEDICAL, None),
    (None, date(2024, 1, 1), [], EvaluationReason.REGULAR, None),
])
def test_earliest_evaluation_date(regime, start, suspensions, reason, earliest):
    basis = evaluation_basis(RULES, regime=regime, start=start, suspensions=suspensions)
    assert basis.earliest_for(reason) == earliest


@pytest.mark.parametrize(("visit", "due"), [
    (date(2024, 3, 5), date(2024, 2, 24)),   # across a leap February
    (date(2023, 3, 5), date(2023, 2, 23)),
    (date(2026, 1, 8), date(2025, 12, 29)),  # across the year end
    (date(2026, 7, 10), date(2026, 6, 30)),
])
def test_pop_update_due_ten_days_before_the_visit(visit, due):
    assert pop_update_due(RULES, visit) == due


@pytest.mark.parametrize(("decision", "due"), [
    (date(2026, 11, 3), date(2027, 2, 3)),
    (date(2026, 11, 30), date(2027, 2, 28)),  # month-end clamp
    (date(2023, 11, 30), date(2024, 2, 29)),  # leap year
])
def test_throughflow_track_start_due(decision, due):
    assert throughflow_track_start_due(RULES, decision) == due


@pytest.mark.parametrize(("regime", "planned_end", "today", "reason"), [
    ("TRANSITION", date(2030, 1, 1), date(2026, 1, 1), EvaluationReason.TRANSITION_ENDS),
    ("LDE", date(2026, 12, 31), date(2026, 1, 1), EvaluationReason.END_OF_TERM),
    ("LDE", date(2027, 1, 2), date(2026, 1, 1), EvaluationReason.REGULAR),
    ("CMW", None, date(2026, 1, 1), EvaluationReason.REGULAR),
])
def test_suggested_reason(regime, planned_end, today, reason):
    basis = evaluation_basis(RULES, regime=regime, start=date(2022, 1, 1), planned_end=planned_end)
    assert suggested_reason(basis, today) == reason


def test_rule_numbers_come_from_the_table():
    assert rule_numbers(RULES, "CMW", date(2024, 1, 1), date(2026, 1, 1)) == {
        "pop_days": 10, "years": 2, "days": 1, "weeks": 8}
    assert rule_numbers(RULES, "LDE", date(2024, 1, 1), date(2026, 1, 1)) == {"pop_days": 10}
