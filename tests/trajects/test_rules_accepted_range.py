"""The rules engine never raises on a date the forms accept (lde_portal.dates), and refuses rather than crashes on
any date at all: 31/12/9999 as a start or a suspension end used to overflow (hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indication import rules as indication_rules
from lde_portal import dates
from pop import rules as pop_rules
from throughflow import rules as throughflow_rules
from trajects import rules
from trajects.rules import Extension, Facts, RuleSet, RuleViolation, Suspension

RULES = RuleSet.default()
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The ranges move with the calendar: the property holds on any day the portal may run.
todays = st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))


def within(draw, date_range, today):
    earliest, latest = date_range.bounds(today)
    # The range's own edges are the likeliest to overflow: draw them often.
    return draw(st.one_of(st.sampled_from([earliest, latest]), st.dates(min_value=earliest, max_value=latest)))


@st.composite
def accepted_facts(draw, anywhere=False):
    """Facts as the forms let them through: each date within its field's range. With `anywhere`, any date
    the calendar has (what a command or an import could hand over before its own check)."""
    today = draw(todays)

    def day(date_range):
        if anywhere:
            return draw(st.one_of(st.sampled_from([date.min, date.max]), st.dates()))
        return within(draw, date_range, today)

    regime = draw(st.sampled_from(rules.REGIMES))
    start = day(dates.WORKING_LIFE)
    decision = day(dates.LDE_ERA) if regime in rules.IMW_REGIMES or draw(st.booleans()) else None
    birth = day(dates.BIRTH) if draw(st.booleans()) else None
    suspensions = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = sorted([day(dates.GUIDANCE), day(dates.GUIDANCE)])
        suspensions.append((a, b, draw(st.sampled_from(rules.SUSPENSION_REASONS))))
    extensions = []
    for _ in range(draw(st.integers(0, 3))):
        # The extension form takes 0-120 months (trajects.trajectory_forms.ExtensionForm).
        extensions.append((draw(st.integers(0, 120)), draw(st.sampled_from(rules.EXTENSION_REASONS)),
                           day(dates.LDE_ERA) if draw(st.booleans()) else None))

    def build():
        # The facts check themselves (a suspension before the start, a 0-month sixth year): a RuleViolation.
        return Facts(regime=regime, start=start, decision_date=decision, birth_date=birth,
                     suspensions=tuple(Suspension(*s) for s in suspensions),
                     extensions=tuple(Extension(*e) for e in extensions))
    return today, build


def _facts_or_violation(build):
    try:
        return build()
    except RuleViolation:
        return None


@PROPERTY
@given(case=accepted_facts())
def test_compute_and_its_deadlines_never_raise_on_accepted_dates(case):
    today, build = case
    facts = _facts_or_violation(build)
    if facts is None:
        return
    try:
        result = rules.compute(RULES, facts, today)
    except RuleViolation:
        return  # a refusal the form shows at the field (an LDE start after 30/06/2023, ...)
    assert result.term_start <= result.planned_end + timedelta(days=1)
    rules.days_left(result, today)
    rules.end_alert_dates(RULES, result.planned_end)
    if facts.regime == "IMW_5Y":
        rules.renewal_window(RULES, facts.regime, result.planned_end, facts.decision_date)
    if facts.regime == "CMW":
        rules.earliest_evaluation(RULES, "CMW", facts.start, facts.suspensions, medical=True)
    basis = indication_rules.evaluation_basis(RULES, regime=facts.regime, start=facts.start,
                                              suspensions=facts.suspensions, planned_end=result.planned_end)
    indication_rules.suggested_reason(basis, today)


@PROPERTY
@given(case=accepted_facts(anywhere=True))
def test_compute_refuses_but_never_crashes_on_any_calendar_date(case):
    today, build = case
    try:
        rules.compute(RULES, build(), today)
    except RuleViolation:
        pass


@PROPERTY
@given(today=todays, data=st.data())
def test_the_other_date_rules_never_raise_on_accepted_dates(today, data):
    guidance = within(data.draw, dates.GUIDANCE, today)
    due = within(data.draw, dates.DUE, today)
    hire = within(data.draw, dates.WORKING_LIFE, today)
    rules.first_pop_due(RULES, hire)
    rules.yearly_review_due(RULES, guidance)
    rules.pop_update_due(RULES, due)
    rules.throughflow_track_start_due(RULES, within(data.draw, dates.LDE_ERA, today))
    for phase in rules.PHASES:
        rules.phase_due(RULES, phase, guidance)
    rules.aftercare_followups(RULES, guidance)
    _facts_or_violation(lambda: rules.sine_end(RULES, guidance, None))
    rules.age_on(within(data.draw, dates.BIRTH, today), today)
    rules.quarter_start(within(data.draw, dates.LDE_ERA, today))
    pop_rules.pop_due(RULES, hire_date=hire, first_registered_on=guidance, last_approved_on=guidance, active=True)
    pop_rules.iso_week_label(pop_rules.monday_of(guidance))
    paused_from, resumed_on = sorted([guidance, within(data.draw, dates.GUIDANCE, today)])
    throughflow_rules.phase_due_after_pause(rules.phase_due(RULES, "internship", paused_from), paused_from,
                                            resumed_on)


@pytest.mark.parametrize(("call", "year"), [
    (lambda: rules.add_years(date(9999, 12, 31), 5), 10004),
    (lambda: rules.add_months(date(9999, 12, 31), 1), 10000),
    (lambda: rules.add_months(date(1, 1, 1), -1), 0),
])
def test_calendar_arithmetic_past_the_calendar_is_a_rule_violation(call, year):
    with pytest.raises(RuleViolation, match=str(year)):
        call()


@pytest.mark.parametrize("facts", [
    Facts(regime="CMW", start=date(9999, 12, 31)),
    Facts(regime="LDE", start=date(2021, 3, 1), suspensions=(Suspension(date(2021, 4, 1), date(9999, 12, 31)),)),
    Facts(regime="IMW_5Y", start=date(2024, 3, 4), decision_date=date(9999, 12, 31)),
])
def test_the_overflows_seen_in_the_review_are_refusals(facts):
    with pytest.raises(RuleViolation):
        rules.compute(RULES, facts, date(2026, 11, 23))
