"""Date tables for the pure rules engine (trajects.rules): real dates, no database."""

from datetime import date

import pytest

from trajects.rule_data import DEFAULT_RULES
from trajects.rules import (
    Extension,
    Facts,
    RuleNotFound,
    RuleSet,
    RuleTableError,
    RuleViolation,
    Suspension,
    add_months,
    add_years,
    aftercare_followups,
    age_on,
    apply_suspensions,
    check_regime_start,
    coaching_budget_hours,
    compute,
    days_left,
    earliest_evaluation,
    end_alert_dates,
    first_pop_due,
    merge_suspensions,
    phase_due,
    pop_update_due,
    quarter_start,
    renewal_window,
    sine_end,
    throughflow_track_start_due,
    yearly_review_due,
)

D = date
RULES = RuleSet.default()
TODAY = D(2024, 6, 1)


def kinds(result):
    return {d.kind: d.due for d in result.deadlines}


# --------------------------------------------------------------------------- calendar


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2016, 2, 29), 60, D(2021, 2, 28)),
        (D(2024, 1, 1), -13, D(2022, 12, 1)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2020, 3, 1), 5, D(2025, 3, 1)),
        (D(2016, 2, 29), 5, D(2021, 3, 1)),
        (D(2020, 2, 29), 4, D(2024, 2, 29)),
        (D(2020, 2, 29), 1, D(2021, 3, 1)),
        (D(2024, 2, 29), -1, D(2023, 3, 1)),
        (D(2019, 12, 31), 1, D(2020, 12, 31)),
    ],
)
def test_add_years_moves_29_february_to_1_march(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 3, 31), D(2024, 1, 1)),
        (D(2024, 4, 1), D(2024, 4, 1)),
        (D(2024, 6, 30), D(2024, 4, 1)),
        (D(2024, 9, 30), D(2024, 7, 1)),
        (D(2024, 10, 1), D(2024, 10, 1)),
        (D(2024, 12, 31), D(2024, 10, 1)),
    ],
)
def test_quarter_start(day, expected):
    assert quarter_start(day) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D(1968, 5, 10), D(2023, 5, 9), 54),
        (D(1968, 5, 10), D(2023, 5, 10), 55),
        (D(1968, 2, 29), D(2023, 2, 28), 54),
        (D(1968, 2, 29), D(2023, 3, 1), 55),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


# --------------------------------------------------------------------------- LDE term


@pytest.mark.parametrize(
    ("start", "term_start", "planned_end"),
    [
        # the 5-year boundary: ends the day before the 5th anniversary
        (D(2020, 3, 1), D(2020, 3, 1), D(2025, 2, 28)),
        (D(2018, 1, 1), D(2018, 1, 1), D(2022, 12, 31)),
        # leap-day starts: the anniversary in a non-leap year is 1 March
        (D(2016, 2, 29), D(2016, 2, 29), D(2021, 2, 28)),
        (D(2020, 2, 29), D(2020, 2, 29), D(2025, 2, 28)),
        # month end
        (D(2019, 1, 31), D(2019, 1, 31), D(2024, 1, 30)),
        # hired before the decree was in force: counted from 01/04/2015
        (D(2012, 9, 3), D(2015, 4, 1), D(2020, 3, 31)),
        (D(2015, 3, 31), D(2015, 4, 1), D(2020, 3, 31)),
        (D(2015, 4, 1), D(2015, 4, 1), D(2020, 3, 31)),
        # last day new LDE entries are allowed
        (D(2023, 6, 30), D(2023, 6, 30), D(2028, 6, 29)),
    ],
)
def test_lde_term(start, term_start, planned_end):
    result = compute(RULES, Facts("LDE", start), TODAY)
    assert (result.term_start, result.planned_end) == (term_start, planned_end)
    assert kinds(result)["trajectory_end"] == planned_end


@pytest.mark.parametrize(
    ("suspensions", "planned_end"),
    [
        # no suspension: 01/03/2019 + 5 years -> 28/02/2024
        ((), D(2024, 2, 29)),
        # pandemic 20/03/2020-30/06/2020 = 103 days
        (((D(2020, 3, 20), D(2020, 6, 30), "pandemic"),), D(2024, 6, 11)),
        # spanning the end date: starts before the end, counts in full (20 days)
        (((D(2024, 2, 20), D(2024, 3, 10), "illness"),), D(2024, 3, 20)),
        # starting on the last day still counts
        (((D(2024, 2, 29), D(2024, 2, 29), "other"),), D(2024, 3, 1)),
        # starting the day after the end: ignored
        (((D(2024, 3, 1), D(2024, 3, 31), "illness"),), D(2024, 2, 29)),
        # two suspensions: 103 + 31 days
        (
            ((D(2020, 3, 20), D(2020, 6, 30), "pandemic"), (D(2022, 1, 1), D(2022, 1, 31), "illness")),
            D(2024, 7, 12),
        ),
        # the second one lies after the original end but inside the shifted end
        (
            ((D(2020, 3, 20), D(2020, 6, 30), "pandemic"), (D(2024, 5, 1), D(2024, 5, 10), "illness")),
            D(2024, 6, 21),
        ),
        # overlapping suspensions are merged: 01/01-31/01 and 20/01-10/02 = 41 days
        (
            ((D(2022, 1, 1), D(2022, 1, 31), "illness"), (D(2022, 1, 20), D(2022, 2, 10), "other")),
            D(2024, 4, 10),
        ),
        # identical suspension recorded twice counts once
        (
            ((D(2022, 1, 1), D(2022, 1, 31), "illness"), (D(2022, 1, 1), D(2022, 1, 31), "illness")),
            D(2024, 3, 31),
        ),
        # order of input does not matter
        (
            ((D(2024, 5, 1), D(2024, 5, 10), "illness"), (D(2020, 3, 20), D(2020, 6, 30), "pandemic")),
            D(2024, 6, 21),
        ),
    ],
)
def test_lde_suspensions(suspensions, planned_end):
    facts = Facts("LDE", D(2019, 3, 1), suspensions=[Suspension(*s) for s in suspensions])
    assert compute(RULES, facts, TODAY).planned_end == planned_end


def test_suspension_before_term_start_of_old_hire_does_not_count():
    facts = Facts(
        "LDE",
        D(2013, 1, 7),
        suspensions=[
            Suspension(D(2014, 1, 1), D(2014, 12, 31), "illness"),
            Suspension(D(2015, 3, 22), D(2015, 4, 10), "illness"),  # 10 days on/after 01/04/2015
        ],
    )
    assert compute(RULES, facts, TODAY).planned_end == D(2020, 4, 10)


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([(D(2022, 1, 1), D(2022, 1, 31)), (D(2022, 2, 1), D(2022, 2, 5))], ((D(2022, 1, 1), D(2022, 2, 5)),)),
        ([(D(2022, 1, 10), D(2022, 1, 12)), (D(2022, 1, 1), D(2022, 1, 31))], ((D(2022, 1, 1), D(2022, 1, 31)),)),
        (
            [(D(2022, 1, 1), D(2022, 1, 2)), (D(2022, 1, 4), D(2022, 1, 5))],
            ((D(2022, 1, 1), D(2022, 1, 2)), (D(2022, 1, 4), D(2022, 1, 5))),
        ),
    ],
)
def test_merge_suspensions(spans, merged):
    assert merge_suspensions([Suspension(a, b) for a, b in spans]) == merged


def test_apply_suspensions_chain():
    chain = [Suspension(D(2024, 1, 1), D(2024, 1, 10)), Suspension(D(2024, 1, 15), D(2024, 1, 20))]
    # end 05/01 -> +10 = 15/01, which reaches the second span -> +6 = 21/01
    assert apply_suspensions(D(2024, 1, 5), chain, D(2023, 1, 1)) == D(2024, 1, 21)


@pytest.mark.parametrize(
    ("extensions", "birth", "planned_end"),
    [
        ([Extension(12, "SIXTH_YEAR")], None, D(2024, 2, 29)),
        ([Extension(6, "SIXTH_YEAR"), Extension(6, "SIXTH_YEAR")], None, D(2024, 2, 29)),
        ([Extension(3, "ILLNESS")], None, D(2023, 5, 31)),
        ([Extension(2, "OTHER")], None, D(2023, 4, 30)),
        # 55+ worker across the 5-year boundary: to the 10-year boundary
        ([Extension(0, "AGE_55")], D(1967, 9, 15), D(2028, 2, 29)),
        # sixth year first, then 55+: next boundary after 6 years is still 10 years
        ([Extension(12, "SIXTH_YEAR"), Extension(0, "AGE_55")], D(1968, 1, 1), D(2028, 2, 29)),
        # two 55+ extensions: 15 years
        ([Extension(0, "AGE_55"), Extension(0, "AGE_55")], D(1960, 1, 1), D(2033, 2, 28)),
    ],
)
def test_lde_extensions(extensions, birth, planned_end):
    facts = Facts("LDE", D(2018, 3, 1), birth_date=birth, extensions=extensions)
    assert compute(RULES, facts, TODAY).planned_end == planned_end


def test_age_55_extension_counts_from_1_april_2015_for_old_hires():
    facts = Facts("LDE", D(2010, 5, 3), birth_date=D(1960, 1, 1), extensions=[Extension(60, "AGE_55")])
    result = compute(RULES, facts, TODAY)
    assert (result.term_start, result.planned_end) == (D(2015, 4, 1), D(2025, 3, 31))


@pytest.mark.parametrize(
    ("birth", "suspensions", "allowed"),
    [
        # extension takes effect 01/03/2023: 55 on that day
        (D(1968, 3, 1), (), True),
        (D(1968, 3, 2), (), False),
        # a 10-day suspension moves the effective date to 11/03/2023
        (D(1968, 3, 2), (Suspension(D(2020, 1, 1), D(2020, 1, 10), "illness"),), True),
        (D(1985, 6, 1), (), False),
    ],
)
def test_age_55_requires_55_on_the_day_it_takes_effect(birth, suspensions, allowed):
    facts = Facts("LDE", D(2018, 3, 1), birth_date=birth, suspensions=suspensions, extensions=[Extension(0, "AGE_55")])
    if allowed:
        assert compute(RULES, facts, TODAY).planned_end >= D(2028, 2, 29)
    else:
        with pytest.raises(RuleViolation, match="55"):
            compute(RULES, facts, TODAY)


def test_extensions_then_suspensions():
    facts = Facts(
        "LDE",
        D(2016, 2, 29),
        suspensions=[
            Suspension(D(2020, 3, 20), D(2020, 6, 30), "pandemic"),
            Suspension(D(2021, 1, 11), D(2021, 2, 19), "illness"),
        ],
        extensions=[Extension(12, "SIXTH_YEAR")],
    )
    result = compute(RULES, facts, D(2022, 1, 10))
    # 28/02/2022 after the sixth year, then 103 + 40 suspended days
    assert result.planned_end == D(2022, 7, 21)
    assert days_left(result, D(2022, 1, 10)) == 192
    assert days_left(result, D(2022, 7, 21)) == 0
    assert days_left(result, D(2022, 7, 22)) == -1


@pytest.mark.parametrize(
    ("facts_kwargs", "match"),
    [
        ({"regime": "LDE", "start": D(2023, 7, 1)}, "30/06/2023"),
        ({"regime": "LDE", "start": D(2024, 1, 15)}, "niet meer starten"),
        ({"regime": "TRANSITION", "start": D(2023, 7, 3)}, "30/06/2023"),
        ({"regime": "IMW_5Y", "start": D(2023, 5, 1), "decision_date": D(2023, 6, 30)}, "01/07/2023"),
        ({"regime": "LDE", "start": D(2019, 1, 1), "extensions": [Extension(13, "SIXTH_YEAR")]}, "maximaal 12"),
        (
            {
                "regime": "LDE",
                "start": D(2019, 1, 1),
                "extensions": [Extension(12, "SIXTH_YEAR"), Extension(1, "SIXTH_YEAR")],
            },
            "maximaal 12",
        ),
        (
            {
                "regime": "LDE",
                "start": D(2019, 1, 1),
                "suspensions": [Suspension(D(2020, 3, 1), D(2020, 4, 1), "pandemic")],
            },
            "20/03/2020",
        ),
        (
            {
                "regime": "IMW_2Y",
                "start": D(2024, 1, 1),
                "decision_date": D(2024, 1, 10),
                "extensions": [Extension(12, "SIXTH_YEAR")],
            },
            "bestaat niet",
        ),
        (
            {
                "regime": "IMW_2Y",
                "start": D(2024, 1, 1),
                "decision_date": D(2024, 1, 10),
                "birth_date": D(1960, 1, 1),
                "extensions": [Extension(0, "AGE_55")],
            },
            "bestaat niet",
        ),
        (
            {"regime": "CMW", "start": D(2024, 1, 1), "extensions": [Extension(12, "SIXTH_YEAR")]},
            "bestaat niet",
        ),
    ],
)
def test_compute_refuses(facts_kwargs, match):
    with pytest.raises(RuleViolation, match=match):
        compute(RULES, Facts(**facts_kwargs), TODAY)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Extension(12, "SEVENTH_YEAR"), "Onbekende reden"),
        (lambda: Extension(0, "ILLNESS"), "minstens 1"),
        (lambda: Suspension(D(2024, 2, 1), D(2024, 1, 31), "illness"), "vóór ze begint"),
        (lambda: Suspension(D(2024, 1, 1), D(2024, 1, 31), "holiday"), "Onbekende reden"),
        (lambda: Facts("IMW_5Y", D(2024, 1, 1)), "beslissingsdatum"),
        (lambda: Facts("IMW_2Y", D(2024, 1, 1)), "beslissingsdatum"),
        (lambda: Facts("XYZ", D(2024, 1, 1)), "Onbekend regime"),
        (lambda: Facts("SINE", D(2020, 1, 1)), "SINE"),
        (lambda: Facts("LDE", D(2020, 1, 1), extensions=[Extension(0, "AGE_55")]), "geboortedatum"),
        (
            lambda: Facts("LDE", D(2020, 1, 1), suspensions=[Suspension(D(2019, 12, 1), D(2020, 1, 5))]),
            "vóór de start",
        ),
    ],
)
def test_invalid_facts(build, match):
    with pytest.raises(RuleViolation, match=match) as excinfo:
        build()
    assert excinfo.value.message_nl == str(excinfo.value)


# --------------------------------------------------------------------------- TRANSITION


def test_transition_runs_to_the_end_of_the_lde_trajectory():
    facts = Facts("TRANSITION", D(2019, 10, 14), suspensions=[Suspension(D(2020, 3, 20), D(2020, 6, 30), "pandemic")])
    result = compute(RULES, facts, TODAY)
    assert result.planned_end == D(2025, 1, 24)
    assert kinds(result) == {
        "first_pop_due": D(2019, 11, 14),
        "transition_evaluation_request_due": D(2024, 7, 24),
        "trajectory_end": D(2025, 1, 24),
        "transition_end": D(2025, 1, 24),
    }


# --------------------------------------------------------------------------- IMW


@pytest.mark.parametrize(
    ("regime", "decision", "term_start", "planned_end"),
    [
        ("IMW_5Y", D(2024, 3, 31), D(2024, 1, 1), D(2028, 12, 31)),
        ("IMW_5Y", D(2024, 4, 1), D(2024, 4, 1), D(2029, 3, 31)),
        ("IMW_5Y", D(2024, 9, 30), D(2024, 7, 1), D(2029, 6, 30)),
        ("IMW_5Y", D(2024, 12, 31), D(2024, 10, 1), D(2029, 9, 30)),
        ("IMW_5Y", D(2023, 7, 1), D(2023, 7, 1), D(2028, 6, 30)),
        ("IMW_2Y", D(2024, 9, 30), D(2024, 7, 1), D(2026, 6, 30)),
        ("IMW_2Y", D(2024, 10, 1), D(2024, 10, 1), D(2026, 9, 30)),
        ("IMW_2Y", D(2024, 12, 31), D(2024, 10, 1), D(2026, 9, 30)),
    ],
)
def test_imw_term_starts_at_the_quarter_of_the_decision(regime, decision, term_start, planned_end):
    result = compute(RULES, Facts(regime, decision, decision_date=decision), TODAY)
    assert (result.term_start, result.planned_end) == (term_start, planned_end)


def test_imw_5y_renewal_window():
    result = compute(RULES, Facts("IMW_5Y", D(2024, 10, 7), decision_date=D(2024, 9, 30)), TODAY)
    assert kinds(result) == {
        "first_pop_due": D(2024, 11, 7),
        "imw_renewal_window_opens": D(2027, 7, 1),  # start of year 4, the penultimate year
        "imw_renewal_request_due": D(2028, 12, 30),  # in year 5
        "trajectory_end": D(2029, 6, 30),
    }


def test_imw_suspension_shifts_end_and_renewal_window():
    facts = Facts(
        "IMW_5Y",
        D(2024, 1, 8),
        decision_date=D(2024, 1, 5),
        suspensions=[Suspension(D(2025, 5, 1), D(2025, 5, 31), "maternity")],
    )
    result = compute(RULES, facts, TODAY)
    assert result.planned_end == D(2029, 1, 31)
    assert kinds(result)["imw_renewal_window_opens"] == D(2027, 2, 1)


def test_imw_2y_cannot_be_renewed():
    result = compute(RULES, Facts("IMW_2Y", D(2024, 2, 1), decision_date=D(2024, 1, 15)), TODAY)
    assert kinds(result) == {
        "first_pop_due": D(2024, 3, 1),
        "imw_end_evaluation_due": D(2025, 6, 30),
        "trajectory_end": D(2025, 12, 31),
    }
    with pytest.raises(RuleViolation, match="niet hernieuwd"):
        renewal_window(RULES, "IMW_2Y", result.planned_end, D(2024, 1, 15))


# --------------------------------------------------------------------------- CMW


@pytest.mark.parametrize(
    ("start", "earliest"),
    [
        # 2 years of employment end on 28/02/2022; 2 years + 1 day is reached on 01/03/2022
        (D(2020, 3, 1), D(2022, 3, 1)),
        (D(2020, 2, 29), D(2022, 3, 1)),
        (D(2024, 1, 31), D(2026, 1, 31)),
    ],
)
def test_cmw_earliest_evaluation(start, earliest):
    assert earliest_evaluation(RULES, "CMW", start, (), medical=False) == earliest


@pytest.mark.parametrize(
    ("suspensions", "earliest"),
    [
        # 8 weeks of effective work: 56 worked days from 01/09/2025 end 26/10/2025
        ((), D(2025, 10, 27)),
        # 7 suspended days inside the 8 weeks do not count as work
        (((D(2025, 9, 15), D(2025, 9, 21)),), D(2025, 11, 3)),
        # suspension after the 8 weeks: no effect
        (((D(2025, 10, 27), D(2025, 11, 30)),), D(2025, 10, 27)),
    ],
)
def test_cmw_medical_evaluation_after_8_weeks_effective_work(suspensions, earliest):
    spans = [Suspension(a, b, "illness") for a, b in suspensions]
    assert earliest_evaluation(RULES, "CMW", D(2025, 9, 1), spans, medical=True) == earliest


def test_cmw_medical_evaluation_never_later_than_regular():
    long_illness = [Suspension(D(2024, 1, 2), D(2027, 1, 1), "illness")]
    assert earliest_evaluation(RULES, "CMW", D(2024, 1, 1), long_illness, medical=True) == D(2026, 1, 1)


def test_cmw_compute():
    facts = Facts("CMW", D(2024, 1, 31), suspensions=[Suspension(D(2024, 6, 1), D(2024, 6, 30), "illness")])
    result = compute(RULES, facts, TODAY)
    assert kinds(result) == {
        "first_pop_due": D(2024, 2, 29),
        "earliest_evaluation": D(2026, 1, 31),
        "start_package_expires": D(2029, 1, 30),  # not shifted by suspensions
        "trajectory_end": D(2029, 1, 30),
    }


def test_earliest_evaluation_unknown_for_lde():
    with pytest.raises(RuleNotFound):
        earliest_evaluation(RULES, "LDE", D(2020, 1, 1), (), medical=False)


# --------------------------------------------------------------------------- regime entry, SINE


@pytest.mark.parametrize(
    ("regime", "start", "ok"),
    [
        ("LDE", D(2023, 6, 30), True),
        ("LDE", D(2023, 7, 1), False),
        ("LDE", D(2012, 1, 1), True),
        ("SINE", D(2023, 6, 30), True),
        ("SINE", D(2023, 7, 1), False),
        ("SINE", D(2023, 7, 2), False),
        ("IMW_5Y", D(2023, 7, 1), True),
        ("IMW_2Y", D(2023, 6, 30), False),
        ("CMW", D(2010, 1, 1), True),
    ],
)
def test_check_regime_start(regime, start, ok):
    if ok:
        check_regime_start(RULES, regime, start)
    else:
        with pytest.raises(RuleViolation):
            check_regime_start(RULES, regime, start)


@pytest.mark.parametrize(
    ("sine_start", "own_end", "expected"),
    [
        (D(2021, 5, 1), None, D(2025, 6, 30)),
        (D(2023, 6, 30), None, D(2025, 6, 30)),
        (D(2021, 5, 1), D(2024, 12, 31), D(2024, 12, 31)),
        (D(2021, 5, 1), D(2026, 12, 31), D(2025, 6, 30)),
    ],
)
def test_sine_end(sine_start, own_end, expected):
    assert sine_end(RULES, sine_start, own_end) == expected


def test_no_new_sine_after_1_july_2023():
    with pytest.raises(RuleViolation, match="SINE"):
        sine_end(RULES, D(2023, 7, 1))


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("func", "anchor", "expected"),
    [
        (first_pop_due, D(2024, 1, 31), D(2024, 2, 29)),
        (first_pop_due, D(2023, 1, 31), D(2023, 2, 28)),
        (first_pop_due, D(2024, 5, 15), D(2024, 6, 15)),
        (yearly_review_due, D(2024, 2, 29), D(2025, 2, 28)),
        (yearly_review_due, D(2023, 6, 12), D(2024, 6, 12)),
        (pop_update_due, D(2024, 3, 5), D(2024, 2, 24)),
        (pop_update_due, D(2025, 1, 8), D(2024, 12, 29)),
        (throughflow_track_start_due, D(2024, 11, 30), D(2025, 2, 28)),
        (throughflow_track_start_due, D(2024, 1, 10), D(2024, 4, 10)),
    ],
)
def test_deadline_helpers(func, anchor, expected):
    assert func(RULES, anchor) == expected


@pytest.mark.parametrize(
    ("phase", "start", "last_day"),
    [
        ("preparation", D(2024, 1, 31), D(2024, 2, 28)),
        ("job_matching", D(2024, 1, 15), D(2024, 4, 14)),
        ("internship", D(2024, 11, 30), D(2025, 2, 27)),
        ("aftercare", D(2024, 10, 1), D(2024, 12, 31)),
    ],
)
def test_phase_due(phase, start, last_day):
    assert phase_due(RULES, phase, start) == last_day


def test_phase_due_unknown_phase():
    with pytest.raises(RuleViolation, match="Onbekende fase"):
        phase_due(RULES, "holiday", D(2024, 1, 1))


@pytest.mark.parametrize(
    ("exit_date", "expected"),
    [
        (D(2024, 1, 31), [D(2024, 2, 29), D(2024, 4, 30), D(2024, 7, 31), D(2025, 1, 31)]),
        (D(2024, 8, 31), [D(2024, 9, 30), D(2024, 11, 30), D(2025, 2, 28), D(2025, 8, 31)]),
    ],
)
def test_aftercare_followups(exit_date, expected):
    assert aftercare_followups(RULES, exit_date) == expected


def test_end_alert_dates_and_coaching_budget():
    assert end_alert_dates(RULES, D(2025, 8, 31)) == [D(2024, 8, 31), D(2025, 2, 28), D(2025, 5, 31)]
    assert coaching_budget_hours(RULES, D(2024, 1, 1)) == 140


# --------------------------------------------------------------------------- rule table


def test_default_table_is_json_serialisable_and_complete():
    import json

    fields = {"regime", "key", "value", "unit", "valid_from", "valid_to", "source", "label_nl"}
    seen = set()
    for row in DEFAULT_RULES:
        assert set(row) == fields
        json.dumps(row["value"])
        assert row["source"] and row["label_nl"]
        assert (row["regime"], row["key"]) not in seen
        seen.add((row["regime"], row["key"]))
    assert {r for r, _ in seen} == {"GENERAL", "LDE", "TRANSITION", "IMW_5Y", "IMW_2Y", "CMW", "SINE"}


def test_ruleset_accepts_objects_and_picks_the_version_valid_on_the_date():
    class Row:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    common = {
        "regime": "GENERAL",
        "key": "pop_first_registration_months",
        "unit": "months",
        "source": "test",
        "label_nl": "test",
    }
    rules = RuleSet.from_rows(
        [
            Row(value=1, valid_from=None, valid_to=D(2025, 12, 31), **common),
            Row(value=2, valid_from=D(2026, 1, 1), valid_to=None, **common),
        ]
    )
    assert first_pop_due(rules, D(2025, 12, 31)) == D(2026, 1, 31)
    assert first_pop_due(rules, D(2026, 1, 1)) == D(2026, 3, 1)
    with pytest.raises(RuleNotFound):
        rules.get("GENERAL", "pop_review_months", D(2026, 1, 1))


def test_ruleset_rejects_overlapping_versions():
    common = {"regime": "LDE", "key": "term_years", "value": 5, "unit": "years", "source": "s", "label_nl": "l"}
    with pytest.raises(RuleTableError, match="overlappende"):
        RuleSet.from_rows(
            [
                {**common, "valid_from": None, "valid_to": "2026-01-01"},
                {**common, "valid_from": "2026-01-01", "valid_to": None},
            ]
        )


def test_numbers_come_from_the_table():
    rows = [dict(r) for r in DEFAULT_RULES]
    for row in rows:
        if (row["regime"], row["key"]) == ("LDE", "term_years"):
            row["value"] = 6
    rules = RuleSet.from_rows(rows)
    assert compute(rules, Facts("LDE", D(2020, 3, 1)), TODAY).planned_end == D(2026, 2, 28)


def test_deadlines_sorted_and_carry_rule_and_source():
    result = compute(RULES, Facts("IMW_5Y", D(2024, 1, 8), decision_date=D(2024, 1, 5)), TODAY)
    assert list(result.deadlines) == sorted(result.deadlines, key=lambda d: (d.due, d.kind))
    for deadline in result.deadlines:
        assert deadline.rule.split(":")[0].count(".") == 1
        assert deadline.source
