"""Which rule-table dates apply to a worker's evaluation request. Pure: no ORM, no clock; the legal
arithmetic itself stays in trajects.rules."""

from dataclasses import dataclass
from datetime import date

from trajects import rules as trajectory_rules

from .models import EvaluationReason


@dataclass(frozen=True)
class EvaluationBasis:
    """The facts behind a worker's earliest evaluation date: regime, employment start, suspensions."""

    regime: str | None
    start: date | None
    suspensions: tuple = ()
    planned_end: date | None = None
    regular: date | None = None
    medical: date | None = None

    def earliest_for(self, reason: str) -> date | None:
        """CMW: an evaluation can be requested from 2 years + 1 day of employment, earlier only for a
        changed and attested medical reason after 8 weeks of effective work (BVR 15/07/2022). Regimes
        without these rules in the table have no earliest date."""
        return self.medical if reason == EvaluationReason.EARLY_MEDICAL else self.regular


def evaluation_basis(ruleset, *, regime, start, suspensions=(), planned_end=None) -> EvaluationBasis:
    regular = medical = None
    if regime and start:
        try:
            regular = trajectory_rules.earliest_evaluation(ruleset, regime, start, suspensions)
            medical = trajectory_rules.earliest_evaluation(ruleset, regime, start, suspensions, medical=True)
        except trajectory_rules.RuleNotFound:
            pass
    return EvaluationBasis(regime, start, tuple(suspensions), planned_end, regular, medical)


def suggested_reason(basis: EvaluationBasis, today: date) -> str:
    """The reason a coach most likely means: the transition regime must be evaluated before it ends;
    a term ending within a year is an end-of-term evaluation; otherwise a regular one."""
    if basis.regime == "TRANSITION":
        return EvaluationReason.TRANSITION_ENDS
    if basis.planned_end and basis.planned_end <= trajectory_rules.add_months(today, 12):
        return EvaluationReason.END_OF_TERM
    return EvaluationReason.REGULAR


def rule_numbers(ruleset, regime, start, on: date) -> dict:
    """The numbers behind the dates shown on the evaluation form, read from the rule table so the page
    never states a number the table does not hold."""
    numbers = {"pop_days": ruleset.get("GENERAL", "pop_update_lead_days", on).as_int()}
    if regime and start:
        try:
            numbers.update(
                years=ruleset.get(regime, "evaluation_min_years", start).as_int(),
                days=ruleset.get(regime, "evaluation_extra_days", start).as_int(),
                weeks=ruleset.get(regime, "medical_min_effective_weeks", start).as_int(),
            )
        except trajectory_rules.RuleNotFound:
            pass
    return numbers
