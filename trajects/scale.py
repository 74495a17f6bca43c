"""Scale data (issue #10): the workers of every organisation, their contracts, coaches and trajectories.

Trajectories follow the law as the services apply it (trajects/demo.py does the same through the
services, one worker at a time): LDE hires before 01/07/2023 (the COVID suspension from 20/03/2020),
the switch to the transition regime on 01/07/2023 for those still employed, IMW after the transition,
IMW and some CMW hires afterwards, sixth-year extensions, illness and maternity suspensions, and the
trajectory closed on the exit date. Planned ends, stored deadlines and `next_due` are computed with
`rules.compute` exactly as `services.deadlines_refresh` does, so the alert scan reads consistent data.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from lde_portal.accounts.models import Role

from . import rules
from .demo import FIRST_F, FIRST_M, LAST, STREETS
from .models import (
    CoachAssignment,
    CoachRole,
    Employment,
    Extension,
    PhaseDefinition,
    PhasePeriod,
    StatusChange,
    Suspension,
    Trajectory,
    TrajectoryDeadline,
    Worker,
    WorkerStatus,
)
from .phases import DEFAULT_PHASES
from .selectors import ruleset
from .services import suggested_fte

TRANSITION_DAY = datetime.date(2023, 7, 1)
PANDEMIC = (datetime.date(2020, 3, 20), datetime.date(2020, 6, 30))
DAY = datetime.timedelta(days=1)
BENCH_CASELOAD = 40


@dataclass
class WorkerPlan:
    """What later apps need to know about a generated worker."""

    id: int
    org: object  # accounts.scale.OrgPlan
    index: int
    first_name: str
    last_name: str
    gender: str
    birth: datetime.date
    status: str
    hire: datetime.date | None
    exit: datetime.date | None = None
    activity: tuple | None = None  # (id, type, name)
    coaches: list = field(default_factory=list)  # membership ids, current or at exit
    trajectories: list = field(default_factory=list)  # [(id, regime, start, opened_on, closed_on, planned_end)]
    open_trajectory: int | None = None
    regime: str = ""


def make_insz(birth: datetime.date, seq: int) -> str:
    """A fictional INSZ passing the mod-97 checksum (born in 2000 or later: prefixed with 2)."""
    base = f"{birth:%y%m%d}{seq:03d}"
    check = 97 - (int(("2" if birth.year >= 2000 else "") + base) % 97)
    return f"{base}{check:02d}"


def _days_ago(today, years):
    return today - datetime.timedelta(days=int(years * 365.25))


def _plan_workers(ctx, org, rng):
    today = ctx.today
    workers, seqs = [], set()
    statuses = [WorkerStatus.ACTIVE] * org.n_active + [WorkerStatus.EXITED] * org.n_exited
    for index, status in enumerate(statuses):
        female = rng.random() < 0.5
        birth = datetime.date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            seq = rng.randrange(2, 997, 2) if female else rng.randrange(1, 997, 2)
            if (birth, seq) not in seqs:
                seqs.add((birth, seq))
                break
        exit_ = None
        if status == WorkerStatus.EXITED:
            years_ago = rng.uniform(0.8, 10)
            hire = _days_ago(today, years_ago)
            exit_ = min(today - datetime.timedelta(days=7),
                        hire + datetime.timedelta(days=int(365.25 * rng.uniform(0.3, min(6.0, years_ago)))))
        else:
            hire = _days_ago(today, rng.triangular(0.05, 9, 1.5))
            roll = rng.random()
            if roll < 0.03:
                status, hire = WorkerStatus.RECRUITMENT, None
            elif roll < 0.08:
                status = WorkerStatus.SUSPENDED
        workers.append((index, female, birth, seq, status, hire, exit_))
    return workers


def _trajectory_chain(w: WorkerPlan, rule_set, today, rng):
    """[(regime, start, opened_on, decision_date, closed_on, closed_reason, suspensions, extensions, result)]."""
    end = w.exit or today
    suspensions, extensions = [], []
    if w.hire < TRANSITION_DAY:
        regime, start, opened, decision = "LDE", w.hire, w.hire, None
        if w.hire < PANDEMIC[0] and end > PANDEMIC[1]:
            suspensions.append(rules.Suspension(PANDEMIC[0], PANDEMIC[1], "pandemic"))
    else:
        roll = rng.random()
        regime = "CMW" if roll < 0.1 else ("IMW_2Y" if roll < 0.3 else "IMW_5Y")
        start = opened = w.hire
        decision = None if regime == "CMW" else max(TRANSITION_DAY, w.hire - datetime.timedelta(days=rng.randint(0, 40)))
    if rng.random() < 0.15 and (end - opened).days > 200:
        s = opened + datetime.timedelta(days=rng.randint(60, (end - opened).days - 100))
        if not suspensions or s > PANDEMIC[1]:
            suspensions.append(rules.Suspension(s, s + datetime.timedelta(days=rng.randint(14, 80)), "illness"))
    if w.gender == "F" and rng.random() < 0.08 and (end - opened).days > 400:
        s = opened + datetime.timedelta(days=rng.randint(60, 300))
        if all(x.end < s or x.start > s + datetime.timedelta(days=104) for x in suspensions):
            suspensions.append(rules.Suspension(s, s + datetime.timedelta(days=104), "maternity"))
    if w.status == WorkerStatus.SUSPENDED:
        suspensions.append(rules.Suspension(today - datetime.timedelta(days=rng.randint(10, 60)),
                                            today + datetime.timedelta(days=30), "illness"))
    chain = []
    for _ in range(6):
        own = [s for s in suspensions if s.start >= start]
        facts = rules.Facts(regime=regime, start=start, decision_date=decision, birth_date=w.birth,
                            suspensions=sorted(own, key=lambda s: s.start), extensions=list(extensions))
        result = rules.compute(rule_set, facts, today)
        if regime == "LDE" and not extensions and result.planned_end < min(end, TRANSITION_DAY) \
                and rng.random() < 0.5:
            extensions.append(rules.Extension(12, "SIXTH_YEAR", result.planned_end - datetime.timedelta(days=60)))
            continue
        planned = result.planned_end
        if regime == "LDE" and end >= TRANSITION_DAY and planned >= TRANSITION_DAY - DAY:
            chain.append((regime, start, opened, decision, TRANSITION_DAY - DAY, "regime_change", own, extensions,
                          result))
            regime, opened = "TRANSITION", TRANSITION_DAY
            continue
        overdue_on_purpose = w.exit is None and w.index % 13 == 12
        if planned < end and not overdue_on_purpose:
            chain.append((regime, start, opened, decision, planned, "regime_change", own, extensions, result))
            change = planned + DAY
            regime = "IMW_5Y" if change >= TRANSITION_DAY else "CMW"
            start = opened = change
            decision = max(TRANSITION_DAY, change - datetime.timedelta(days=rng.randint(20, 60))) \
                if regime == "IMW_5Y" else None
            extensions = []
            continue
        if w.exit is not None:
            chain.append((regime, start, opened, decision, max(opened, w.exit), "exit", own, extensions, result))
        else:
            chain.append((regime, start, opened, decision, None, "", own, extensions, result))
        break
    return chain


def build(ctx):
    wr, today = ctx.writer, ctx.today
    rule_set = ruleset()
    now = wr.now
    all_workers = []
    for org in ctx.data["orgs"]:
        rng = ctx.rng(f"trajects:{org.slug}")
        phases = []
        for order, (name, months) in enumerate(DEFAULT_PHASES, start=1):
            phases.append((wr.add(PhaseDefinition, organisation_id=org.id, name=name, order=order,
                                  expected_months=months, active=True), months))
        # The largest organisation's first coach has exactly BENCH_CASELOAD current workers at every factor, so
        # the benchmark's coach pages do the same work at factor 0.1 and 1; the other coaches share the rest.
        pinned = org is ctx.data["orgs"][0] and org.n_active > BENCH_CASELOAD
        coach_weights = [0 if (n == 0 and pinned) else rng.uniform(0.6, 1.4) for n in range(len(org.coaches))]
        pinned_left = BENCH_CASELOAD if pinned else 0
        for index, female, birth, seq, status, hire, exit_ in _plan_workers(ctx, org, rng):
            first = rng.choice(FIRST_F if female else FIRST_M)
            last = rng.choice(LAST)
            status_since = exit_ or hire or today - datetime.timedelta(days=20)
            wid = wr.add(
                Worker, organisation_id=org.id, first_name=first, last_name=last, insz=make_insz(birth, seq),
                birth_date=birth, gender="F" if female else "M", street=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                postal_code=org.postal_code, municipality=org.municipality,
                phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                email="", preferred_language=rng.choice(["nl"] * 6 + ["ar", "tr", "fr", "ti"]),
                education_level=rng.choice(["none", "primary", "lower_secondary", "higher_secondary", "unknown"]),
                interpreter_needed=rng.random() < 0.1, emergency_contact_name="", emergency_contact_phone="",
                status=status, status_since=status_since, version=1, created_at=now, updated_at=now)
            w = WorkerPlan(wid, org, index, first, last, "F" if female else "M", birth, status, hire, exit_)
            all_workers.append(w)
            if hire is None:
                wr.add(StatusChange, organisation_id=org.id, worker_id=wid, status=status, date=status_since,
                       note="", created_by_id=None, created_at=now)
                continue
            w.activity = org.activities[rng.randrange(len(org.activities))]
            hours = Decimal(rng.choice(["19", "26", "30.4", "30.4", "38"]))
            wr.add(Employment, organisation_id=org.id, worker_id=wid, activity_id=w.activity[0],
                   contract_start=hire, contract_end=exit_, contract_type="open_ended", weekly_hours=hours,
                   fte=suggested_fte(hours), created_at=now)
            wr.add(StatusChange, organisation_id=org.id, worker_id=wid, status=WorkerStatus.ACTIVE, date=hire,
                   note="", created_by_id=None, created_at=now)
            if status != WorkerStatus.ACTIVE:
                wr.add(StatusChange, organisation_id=org.id, worker_id=wid, status=status, date=status_since,
                       note="", created_by_id=None, created_at=now)
            coach = org.coaches[rng.choices(range(len(org.coaches)), weights=coach_weights)[0]]
            if pinned_left and exit_ is None:
                coach, pinned_left = org.coaches[0], pinned_left - 1
            w.coaches.append(coach)
            wr.add(CoachAssignment, organisation_id=org.id, worker_id=wid, coach_id=coach,
                   role=CoachRole.TECHNICAL_INSTRUCTOR, start=hire, end=exit_)
            if rng.random() < 0.25:
                second = rng.choice(org.coordinators)
                w.coaches.append(second)
                wr.add(CoachAssignment, organisation_id=org.id, worker_id=wid, coach_id=second,
                       role=CoachRole.TRAJECTORY_COACH, start=hire, end=exit_)
            _write_trajectories(wr, w, _trajectory_chain(w, rule_set, today, rng), phases, today, rng)
    ctx.data["workers"] = all_workers
    ctx.data["rule_set"] = rule_set


def _write_trajectories(wr, w, chain, phases, today, rng):
    org_id, previous = w.org.id, None
    for regime, start, opened, decision, closed_on, reason, suspensions, extensions, result in chain:
        # The phase reached by the end of this trajectory: each phase lasts its expected months.
        limit = closed_on or today
        periods, since = [], w.hire
        for phase_id, months in phases:
            if since > limit:
                break
            periods.append((phase_id, max(since, opened)))
            since = since + datetime.timedelta(days=30 * months)
        upcoming = next((d for d in result.deadlines if d.due >= today), None) if closed_on is None else None
        tid = wr.add(Trajectory, organisation_id=org_id, worker_id=w.id, regime=regime, start=start,
                     decision_date=decision, opened_on=opened, term_start=result.term_start,
                     planned_end=result.planned_end, closed_on=closed_on, closed_reason=reason,
                     current_phase_id=periods[-1][0], previous_id=previous,
                     next_due=upcoming.due if upcoming else None, next_due_kind=upcoming.kind if upcoming else "",
                     version=1, created_at=wr.now)
        w.trajectories.append((tid, regime, start, opened, closed_on, result.planned_end))
        w.regime = regime
        for phase_id, since in periods:
            if since <= limit:
                wr.add(PhasePeriod, organisation_id=org_id, trajectory_id=tid, phase_id=phase_id, start=since,
                       created_at=wr.now)
        for s in suspensions:
            wr.add(Suspension, organisation_id=org_id, trajectory_id=tid, reason=s.reason, start=s.start, end=s.end,
                   note="", created_by_id=None, created_at=wr.now)
        for e in extensions:
            wr.add(Extension, organisation_id=org_id, trajectory_id=tid, reason=e.reason, months=e.months,
                   decision_date=e.decision_date, document="", document_type="", note="", created_by_id=None,
                   created_at=wr.now)
        if closed_on is None:
            w.open_trajectory = tid
            for d in result.deadlines:
                wr.add(TrajectoryDeadline, organisation_id=org_id, worker_id=w.id, trajectory_id=tid, kind=d.kind,
                       due=d.due, rule=d.rule[:300], source=d.source[:300],
                       reason=[list(step) for step in d.reason])
        previous = tid


def active_workers(ctx):
    return [w for w in ctx.data["workers"] if w.hire is not None and w.status != WorkerStatus.EXITED]


ROLE_COACH = Role.COACH
