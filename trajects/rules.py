"""Pure legal date arithmetic for trajectories: no ORM, no clock.

Every number comes from a `RuleSet` (built from `rule_data.DEFAULT_RULES` or from
the editable `RegimeRule` table); every date, `today` included, is a parameter.

Date conventions (used throughout, see docs/rules.md):
- A *term* of N years/months starting on D runs up to and including the day
  before the N-th anniversary ("van de zoveelste tot de dag vóór de zoveelste").
  Internally a term is held as its exclusive end (the anniversary).
- `add_years`: an anniversary of 29 February in a non-leap year is 1 March.
  `add_months`: clamps to the last day of a shorter month (31/01 + 1 month = 28/02).
- A *deadline* "within N months of event E" is due on add_months(E, N): that day
  is still in time.
- A suspension is inclusive of both ends; it counts as its number of calendar days.
"""

from __future__ import annotations

import calendar
import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trajects.rule_data import DEFAULT_RULES

REGIMES = ("LDE", "TRANSITION", "IMW_5Y", "IMW_2Y", "CMW")
IMW_REGIMES = ("IMW_5Y", "IMW_2Y")
SUSPENSION_REASONS = ("illness", "maternity", "pandemic", "other")
EXTENSION_REASONS = ("SIXTH_YEAR", "AGE_55", "ILLNESS", "OTHER")
PHASES = ("preparation", "job_matching", "internship", "aftercare")

ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- errors


class RuleViolation(ValueError):
    """Facts that the law (or the rule table) does not allow.

    The message is translated when raised, so it is in the active language (Dutch by default);
    `message_nl` keeps its historical name for callers.
    """

    def __init__(self, message_nl: str):
        super().__init__(message_nl)
        self.message_nl = message_nl


class RuleTableError(Exception):
    """The rule table itself is inconsistent (overlapping versions, wrong value type)."""


class RuleNotFound(RuleTableError, LookupError):
    """No row of the rule table is valid for (regime, key) on the requested date."""


def _nl(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- calendar


def _check_year(year: int) -> None:
    # The forms keep every date within a few decades of today (lde_portal.dates), so this only
    # fires on facts that bypassed them: a refusal the caller can show, never a server error.
    if not MINYEAR <= year <= MAXYEAR:
        raise RuleViolation(_("This date lies outside the calendar (year %(year)s).") % {"year": year})


def add_months(d: date, n: int) -> date:
    """Add n calendar months (n may be negative), clamping to the month's last day.

    Civil-law month counting: 31/01 + 1 month = 28/02 (29/02 in a leap year).
    """
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    _check_year(year)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """Add n years; the anniversary of 29 February in a non-leap year is 1 March.

    So a 5-year term starting 29/02/2016 has its anniversary on 01/03/2021 and
    ends on 28/02/2021. Applied the same way for negative n.
    """
    year = d.year + n
    _check_year(year)
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return d.replace(year=year)


def quarter_start(d: date) -> date:
    """First day of the calendar quarter containing d (IMW terms start there)."""
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on a day; someone born on 29/02 turns a year older on 01/03."""
    years = on.year - birth_date.year
    if add_years(birth_date, years) > on:
        years -= 1
    return years


# --------------------------------------------------------------------------- rule table


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Rule:
    regime: str
    key: str
    value: Any
    unit: str
    valid_from: date | None
    valid_to: date | None
    source: str
    label_nl: str

    def applies_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    @property
    def ref(self) -> str:
        return f"{self.regime}.{self.key}"

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise RuleTableError(f"{self.ref}: geheel getal verwacht, kreeg {self.value!r}")
        return self.value

    def as_date(self) -> date:
        try:
            return date.fromisoformat(str(self.value))
        except ValueError as exc:
            raise RuleTableError(f"{self.ref}: ISO-datum verwacht, kreeg {self.value!r}") from exc

    def as_ints(self) -> tuple[int, ...]:
        values = self.value
        if not isinstance(values, (list, tuple)) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise RuleTableError(f"{self.ref}: lijst van gehele getallen verwacht, kreeg {values!r}")
        return tuple(values)


class RuleSet:
    """An immutable, versioned set of rules, looked up by (regime, key, date)."""

    __slots__ = ("_by_key",)

    def __init__(self, rules: Iterable[Rule]):
        by_key: dict[tuple[str, str], list[Rule]] = {}
        for rule in rules:
            by_key.setdefault((rule.regime, rule.key), []).append(rule)
        for versions in by_key.values():
            versions.sort(key=lambda r: r.valid_from or date.min)
            for older, newer in itertools.pairwise(versions):
                older_end = older.valid_to or date.max
                newer_start = newer.valid_from or date.min
                if newer_start <= older_end:
                    raise RuleTableError(
                        f"{older.ref}: overlappende versies "
                        f"({older.valid_from} - {older.valid_to} en {newer.valid_from} - {newer.valid_to})"
                    )
        self._by_key = {k: tuple(v) for k, v in by_key.items()}

    @classmethod
    def from_rows(cls, rows: Iterable[Any]) -> RuleSet:
        """Build from dicts (rule_data) or objects with the same attributes (RegimeRule rows)."""
        rules = []
        for row in rows:
            get = row.get if isinstance(row, dict) else functools.partial(getattr, row)
            value = get("value")
            if isinstance(value, list):
                value = tuple(value)
            rules.append(
                Rule(
                    regime=get("regime"),
                    key=get("key"),
                    value=value,
                    unit=get("unit"),
                    valid_from=_as_date(get("valid_from")),
                    valid_to=_as_date(get("valid_to")),
                    source=get("source"),
                    label_nl=get("label_nl"),
                )
            )
        return cls(rules)

    @classmethod
    def default(cls) -> RuleSet:
        """The rule table shipped in `trajects.rule_data` (cached; RuleSets are immutable)."""
        return _default_ruleset()

    def __iter__(self):
        for versions in self._by_key.values():
            yield from versions

    def find(self, regime: str, key: str, on: date) -> Rule | None:
        for rule in self._by_key.get((regime, key), ()):
            if rule.applies_on(on):
                return rule
        return None

    def get(self, regime: str, key: str, on: date) -> Rule:
        rule = self.find(regime, key, on)
        if rule is None:
            raise RuleNotFound(f"Geen regel {regime}.{key} geldig op {_nl(on)} in de regeltabel.")
        return rule


@functools.cache
def _default_ruleset() -> RuleSet:
    return RuleSet.from_rows(DEFAULT_RULES)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Suspension:
    """A period (both ends inclusive) during which the trajectory clock stops."""

    start: date
    end: date
    reason: str = "other"

    def __post_init__(self):
        if self.reason not in SUSPENSION_REASONS:
            raise RuleViolation(
                _("Unknown suspension reason '%(reason)s'; allowed: %(allowed)s.")
                % {"reason": self.reason, "allowed": ", ".join(SUSPENSION_REASONS)}
            )
        if self.end < self.start:
            raise RuleViolation(
                _("The suspension ends (%(end)s) before it starts (%(start)s).")
                % {"end": _nl(self.end), "start": _nl(self.start)}
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Extension:
    """A recorded extension decision; see `compute` for how each reason counts."""

    months: int
    reason: str
    decision_date: date | None = None

    def __post_init__(self):
        if self.reason not in EXTENSION_REASONS:
            raise RuleViolation(
                _("Unknown extension reason '%(reason)s'; allowed: %(allowed)s.")
                % {"reason": self.reason, "allowed": ", ".join(EXTENSION_REASONS)}
            )
        # AGE_55 runs to the next 5-year boundary, so its months are informational only.
        minimum = 0 if self.reason == "AGE_55" else 1
        if self.months < minimum:
            raise RuleViolation(
                _("An extension (%(reason)s) must be at least %(minimum)s month(s), not %(months)s.")
                % {"reason": self.reason, "minimum": minimum, "months": self.months}
            )


@dataclass(frozen=True)
class Facts:
    """What is known about one trajectory. `start` is always the hire date."""

    regime: str
    start: date
    decision_date: date | None = None
    birth_date: date | None = None
    suspensions: Sequence[Suspension] = field(default_factory=tuple)
    extensions: Sequence[Extension] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "suspensions", tuple(self.suspensions))
        object.__setattr__(self, "extensions", tuple(self.extensions))
        if self.regime == "SINE":
            raise RuleViolation(
                _(
                    "SINE is a separate status alongside the trajectory; its end date follows from the phasing out "
                    "of SINE."
                )
            )
        if self.regime not in REGIMES:
            raise RuleViolation(
                _("Unknown regime '%(regime)s'; allowed: %(allowed)s.")
                % {"regime": self.regime, "allowed": ", ".join(REGIMES)}
            )
        if self.regime in IMW_REGIMES and self.decision_date is None:
            raise RuleViolation(
                _(
                    "For individual customised work the decision date of the WSE department is required: "
                    "the term starts on the first day of that quarter."
                )
            )
        for suspension in self.suspensions:
            if suspension.start < self.start:
                raise RuleViolation(
                    _("The suspension from %(start)s starts before the start of the employment (%(employment_start)s).")
                    % {"start": _nl(suspension.start), "employment_start": _nl(self.start)}
                )
        if self.birth_date is None and any(e.reason == "AGE_55" for e in self.extensions):
            raise RuleViolation(_("A 55+ extension requires the worker's date of birth."))


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    rule: str  # "<regime>.<key>: <technical trace>" (English, for the developer command and the tests)
    source: str
    # What a person reads: (code, params) steps that `explain` turns into a sentence in the active language.
    # Stored as data rather than text so the stored row does not depend on the language of whoever last
    # saved the trajectory, and the export and the Traject tab say the same thing.
    reason: tuple = ()


@dataclass(frozen=True)
class Result:
    planned_end: date
    term_start: date
    deadlines: tuple[Deadline, ...]

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)


# --------------------------------------------------------------------------- suspensions


def merge_suspensions(suspensions: Iterable[Suspension]) -> tuple[tuple[date, date], ...]:
    """Merge overlapping and adjacent suspensions into sorted (start, end) spans.

    A day suspended twice still counts once, so recording an overlapping
    suspension can never shorten or double-count the shift.
    """
    spans: list[list[date]] = []
    for s in sorted(suspensions, key=lambda s: (s.start, s.end)):
        if spans and s.start <= spans[-1][1] + ONE_DAY:
            spans[-1][1] = max(spans[-1][1], s.end)
        else:
            spans.append([s.start, s.end])
    return tuple((a, b) for a, b in spans)


def apply_suspensions(last_day: date, suspensions: Iterable[Suspension], not_before: date) -> date:
    """Shift the last day of a term by the suspended days that fall within it.

    Rule (LDE/IMW; COVID extension by the length of the crisis): spans are merged
    and taken in date order; a span that starts on or before the current, already
    shifted, last day counts in full (also when it runs past that day), so a later
    span that falls inside the shifted term counts too; a span starting after the
    shifted last day is ignored. Days before `not_before` (the term start) are not
    part of the term and do not count. Adding a suspension never moves the result
    earlier.
    """
    for start, end in merge_suspensions(suspensions):
        if end < not_before:
            continue
        start = max(start, not_before)
        if start > last_day:
            break
        last_day += timedelta(days=(end - start).days + 1)
    return last_day


# --------------------------------------------------------------------------- helpers


def first_pop_due(rules: RuleSet, hire_date: date) -> date:
    """First POP registered with VDAB within 1 month of hiring.

    Rule GENERAL.pop_first_registration_months (BVR 19/12/2014; BVR 15/07/2022).
    Due on hire date + 1 month (month-end clamped); that day is still in time.
    """
    rule = rules.get("GENERAL", "pop_first_registration_months", hire_date)
    return add_months(hire_date, rule.as_int())


def yearly_review_due(rules: RuleSet, last_approved: date) -> date:
    """Yearly POP review: due 12 months after the last approved POP.

    Rule GENERAL.pop_review_months (Decreet LDE 22/11/2013; BVR 19/12/2014).
    """
    rule = rules.get("GENERAL", "pop_review_months", last_approved)
    return add_months(last_approved, rule.as_int())


def pop_update_due(rules: RuleSet, vdab_visit: date) -> date:
    """POP update at least 10 days before a VDAB evaluation or visit.

    Rule GENERAL.pop_update_lead_days (BVR 15/07/2022; VDAB practice). Due on
    visit - 10 days: an update on that day leaves 10 full days.
    """
    rule = rules.get("GENERAL", "pop_update_lead_days", vdab_visit)
    return vdab_visit - timedelta(days=rule.as_int())


def throughflow_track_start_due(rules: RuleSet, decision_date: date) -> date:
    """The throughflow track starts within 3 months of a favourable VDAB decision.

    Rule GENERAL.throughflow_start_months (VDAB throughflow practice).
    """
    rule = rules.get("GENERAL", "throughflow_start_months", decision_date)
    return add_months(decision_date, rule.as_int())


def phase_due(rules: RuleSet, phase_key: str, phase_start: date) -> date:
    """Last day allowed for a throughflow phase (preparation 1, job matching 3,
    internship 3, aftercare 3 months).

    Rule GENERAL.phase_<phase>_max_months (VDAB throughflow practice). A phase is
    a term: it may last up to the day before add_months(start, max).
    """
    if phase_key not in PHASES:
        raise RuleViolation(
            _("Unknown phase '%(phase)s'; allowed: %(allowed)s.") % {"phase": phase_key, "allowed": ", ".join(PHASES)}
        )
    rule = rules.get("GENERAL", f"phase_{phase_key}_max_months", phase_start)
    return add_months(phase_start, rule.as_int()) - ONE_DAY


def coaching_budget_hours(rules: RuleSet, on: date) -> int:
    """Coaching budget of a throughflow track (140 hours).

    Rule GENERAL.coaching_budget_hours (VDAB throughflow practice).
    """
    return rules.get("GENERAL", "coaching_budget_hours", on).as_int()


def aftercare_followups(rules: RuleSet, exit_date: date) -> list[date]:
    """Follow-up dates after exit (still employed?), default +1, +3, +6, +12 months.

    Rule GENERAL.aftercare_followup_months (practice default, configurable);
    it makes durable throughflow measurable.
    """
    months = rules.get("GENERAL", "aftercare_followup_months", exit_date).as_ints()
    return [add_months(exit_date, m) for m in sorted(months)]


def end_alert_dates(rules: RuleSet, planned_end: date) -> list[date]:
    """Warning dates before a trajectory end (default 12, 6 and 3 months before).

    Rule GENERAL.end_alert_months (practice default, configurable).
    """
    months = rules.get("GENERAL", "end_alert_months", planned_end).as_ints()
    return sorted(add_months(planned_end, -m) for m in months)


def check_regime_start(rules: RuleSet, regime: str, start: date) -> None:
    """Refuse a trajectory that the regime no longer (or not yet) admits.

    `start` is the date that opens the regime: the hire date, or for IMW the DWSE
    decision date. Rules <regime>.entry_from / entry_until, when present:
    LDE no new entries after 30/06/2023 and TRANSITION only for workers employed
    on 30/06/2023 (Decreet maatwerk 14/01/2022); IMW from 01/07/2023
    (BVR 15/07/2022); no new SINE after 30/06/2023.
    """
    entry_from = rules.find(regime, "entry_from", start)
    if entry_from is not None and start < entry_from.as_date():
        raise RuleViolation(
            _("A %(regime)s trajectory can only start from %(date)s (start date %(start)s). %(rule)s.")
            % {"regime": regime, "date": _nl(entry_from.as_date()), "start": _nl(start), "rule": entry_from.label_nl}
        )
    entry_until = rules.find(regime, "entry_until", start)
    if entry_until is not None and start > entry_until.as_date():
        raise RuleViolation(
            _("A %(regime)s trajectory can no longer start after %(date)s (start date %(start)s). %(rule)s.")
            % {"regime": regime, "date": _nl(entry_until.as_date()), "start": _nl(start), "rule": entry_until.label_nl}
        )


def sine_end(rules: RuleSet, sine_start: date, planned_end: date | None = None) -> date:
    """Last day of a SINE status during its phase-out.

    Rules SINE.entry_until (no new SINE after 30/06/2023), SINE.phase_out_from
    and SINE.phase_out_years (existing SINE at most 2 more years: the term runs
    from 01/07/2023 and ends the day before its 2nd anniversary, 30/06/2025).
    Source: Decreet maatwerk 14/01/2022. An earlier own end (`planned_end`) wins.
    """
    check_regime_start(rules, "SINE", sine_start)
    phase_out_from = rules.get("SINE", "phase_out_from", sine_start).as_date()
    years = rules.get("SINE", "phase_out_years", sine_start).as_int()
    cap = add_years(phase_out_from, years) - ONE_DAY
    return cap if planned_end is None else min(planned_end, cap)


def _effective_work_end(first_day: date, days: int, suspensions: Iterable[Suspension]) -> date:
    return apply_suspensions(first_day + timedelta(days=days - 1), suspensions, first_day)


def earliest_evaluation(
    rules: RuleSet,
    regime: str,
    start: date,
    suspensions: Iterable[Suspension] = (),
    medical: bool = False,
) -> date:
    """Earliest date an evaluation can be requested (collective custom work).

    Rules CMW.evaluation_min_years + CMW.evaluation_extra_days (BVR 15/07/2022,
    VDAB start package): "vanaf 2 jaar + 1 dag tewerkstelling". Two years of
    employment are complete on the day before the 2nd anniversary; the next day
    (the anniversary itself) is the day on which employment reaches 2 years + 1
    day, so that is the earliest date (hire 01/03/2020 -> 01/03/2022). Employment
    is a contract fact, so suspensions do not delay it.

    With `medical=True` (a changed and attested medical reason) the request may be
    earlier, but only after CMW.medical_min_effective_weeks (8) weeks of effective
    work: suspended days are not effective work and push the date out; the result
    is the day after the 56th worked day (never later than the regular date).
    Raises RuleNotFound for a regime without these rules.
    """
    years = rules.get(regime, "evaluation_min_years", start).as_int()
    extra = rules.get(regime, "evaluation_extra_days", start).as_int()
    regular = add_years(start, years) - ONE_DAY + timedelta(days=extra)
    if not medical:
        return regular
    weeks = rules.get(regime, "medical_min_effective_weeks", start).as_int()
    medical_date = _effective_work_end(start, weeks * 7, suspensions) + ONE_DAY
    return min(regular, medical_date)


def renewal_window(rules: RuleSet, regime: str, planned_end: date, on: date) -> tuple[date, date]:
    """(window opens, request due) for the renewal of a renewable term (IMW_5Y).

    Rules <regime>.renewable, renewal_window_years_before_end (the window opens at
    the start of the penultimate year, i.e. 2 years before the exclusive end;
    BVR 15/07/2022, VDAB: alert at the start of year 4) and
    renewal_request_lead_months (practice default: due 6 months before the end,
    so during year 5). Computed from the (shifted) planned end. Raises
    RuleViolation for a regime that cannot be renewed (IMW_2Y). `on` selects the
    rule version (the term's reference date).
    """
    renewable = rules.find(regime, "renewable", on)
    if renewable is None or not renewable.as_int():
        raise RuleViolation(_("A %(regime)s trajectory cannot be renewed.") % {"regime": regime})
    years = rules.get(regime, "renewal_window_years_before_end", on).as_int()
    lead = rules.get(regime, "renewal_request_lead_months", on).as_int()
    opens = add_years(planned_end + ONE_DAY, -years)
    return opens, add_months(planned_end, -lead)


# --------------------------------------------------------------------------- compute


def _reference_date(facts: Facts) -> date:
    return facts.decision_date if facts.regime in IMW_REGIMES else facts.start


def _term_start(rules: RuleSet, facts: Facts, on: date) -> date:
    if facts.regime in IMW_REGIMES:
        return quarter_start(facts.decision_date)
    count_from = rules.find(facts.regime, "count_from", on)
    if count_from is not None:
        return max(facts.start, count_from.as_date())
    return facts.start


def _extension_rule(rules: RuleSet, regime: str, key: str, reason: str, on: date) -> Rule:
    rule = rules.find(regime, key, on)
    if rule is None:
        raise RuleViolation(
            _("An extension %(reason)s does not exist in the regime %(regime)s.") % {"reason": reason, "regime": regime}
        )
    return rule


def compute(rules: RuleSet, facts: Facts, today: date) -> Result:
    """Planned end and legal deadlines of one trajectory.

    Term (rule <regime>.term_years): LDE 5 years from the hire date, counted from
    01/04/2015 for earlier hires (LDE.count_from; Decreet LDE 22/11/2013, BVR
    19/12/2014); TRANSITION as LDE, the temporary compensation runs to the end of
    the LDE trajectory (Decreet maatwerk 14/01/2022); IMW_5Y 5 years and IMW_2Y 2
    years from the first day of the quarter of the DWSE decision (BVR 15/07/2022);
    CMW start package 5 years from hiring. The term ends the day before its
    anniversary.

    Extensions, applied in the order given (pass them in decision order), each
    to the unshifted term so 5-year boundaries stay anchored on the term start:
    - SIXTH_YEAR: + its months, in total at most <regime>.sixth_year_max_months (12);
    - AGE_55: the end moves to the next multiple of <regime>.age_55_block_years
      (5) years after the term start; the worker must be <regime>.age_55_min_age
      (55) on the day it takes effect (the day after the current, shifted end);
      its months are ignored;
    - ILLNESS / OTHER: + their months.
    SIXTH_YEAR and AGE_55 exist only where the table has those rows (LDE,
    TRANSITION); elsewhere they are a RuleViolation (IMW_2Y is not renewable).

    Suspensions then shift the end (see `apply_suspensions`) when
    <regime>.suspensions_shift_end is 1 (not for the CMW start package).
    A pandemic suspension cannot start before GENERAL.pandemic_suspension_from
    (20/03/2020); its end is recorded per trajectory.

    Rules are looked up on the hire date (IMW: the decision date). `today` does
    not change any date: identical facts give identical results on any day (use
    `days_left` for the countdown); it is part of the signature so callers always
    pass the evaluation date explicitly.
    """
    del today  # the arithmetic is deliberately independent of the evaluation date
    try:
        return _compute(rules, facts)
    except OverflowError:
        # Day arithmetic past 31/12/9999 (a suspension shifting such an end): see _check_year.
        raise RuleViolation(_("These dates lie outside the calendar.")) from None


def _compute(rules: RuleSet, facts: Facts) -> Result:
    regime = facts.regime
    on = _reference_date(facts)
    check_regime_start(rules, regime, on)

    pandemic_from = rules.get("GENERAL", "pandemic_suspension_from", on).as_date()
    for s in facts.suspensions:
        if s.reason == "pandemic" and s.start < pandemic_from:
            raise RuleViolation(
                _("A pandemic suspension cannot start before %(date)s (given: %(start)s).")
                % {"date": _nl(pandemic_from), "start": _nl(s.start)}
            )

    term_rule = rules.get(regime, "term_years", on)
    term_start = _term_start(rules, facts, on)
    term_years = term_rule.as_int()
    shift_rule = rules.find(regime, "suspensions_shift_end", on)
    shifts = shift_rule is not None and bool(shift_rule.as_int())

    def shifted(end_exclusive: date) -> date:
        last_day = end_exclusive - ONE_DAY
        return apply_suspensions(last_day, facts.suspensions, term_start) if shifts else last_day

    end_excl = add_years(term_start, term_years)
    explained = [f"{term_years} years from term start {term_start.isoformat()}"]
    steps: list = [("term", {"years": term_years, "start": term_start.isoformat()})]
    sixth_year_months = 0
    for ext in facts.extensions:
        if ext.reason == "SIXTH_YEAR":
            maximum = _extension_rule(rules, regime, "sixth_year_max_months", ext.reason, on).as_int()
            sixth_year_months += ext.months
            if sixth_year_months > maximum:
                raise RuleViolation(
                    _("The sixth-year extensions add up to %(months)s months; at most %(maximum)s months.")
                    % {"months": sixth_year_months, "maximum": maximum}
                )
            end_excl = add_months(end_excl, ext.months)
            explained.append(f"+{ext.months} months (SIXTH_YEAR)")
            steps.append(("sixth_year", {"months": ext.months}))
        elif ext.reason == "AGE_55":
            min_age = _extension_rule(rules, regime, "age_55_min_age", ext.reason, on).as_int()
            block = _extension_rule(rules, regime, "age_55_block_years", ext.reason, on).as_int()
            takes_effect = shifted(end_excl) + ONE_DAY
            if age_on(facts.birth_date, takes_effect) < min_age:
                raise RuleViolation(
                    _(
                        "A 55+ extension requires the worker to be at least %(min_age)s years old on %(date)s, "
                        "the day the extension takes effect; the worker will then be %(age)s."
                    )
                    % {"min_age": min_age, "date": _nl(takes_effect), "age": age_on(facts.birth_date, takes_effect)}
                )
            k = 1
            while add_years(term_start, block * k) <= end_excl:
                k += 1
            end_excl = add_years(term_start, block * k)
            explained.append(f"AGE_55 to the {block * k}-year boundary")
            steps.append(("age_55", {"years": block * k}))
        else:
            end_excl = add_months(end_excl, ext.months)
            explained.append(f"+{ext.months} months ({ext.reason})")
            steps.append(("extension", {"months": ext.months, "reason": ext.reason}))

    unshifted_end = end_excl - ONE_DAY
    planned_end = shifted(end_excl)
    if planned_end != unshifted_end:
        explained.append(f"+{(planned_end - unshifted_end).days} suspended days")
        steps.append(("suspended", {"days": (planned_end - unshifted_end).days}))
    steps.append(("day_before_anniversary", {}))

    deadlines: list[Deadline] = []

    def add(kind: str, due: date, rule: Rule, explanation: str, *reason) -> None:
        deadlines.append(Deadline(kind, due, f"{rule.ref}: {explanation}", rule.source, tuple(reason)))

    def add_before_end(kind: str, lead_key: str, explanation: str, step: str) -> None:
        # A VDAB evaluation requested the rule's number of months before the planned end.
        lead = rules.get(regime, lead_key, on)
        months = lead.as_int()
        add(kind, add_months(planned_end, -months), lead, explanation.format(months=months), (step, {"months": months}))

    pop_rule = rules.get("GENERAL", "pop_first_registration_months", facts.start)
    add(
        "first_pop_due",
        first_pop_due(rules, facts.start),
        pop_rule,
        f"first POP within {pop_rule.as_int()} month(s) of hiring",
        ("first_pop", {"months": pop_rule.as_int()}),
    )
    end_explanation = ", ".join(explained) + "; ends the day before the anniversary"
    add("trajectory_end", planned_end, term_rule, end_explanation, *steps)

    if regime == "TRANSITION":
        add("transition_end", planned_end, term_rule, "temporary compensation until the end of the LDE trajectory",
            ("transition_compensation", {}))
        add_before_end("transition_evaluation_request_due", "evaluation_request_lead_months",
                       "request the VDAB evaluation on the IMW file {months} months before the end",
                       "transition_evaluation")
    elif regime in IMW_REGIMES:
        renewable = rules.find(regime, "renewable", on)
        if renewable is not None and renewable.as_int():
            opens, due = renewal_window(rules, regime, planned_end, on)
            window = rules.get(regime, "renewal_window_years_before_end", on)
            lead = rules.get(regime, "renewal_request_lead_months", on)
            add("imw_renewal_window_opens", opens, window, "renewal window opens at the start of the penultimate year",
                ("renewal_window", {}))
            add("imw_renewal_request_due", due, lead, f"request the renewal {lead.as_int()} months before the end",
                ("renewal_request", {"months": lead.as_int()}))
        else:
            add_before_end("imw_end_evaluation_due", "end_evaluation_lead_months",
                           "not renewable; request the VDAB evaluation {months} months before the end", "end_evaluation")
    elif regime == "CMW":
        add("start_package_expires", planned_end, term_rule, f"start package valid {term_years} years from hiring",
            ("start_package", {"years": term_years}))
        evaluation_rule = rules.get(regime, "evaluation_min_years", on)
        add(
            "earliest_evaluation",
            earliest_evaluation(rules, regime, facts.start),
            evaluation_rule,
            f"evaluation can be requested from {evaluation_rule.as_int()} years + "
            f"{rules.get(regime, 'evaluation_extra_days', on).as_int()} day(s) of employment",
            ("earliest_evaluation", {"years": evaluation_rule.as_int(),
                                     "days": rules.get(regime, "evaluation_extra_days", on).as_int()}),
        )

    return Result(
        planned_end=planned_end,
        term_start=term_start,
        deadlines=tuple(sorted(deadlines, key=lambda d: (d.due, d.kind))),
    )


def days_left(result: Result, today: date) -> int:
    """Calendar days from today to the planned end: 0 on the last day, negative when overdue."""
    return (result.planned_end - today).days


# --------------------------------------------------------------------------- explanations


def _reason_date(value: str) -> str:
    return _nl(date.fromisoformat(value))


def _step_text(code: str, p: dict) -> str:
    months = p.get("months", 0)
    texts = {
        "term": lambda: ngettext("%(n)s year from the start of the term on %(date)s",
                                 "%(n)s years from the start of the term on %(date)s", p["years"])
        % {"n": p["years"], "date": _reason_date(p["start"])},
        "sixth_year": lambda: ngettext("+%(n)s month sixth-year extension", "+%(n)s months sixth-year extension",
                                       months) % {"n": months},
        "age_55": lambda: _("55+ extension up to %(n)s years after the start of the term") % {"n": p["years"]},
        "extension": lambda: ngettext("+%(n)s month extension", "+%(n)s months extension", months) % {"n": months},
        "suspended": lambda: ngettext("+%(n)s day of suspension", "+%(n)s days of suspension", p["days"])
        % {"n": p["days"]},
        "day_before_anniversary": lambda: _("ends the day before the anniversary"),
        "first_pop": lambda: ngettext("register the first POP with VDAB within %(n)s month of hiring",
                                      "register the first POP with VDAB within %(n)s months of hiring", months)
        % {"n": months},
        "transition_compensation": lambda: _("temporary compensation until the end of the LDE trajectory"),
        "transition_evaluation": lambda: ngettext(
            "request the VDAB evaluation on the IMW file %(n)s month before the end",
            "request the VDAB evaluation on the IMW file %(n)s months before the end", months) % {"n": months},
        "renewal_window": lambda: _("the renewal window opens at the start of the penultimate year"),
        "renewal_request": lambda: ngettext("request the renewal %(n)s month before the end",
                                            "request the renewal %(n)s months before the end", months) % {"n": months},
        "end_evaluation": lambda: ngettext(
            "not renewable: request the VDAB evaluation %(n)s month before the end",
            "not renewable: request the VDAB evaluation %(n)s months before the end", months) % {"n": months},
        "start_package": lambda: ngettext("the start package is valid %(n)s year from hiring",
                                          "the start package is valid %(n)s years from hiring", p["years"])
        % {"n": p["years"]},
        "earliest_evaluation": lambda: ngettext(
            "the evaluation can be requested after %(years)s years and %(n)s day of employment",
            "the evaluation can be requested after %(years)s years and %(n)s days of employment", p["days"])
        % {"years": p["years"], "n": p["days"]},
    }
    text = texts.get(code)
    return text() if text else ""


def explain(reason) -> str:
    """A deadline's reason (Deadline.reason, or its stored JSON form) as one sentence in the active language.
    An unknown step is left out rather than shown as a code: the Dutch rule label says what applies."""
    parts = [_step_text(code, dict(params or {})) for code, params in (reason or ())]
    text = ", ".join(p for p in parts if p)
    return text[:1].upper() + text[1:] if text else ""
