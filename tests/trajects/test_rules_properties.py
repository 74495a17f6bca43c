"""Properties of the rules engine that must hold for any dates (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trajects.rules import (
    Extension,
    Facts,
    RuleSet,
    Suspension,
    add_months,
    add_years,
    compute,
    earliest_evaluation,
)

RULES = RuleSet.default()
TODAY = date(2025, 1, 1)

dates = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def suspensions_after(draw, start: date, max_count: int = 4):
    spans = []
    for _ in range(draw(st.integers(0, max_count))):
        begin = start + timedelta(days=draw(st.integers(0, 9 * 365)))
        end = begin + timedelta(days=draw(st.integers(0, 400)))
        spans.append(Suspension(begin, end, draw(st.sampled_from(["illness", "maternity", "other"]))))
    return tuple(spans)


@st.composite
def facts(draw):
    regime = draw(st.sampled_from(["LDE", "TRANSITION", "IMW_5Y", "IMW_2Y", "CMW"]))
    decision = None
    extensions = ()
    birth = None
    if regime in ("LDE", "TRANSITION"):
        start = draw(st.dates(min_value=date(2010, 1, 1), max_value=date(2023, 6, 30)))
        birth = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(1962, 12, 31)))
        extensions = tuple(
            draw(
                st.lists(
                    st.one_of(
                        st.builds(Extension, st.integers(1, 24), st.sampled_from(["ILLNESS", "OTHER"])),
                        st.just(Extension(0, "AGE_55")),
                    ),
                    max_size=2,
                )
            )
        )
        if draw(st.booleans()):
            extensions = (Extension(draw(st.integers(1, 12)), "SIXTH_YEAR"), *extensions)
    elif regime in ("IMW_5Y", "IMW_2Y"):
        decision = draw(st.dates(min_value=date(2023, 7, 1), max_value=date(2030, 12, 31)))
        start = decision - timedelta(days=draw(st.integers(0, 120)))
    else:
        start = draw(dates)
    return Facts(
        regime,
        start,
        decision_date=decision,
        birth_date=birth,
        suspensions=draw(suspensions_after(start)),
        extensions=extensions,
    )


@given(dates, st.integers(-240, 240))
def test_add_months_stays_in_the_target_month(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day <= d.day


@given(dates, st.integers(1, 20))
def test_a_term_ends_before_its_anniversary_and_after_its_start(d, years):
    end = add_years(d, years) - timedelta(days=1)
    assert d < end
    assert add_years(d, years) > add_years(d, years - 1)


@settings(max_examples=300)
@given(facts())
def test_end_never_before_start(f):
    result = compute(RULES, f, TODAY)
    assert result.planned_end >= result.term_start
    assert result.planned_end >= f.start
    assert all(d.kind and d.rule and d.source for d in result.deadlines)


@settings(max_examples=300)
@given(facts(), st.data())
def test_adding_a_suspension_never_moves_the_end_earlier(f, data):
    before = compute(RULES, f, TODAY).planned_end
    extra = data.draw(suspensions_after(f.start, max_count=1).filter(bool))
    longer = Facts(f.regime, f.start, f.decision_date, f.birth_date, f.suspensions + extra, f.extensions)
    assert compute(RULES, longer, TODAY).planned_end >= before


@settings(max_examples=200)
@given(facts())
def test_deadlines_are_sorted(f):
    deadlines = compute(RULES, f, TODAY).deadlines
    assert list(deadlines) == sorted(deadlines, key=lambda d: (d.due, d.kind))


@settings(max_examples=200)
@given(facts(), dates)
def test_same_facts_give_the_same_output_on_any_day(f, other_day):
    first = compute(RULES, f, TODAY)
    again = compute(
        RULES,
        Facts(f.regime, f.start, f.decision_date, f.birth_date, tuple(f.suspensions), tuple(f.extensions)),
        other_day,
    )
    assert first == again
    reordered = Facts(f.regime, f.start, f.decision_date, f.birth_date, tuple(reversed(f.suspensions)), f.extensions)
    assert compute(RULES, reordered, TODAY) == first


@given(dates, st.data())
def test_medical_evaluation_is_never_before_8_weeks_nor_after_the_regular_date(start, data):
    spans = data.draw(suspensions_after(start, max_count=3))
    regular = earliest_evaluation(RULES, "CMW", start, spans, medical=False)
    medical = earliest_evaluation(RULES, "CMW", start, spans, medical=True)
    assert start + timedelta(weeks=8) <= medical <= regular
    assert regular == earliest_evaluation(RULES, "CMW", start, (), medical=False)
