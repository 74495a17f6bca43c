from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trajects.premiums import PERIODS, schedule


@pytest.mark.parametrize("decision,start_q", [
    (date(2024, 4, 1), "2024-Q2"), (date(2024, 6, 30), "2024-Q2"), (date(2024, 2, 29), "2024-Q1")])
def test_first_quarter(decision, start_q):
    ts, te, qs = schedule(decision, decision, "5y", [40, 30, 20], monthly_wage=2000)
    assert qs[0].quarter == start_q and len(qs) == 20 and ts.day == 1
    assert qs[0].wage_premium == 2400 and qs[-1].period == 3


def test_two_years_and_no_wage():
    ts, te, qs = schedule(date(2024, 2, 29), date(2024, 3, 1), "2y", [40, 30])
    assert len(qs) == 8 and te == date(2025, 12, 31)
    assert {q.period for q in qs} == {1, 2} and qs[0].wage_premium is None and qs[0].guidance_premium is None


def test_pct_out_of_range():
    with pytest.raises(ValueError):
        schedule(date(2024, 1, 1), date(2024, 1, 1), "5y", [80, 30, 20])


@given(st.dates(date(2023, 7, 1), date(2030, 12, 31)), st.sampled_from(["5y", "2y"]))
def test_quarters_cover_term(d, term):
    ts, te, qs = schedule(d, d, term, [40, 30, 20])
    assert len({q.quarter for q in qs}) == len(qs) == (20 if term == "5y" else 8)
    assert qs[0].quarter == f"{ts.year}-Q{(ts.month - 1) // 3 + 1}"
    assert qs[-1].quarter == f"{te.year}-Q{(te.month - 1) // 3 + 1}"
    # Every quarter of the term once, in order, each in exactly one period of the rule (1-5, 6-8, 9-20).
    year, q = ts.year, (ts.month - 1) // 3 + 1
    for n, quarter in enumerate(qs, start=1):
        assert quarter.quarter == f"{year}-Q{q}"
        assert quarter.period == next(i for i, (lo, hi) in enumerate(PERIODS, start=1) if lo <= n <= hi)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


def test_command_json_and_error():
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command
    out = StringIO()
    call_command("imw_premiums", "--decision-date", "2024-05-15", "--start", "2024-06-01", "--term", "2y",
                 "--wage-premium", "40,30", "--monthly-wage", "2500", stdout=out)
    data = json.loads(out.getvalue())
    assert data["term_start"] == "2024-04-01" and len(data["quarters"]) == 8
    with pytest.raises(CommandError):
        call_command("imw_premiums", "--decision-date", "2024-05-15", "--start", "2024-06-01", "--term", "2y",
                     "--wage-premium", "90,30")
