"""Demo workers: about 60 across the three organisations, in every status (docs/domain.md §8)."""

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction

from lde_portal.accounts.models import Role
from lde_portal.privacy.demo import LEFT_LONG_AGO

from . import selectors, services
from .models import (
    CoachAssignment,
    CoachRole,
    EducationLevel,
    Employment,
    Gender,
    Language,
    PhaseDefinition,
    StatusChange,
    Trajectory,
    Worker,
    WorkerStatus,
)
from .services import suggested_fte

FIRST_F = ["Lotte", "Sofie", "Fatma", "Nadia", "Ilse", "Amina", "Kelly", "Yasmina", "Nathalie", "Hanne", "Marijke",
           "Samira", "Tamara", "Sevda", "Joke", "Oksana", "Rachida", "Evi", "Leen", "Mireille"]
FIRST_M = ["Jamal", "Ahmed", "Kevin", "Dirk", "Youssef", "Bram", "Tom", "Mohamed", "Pieter", "Serkan", "Luc", "Abdi",
           "Jonas", "Wout", "Karim", "Dries", "Marc", "Tesfay", "Bilal", "Patrick"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
        "Dubois", "Lambrechts", "Vermeulen", "Aerts", "El Idrissi", "Yilmaz", "Demir", "Bakker", "Van Acker",
        "De Clercq", "Hermans", "Cools", "Verhoeven", "Michiels", "Boukhari", "Haile", "Kowalski", "Nowak"]
STREETS = ["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat", "Schoolstraat", "Beekstraat"]


def make_insz(birth: datetime.date, seq: int) -> str:
    """A fictional INSZ that passes the mod-97 checksum (the 2000s variant prefixes a 2)."""
    base = f"{birth:%y%m%d}{seq:03d}"
    check = 97 - (int(("2" if birth.year >= 2000 else "") + base) % 97)
    return f"{base}{check:02d}"


# (status, years employed or None, count weights) — every status and a spread of seniorities.
PLAN = {
    "stroom": 30,
    "speelboom": 15,
    "denderhoven": 15,
}


def _status_for(i: int) -> str:
    if i % 10 == 7:
        return WorkerStatus.EXITED
    if i % 10 == 3 and i % 20 != 3:
        return WorkerStatus.SUSPENDED
    if i % 15 == 14:
        return WorkerStatus.RECRUITMENT
    return WorkerStatus.ACTIVE


def _free_last_name(first, last, taken):
    """The drawn last name, or the next one in LAST that no worker with this first name has yet; no extra
    random draw, so a re-run replays the same sequence."""
    start = LAST.index(last)
    for step in range(len(LAST)):
        candidate = LAST[(start + step) % len(LAST)]
        if (first, candidate) not in taken:
            return candidate
    return last


def seed(ctx):
    rng, today = ctx["rng"], ctx["today"]
    ctx["workers"] = {}
    # Two demo workers with the same name would be told apart by their INSZ only: no two share one.
    taken = {(first, last) for first, last, *_rest in JOURNEY} | {(first, last) for first, last, *_rest in LEFT_LONG_AGO}
    for slug, count in PLAN.items():
        data = ctx["organisations"][slug]
        org, activities, members = data["org"], data["activities"], data["members"]
        coaches = members.get(Role.COACH, [])
        coordinator = members[Role.COORDINATOR][0]
        workers = []
        for i in range(count):
            female = rng.random() < 0.5
            first = rng.choice(FIRST_F if female else FIRST_M)
            last = _free_last_name(first, rng.choice(LAST), taken)
            birth = datetime.date(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
            seq = rng.randrange(2, 997, 2) if female else rng.randrange(1, 997, 2)
            status = _status_for(i)
            # Seniority spread: some old LDE hires (before 2015), transition-era hires, recent IMW hires.
            years_ago = rng.choice([0.3, 0.8, 1.5, 2.5, 3.5, 4.5, 6, 9, 12.5])
            start = today - datetime.timedelta(days=int(years_ago * 365.25))
            # Every random value is drawn whether or not the worker exists, so a re-run replays the same
            # sequence and finds the same people instead of inventing new ones.
            attrs = {
                "first_name": first, "last_name": last, "birth_date": birth,
                "gender": Gender.FEMALE if female else Gender.MALE,
                "street": f"{rng.choice(STREETS)} {rng.randint(1, 180)}", "postal_code": org.postal_code,
                "municipality": org.municipality,
                "phone": f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "preferred_language": rng.choice([Language.NL] * 6 + [Language.AR, Language.TR, Language.FR, Language.TI]),
                "education_level": rng.choice(list(EducationLevel.values)),
                "interpreter_needed": rng.random() < 0.1,
                "emergency_contact_name": f"{rng.choice(FIRST_F + FIRST_M)} {last}",
                "emergency_contact_phone": f"04{rng.randint(70, 99)} {rng.randint(100000, 999999)}",
                "status": status, "status_since": start,
            }
            hours = Decimal(rng.choice([19, 26, 30.4, 30.4, 38]))
            # Exits over three years (one more year back per ten workers), so the manager's throughflow ratio
            # has a year before this one to compare with.
            exit_days = rng.randint(30, 400) + 365 * (i // 10 % 3)
            suspended_days = rng.randint(10, 60)
            worker = Worker.objects.filter(organisation=org, insz=make_insz(birth, seq)).first()
            taken.add((worker.first_name, worker.last_name) if worker is not None else (first, last))
            if worker is not None:
                # Already seeded (maybe on another day): its history stays as it was.
                workers.append(worker)
                continue
            worker = Worker(organisation=org, insz=make_insz(birth, seq), **attrs)
            worker.full_clean(exclude=["organisation"])
            worker.save()
            workers.append(worker)
            if status == WorkerStatus.RECRUITMENT:
                StatusChange.objects.get_or_create(worker=worker, status=status, date=today - datetime.timedelta(days=20),
                                                   defaults={"organisation": org})
                Worker.objects.filter(pk=worker.pk).update(status_since=today - datetime.timedelta(days=20))
                continue
            activity = activities[i % len(activities)]
            exit_date = today - datetime.timedelta(days=exit_days) if status == WorkerStatus.EXITED else None
            if exit_date and exit_date <= start:
                exit_date = start + datetime.timedelta(days=200)
            Employment.objects.get_or_create(
                worker=worker, contract_start=start,
                defaults={"organisation": org, "activity": activity, "weekly_hours": hours, "fte": suggested_fte(hours),
                          "contract_end": exit_date},
            )
            StatusChange.objects.get_or_create(worker=worker, status=WorkerStatus.ACTIVE, date=start,
                                               defaults={"organisation": org})
            # Sara (docs/journeys.md) coaches the bicycle point: the first coach gets activity 0's workers.
            coach = coaches[0] if (i % len(activities) == 0 or len(coaches) == 1) else coaches[min(1, len(coaches) - 1)]
            CoachAssignment.objects.get_or_create(
                worker=worker, coach=coach, role=CoachRole.TECHNICAL_INSTRUCTOR, start=start,
                defaults={"organisation": org, "end": exit_date},
            )
            if i % 4 == 0:
                CoachAssignment.objects.get_or_create(
                    worker=worker, coach=coordinator, role=CoachRole.TRAJECTORY_COACH, start=start,
                    defaults={"organisation": org, "end": exit_date},
                )
            if status in (WorkerStatus.SUSPENDED, WorkerStatus.EXITED):
                date = exit_date or today - datetime.timedelta(days=suspended_days)
                StatusChange.objects.get_or_create(worker=worker, status=status, date=date, defaults={"organisation": org})
                Worker.objects.filter(pk=worker.pk).update(status_since=date)
        if slug == "stroom" and coaches:
            workers += _journey_workers(ctx, org, activities[0], coaches[0], today)
        ctx["workers"][slug] = workers
    seed_trajectories(ctx)


# --------------------------------------------------------------------------- Sara's Monday (docs/journeys.md)
# Two workers of the bicycle point the coach journey names: Jamal, whose transition trajectory ends in
# three months without a VDAB evaluation requested, and Lotte, whose improvement action is past its date
# (pop/demo.py). They come after the random workers and draw nothing from ctx["rng"], so the other demo
# data stays the same. ctx["journey"] holds them only when they were created by this run: a re-run must
# not undo what a user did with them in the demo (e.g. requesting Jamal's evaluation).
JOURNEY = [
    # (first, last, gender, birth, INSZ sequence, phone)
    ("Jamal", "Benali", Gender.MALE, datetime.date(1986, 4, 17), 123, "0476 21 43 65"),
    ("Lotte", "Vandamme", Gender.FEMALE, datetime.date(1994, 9, 3), 124, "0485 12 34 56"),
]


def _journey_hire(today, first):
    if first == "Jamal":
        # Hired under LDE, so in the transition regime: the LDE term (5 years from hiring) ends in just
        # under three months, inside the last reminder of the trajectory end.
        return today + relativedelta(months=3, days=-10) - relativedelta(years=5)
    return today - datetime.timedelta(days=int(2.4 * 365.25))


def _journey_workers(ctx, org, activity, coach, today):
    workers, created = [], {}
    for first, last, gender, birth, seq, phone in JOURNEY:
        insz = make_insz(birth, seq)
        worker = Worker.objects.filter(organisation=org, insz=insz).first()
        if worker is None:
            start = _journey_hire(today, first)
            worker = Worker(organisation=org, insz=insz, first_name=first, last_name=last, birth_date=birth,
                            gender=gender, street="Sluizeken 12", postal_code=org.postal_code,
                            municipality=org.municipality, phone=phone, preferred_language=Language.NL,
                            education_level=EducationLevel.values[0], status=WorkerStatus.ACTIVE, status_since=start)
            worker.full_clean(exclude=["organisation"])
            worker.save()
            hours = Decimal("30.4")
            Employment.objects.create(worker=worker, organisation=org, activity=activity, contract_start=start,
                                      weekly_hours=hours, fte=suggested_fte(hours))
            StatusChange.objects.create(worker=worker, organisation=org, status=WorkerStatus.ACTIVE, date=start)
            CoachAssignment.objects.create(worker=worker, organisation=org, coach=coach,
                                           role=CoachRole.TECHNICAL_INSTRUCTOR, start=start)
            created[first.lower()] = worker
        workers.append(worker)
    ctx["journey_workers"] = {w.pk for w in workers}
    if created:
        ctx["journey"] = created
    return workers


# --------------------------------------------------------------------------- trajectories (issue #3)
# Every non-recruitment worker gets the regime history the law gives them (docs/domain.md §2, §8): LDE hires
# (those from before 2015 counted from 01/04/2015, the COVID suspension from 20/03/2020), the switch to
# the transition regime on 01/07/2023, IMW after the transition, IMW hires with DWSE decisions, a few
# collective custom work, 55+ extensions, sixth years, illness and maternity suspensions, and closed
# trajectories for exited workers. Each worker has its own random stream (seeded on the INSZ), so the
# shared ctx["rng"] of later apps is untouched and a re-run skips workers that already have a trajectory.

MILESTONES = ["Heftruckattest behaald", "Nederlands niveau A2 behaald", "Stage bij Fietsen Dewaele",
              "VCA-attest behaald", "Sollicitatietraining afgerond", "Eerste week zelfstandig op de ronde"]
TRANSITION_DAY = datetime.date(2023, 7, 1)
PANDEMIC = (datetime.date(2020, 3, 20), datetime.date(2020, 6, 30))


def _try(call, **kwargs):
    """Demo histories are generated: a step the law refuses (e.g. a too young 55+) is simply skipped."""
    try:
        with transaction.atomic():
            return call(**kwargs)
    except ValidationError:
        return None


def _advance_phases(trajectory, hire, phases, limit, common):
    """Move on to each later phase once the organisation's expected months since hiring have passed."""
    due = hire
    for previous, phase in zip(phases, phases[1:], strict=False):
        due = due + datetime.timedelta(days=30 * (previous.expected_months or 6))
        if due > limit:
            break
        if phase.order <= (trajectory.current_phase.order if trajectory.current_phase else 0):
            continue
        trajectory = _try(services.trajectory_change_phase, trajectory=trajectory, phase=phase,
                          since=max(due, trajectory.opened_on), **common) or trajectory
    return trajectory


def _trajectory_history(worker, employment, index, today, rule_set):
    r = random.Random(f"trajectory-{worker.insz}")
    hire = employment.contract_start
    until = min(today, employment.contract_end) if employment.contract_end else today
    common = {"actor": None, "today": today, "rule_set": rule_set}
    phases = list(PhaseDefinition.objects.filter(organisation_id=worker.organisation_id, active=True))
    if hire < TRANSITION_DAY:
        trajectory = _try(services.trajectory_start, worker=worker, regime="LDE", start=hire, **common)
        if trajectory is None:
            return
        if hire < PANDEMIC[0]:
            _try(services.trajectory_suspend, trajectory=trajectory, reason="pandemic", start=PANDEMIC[0],
                 end=PANDEMIC[1], note="COVID-19: doorstroomverplichtingen opgeschort", **common)
        trajectory.refresh_from_db()
        if trajectory.planned_end < TRANSITION_DAY:
            # Ended under LDE before the new decree: 55+ when possible, else an exceptional sixth year.
            decided = trajectory.planned_end - datetime.timedelta(days=60)
            if not _try(services.trajectory_extend, trajectory=trajectory, reason="AGE_55", months=0,
                        decision_date=decided, note="Geen reguliere vacature beschikbaar", **common):
                _try(services.trajectory_extend, trajectory=trajectory, reason="SIXTH_YEAR", months=12,
                     decision_date=decided, **common)
            trajectory.refresh_from_db()
        if trajectory.planned_end < TRANSITION_DAY and trajectory.planned_end < until:
            # The organisation converted to collective custom work when the LDE term ran out.
            trajectory = _advance_phases(trajectory, hire, phases, trajectory.planned_end, common)
            trajectory = _try(services.trajectory_change_regime, trajectory=trajectory, regime="CMW",
                              change_date=trajectory.planned_end + datetime.timedelta(days=1), **common) or trajectory
        elif TRANSITION_DAY <= until:
            trajectory = _advance_phases(trajectory, hire, phases, TRANSITION_DAY - datetime.timedelta(days=1), common)
            trajectory = _try(services.trajectory_change_regime, trajectory=trajectory, regime="TRANSITION",
                              change_date=TRANSITION_DAY, **common) or trajectory
            trajectory.refresh_from_db()
            if trajectory.regime == "TRANSITION" and trajectory.planned_end < until:
                change = trajectory.planned_end + datetime.timedelta(days=1)
                decision = max(TRANSITION_DAY, change - datetime.timedelta(days=r.randint(20, 70)))
                trajectory = _advance_phases(trajectory, hire, phases, trajectory.planned_end, common)
                trajectory = _try(services.trajectory_change_regime, trajectory=trajectory,
                                  regime="IMW_5Y" if r.random() < 0.7 else "IMW_2Y", change_date=change,
                                  decision_date=decision, **common) or trajectory
    else:
        regime = "CMW" if index % 6 == 5 else ("IMW_2Y" if r.random() < 0.3 else "IMW_5Y")
        decision = max(TRANSITION_DAY, hire + datetime.timedelta(days=r.randint(-25, 40)))
        trajectory = _try(services.trajectory_start, worker=worker, regime=regime, start=hire,
                          decision_date=decision if regime != "CMW" else None, **common)
        if trajectory is None:
            return
    trajectory.refresh_from_db()
    # A term that ran out while the worker stayed: VDAB re-evaluated and DWSE granted a 5-year IMW term
    # (a few are left overdue on purpose: the Trajecteinden page and the alerts must show them).
    for _ in range(3):
        if trajectory.planned_end is None or trajectory.planned_end >= until or index % 13 == 12:
            break
        change = trajectory.planned_end + datetime.timedelta(days=1)
        decision = max(TRANSITION_DAY, change - datetime.timedelta(days=r.randint(20, 60)))
        trajectory = _advance_phases(trajectory, hire, phases, trajectory.planned_end, common)
        renewed = _try(services.trajectory_change_regime, trajectory=trajectory, regime="IMW_5Y", change_date=change,
                       decision_date=decision, **common)
        if renewed is None:
            break
        trajectory = renewed
    trajectory = _advance_phases(trajectory, hire, phases, until, common)
    if index % 5 == 1 and trajectory.planned_end:
        span = (min(until, trajectory.planned_end) - trajectory.opened_on).days
        if span > 120:
            start = trajectory.opened_on + datetime.timedelta(days=r.randint(30, span - 90))
            _try(services.trajectory_suspend, trajectory=trajectory, reason="illness", start=start,
                 end=start + datetime.timedelta(days=r.randint(14, 80)), note="Langdurige ziekte", **common)
    if index % 7 == 2 and worker.gender == "F" and trajectory.planned_end:
        start = trajectory.opened_on + datetime.timedelta(days=r.randint(60, 300))
        if start < until:
            _try(services.trajectory_suspend, trajectory=trajectory, reason="maternity", start=start,
                 end=start + datetime.timedelta(days=104), **common)
    if worker.status == WorkerStatus.SUSPENDED:
        _try(services.trajectory_suspend, trajectory=trajectory, reason="illness", start=worker.status_since,
             end=today + datetime.timedelta(days=30), note="Arbeidsongeschikt", **common)
    if index % 3 == 0:
        day = trajectory.opened_on + datetime.timedelta(days=r.randint(60, 400))
        if day <= until:
            _try(services.milestone_add, trajectory=trajectory, date=day, label=r.choice(MILESTONES), actor=None)
    if index % 9 == 4 and hire < TRANSITION_DAY:
        _try(services.sine_status_add, worker=worker, actor=None, start=hire, rule_set=rule_set)
    if employment.contract_end and employment.contract_end <= today:
        trajectory.refresh_from_db()
        if trajectory.closed_on is None and employment.contract_end >= trajectory.opened_on:
            _try(services.trajectory_close, trajectory=trajectory, actor=None, closed_on=employment.contract_end,
                 reason="exit")


def seed_trajectories(ctx):
    today = ctx["today"]
    rule_set = selectors.ruleset()
    for workers in ctx["workers"].values():
        for index, worker in enumerate(workers):
            if worker.status == WorkerStatus.RECRUITMENT or Trajectory.objects.filter(worker=worker).exists():
                continue
            employment = worker.employments.order_by("contract_start").first()
            if employment is None:
                continue
            worker.refresh_from_db()
            _trajectory_history(worker, employment, index, today, rule_set)
