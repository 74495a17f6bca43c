"""The inflow path's date arithmetic (inflow/rules.py), with real dates."""

import datetime

import pytest

from inflow import rules

D = datetime.date


@pytest.mark.parametrize(("referred", "days", "due"), [
    (D(2026, 9, 20), 30, D(2026, 10, 20)),
    (D(2028, 2, 1), 30, D(2028, 3, 2)),     # leap year: 29 days in February
    (D(2027, 2, 1), 30, D(2027, 3, 3)),
    (D(2026, 12, 15), 30, D(2027, 1, 14)),  # over the year end
    (D(2026, 9, 20), 45, D(2026, 11, 4)),   # an organisation's own limit
    (None, 30, None),
])
def test_advice_due_after_the_waiting_limit(referred, days, due):
    assert rules.advice_due(referred, days) == due


@pytest.mark.parametrize(("applied", "referred", "advice", "start", "expected"), [
    # docs/journeys.md: "52 days, of which 31 waiting for VDAB".
    (D(2026, 7, 1), D(2026, 7, 16), D(2026, 8, 16), D(2026, 8, 22),
     {"total": 52, "selection": 15, "vdab": 31, "hire": 6}),
    (D(2028, 1, 31), D(2028, 2, 28), D(2028, 3, 30), D(2028, 4, 1),  # 29/02/2028 in the VDAB wait
     {"total": 61, "selection": 28, "vdab": 31, "hire": 2}),
    # Hired on the advice's date: no days of hire.
    (D(2026, 11, 2), D(2026, 11, 16), D(2026, 12, 31), D(2026, 12, 31),
     {"total": 59, "selection": 14, "vdab": 45, "hire": 0}),
    # No referral recorded (an advice the candidate brought): the days count as selection up to the advice.
    (D(2026, 3, 1), None, D(2026, 3, 20), D(2026, 4, 1), {"total": 31, "selection": 19, "vdab": 0, "hire": 12}),
])
def test_where_the_days_go(applied, referred, advice, start, expected):
    parts = rules.lead_time(applied, referred, advice, start)
    assert parts == expected
    assert parts["selection"] + parts["vdab"] + parts["hire"] == parts["total"]


@pytest.mark.parametrize(("last_step", "months", "reserve", "due"), [
    (D(2026, 3, 31), 6, None, D(2026, 9, 30)),       # month end: the last day of the shorter month
    (D(2026, 8, 31), 6, None, D(2027, 2, 28)),
    (D(2027, 8, 31), 6, None, D(2028, 2, 29)),       # into a leap February
    (D(2026, 3, 31), 6, D(2026, 12, 31), D(2027, 1, 1)),  # the consented reserve list runs longer
    (D(2026, 3, 31), 6, D(2026, 5, 1), D(2026, 9, 30)),   # a shorter reserve list changes nothing
    (D(2026, 1, 15), 12, None, D(2027, 1, 15)),
])
def test_retention_due(last_step, months, reserve, due):
    assert rules.retention_due(last_step, months, reserve) == due


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([52], 90, 52), ([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90), ([10, 20, 30], 90, 30),
    ([30, 10, 20], 50, 20), ([], 90, None),
])
def test_percentile_nearest_rank(values, p, expected):
    assert rules.percentile(values, p) == expected
