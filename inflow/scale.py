"""Scale data (issue #10, #20): per organisation a year of vacancies (every state) with their candidates at every
step, sessions, rounds and outcomes. The hires are the workers trajects/scale.py hired in the last year: their
candidate points at them and the path ends at their contract start."""

import datetime
from decimal import Decimal

from .models import (
    Application,
    Candidate,
    DropoutReason,
    InfoSession,
    Invitation,
    Outcome,
    RoundOutcome,
    SelectionRound,
    Stage,
    Vacancy,
    VacancyStatus,
)

REFERRERS = ["vdab", "vdab", "vdab", "ocmw", "caw", "spontaneous", "other_organisation"]
# Where a candidate leaves the path, and how often (a rough sector picture: most leave in selection).
ENDS = [(Stage.APPLIED, 2), (Stage.SESSION, 3), (Stage.RANKED, 2), (Stage.REFERRED, 2), (Stage.ADVICE, 1)]
STEPS = [Stage.APPLIED, Stage.SESSION, Stage.RANKED, Stage.REFERRED, Stage.ADVICE, Stage.HIRED]


def _days(d, n):
    return d + datetime.timedelta(days=n)


def _path(applied, reach, rng, today, *, hired_on=None, dropped=True) -> dict:
    """The dates of one application walked up to the step `reach`; `dropped` ends it there with a reason."""
    step = STEPS.index(reach)
    d = {"applied_on": applied, "session_on": _days(applied, 7) if step >= 1 else None,
         "ranked_on": _days(applied, 18) if step >= 2 else None}
    d["referred_on"] = _days(applied, rng.randint(18, 25)) if step >= 3 else None
    d["advice_on"] = _days(d["referred_on"], rng.randint(20, 45)) if step >= 4 else None
    if hired_on:
        d["advice_on"] = min(d["advice_on"] or hired_on, hired_on)
        d["referred_on"] = min(d["referred_on"] or d["advice_on"], d["advice_on"])
    last = hired_on or max(v for v in d.values() if v)
    drop_on = min(today, _days(last, rng.randint(1, 20))) if dropped and not hired_on else None
    d.update(hired_on=hired_on, dropped_on=drop_on, dropout_reason=rng.choice(list(DropoutReason)) if drop_on else "",
             stage=Stage.HIRED if hired_on else (Stage.DROPPED if drop_on else reach),
             rank=rng.randint(1, 8) if d["ranked_on"] else None, contacted_on=d["ranked_on"])
    return d


def build(ctx):
    wr, today, now = ctx.writer, ctx.today, ctx.writer.now
    year_ago = _days(today, -365)
    hires = {}
    for w in ctx.data.get("workers", []):
        if w.hire and w.hire >= year_ago and w.activity:
            hires.setdefault(w.org.id, []).append(w)
    ends, weights = [e for e, _w in ENDS], [w for _e, w in ENDS]
    for org in ctx.data["orgs"]:
        if not org.activities:
            continue
        rng = ctx.rng(f"inflow:{org.id}")
        org_hires = sorted(hires.get(org.id, []), key=lambda w: w.hire)
        n_vacancies = max(ctx.scaled(12), (len(org_hires) + 2) // 3 + 3)
        for v in range(n_vacancies):
            activity = org.activities[v % len(org.activities)]
            batch = org_hires[3 * v: 3 * v + 3]
            opened = _days(batch[0].hire, -rng.randint(60, 110)) if batch else _days(today, -rng.randint(80, 330))
            status = (VacancyStatus.FILLED if batch else
                      VacancyStatus.CANCELLED if v % 7 == 6 else VacancyStatus.OPEN)
            vacancy_id = wr.add(Vacancy, organisation_id=org.id, activity_id=activity[0], title=f"{activity[2]} {v + 1}",
                                places=max(1, len(batch)), weekly_hours=Decimal("30.4"), schedule="", wanted_hours="",
                                wanted_mobility="", wanted_physical=None, wanted_languages="", wanted_interests="",
                                opens_on=opened, closes_on=_days(opened, 30), status=status, version=1,
                                created_at=now)
            sessions = [wr.add(InfoSession, organisation_id=org.id, vacancy_id=vacancy_id, date=_days(opened, 8),
                               start_time=None, location="", attendance_recorded=True, version=1)]
            round_id = wr.add(SelectionRound, organisation_id=org.id, vacancy_id=vacancy_id, date=_days(opened, 15),
                              name="Gesprek", criteria="Motivatie", created_by_id=None)
            people = [(w, Stage.HIRED) for w in batch] + [
                (None, rng.choices(ends, weights=weights)[0]) for _ in range(rng.randint(5, 10))]
            for i, (worker, reach) in enumerate(people):
                applied = _days(worker.hire, -rng.randint(40, 90)) if worker else _days(opened, rng.randint(0, 5))
                # Open vacancies keep some candidates on the path; closed ones end every path.
                path = _path(applied, reach, rng, today, hired_on=worker.hire if worker else None,
                             dropped=status != VacancyStatus.OPEN or rng.random() < 0.5)
                last_step = max(v for k, v in path.items() if k.endswith("_on") and v)
                first, last = (worker.first_name, worker.last_name) if worker else (f"Kandidaat{i}", f"V{vacancy_id}")
                candidate_id = wr.add(Candidate, organisation_id=org.id, first_name=first, last_name=last, phone="",
                                      email="", postal_code=org.postal_code, municipality=org.municipality,
                                      preferred_language="nl", referrer=rng.choice(REFERRERS), referrer_detail="",
                                      needs_interpreter=False, needs_childcare=False, other_needs="",
                                      reserve_until=None, worker_id=worker.id if worker else None,
                                      last_step_on=last_step, pseudonymised=False, version=1, created_at=now)
                app_id = wr.add(Application, organisation_id=org.id, vacancy_id=vacancy_id, candidate_id=candidate_id,
                                employment_id=None, advice_id=None, advice_due=None, contact_due=None, version=1,
                                **path)
                wr.add(Invitation, organisation_id=org.id, session_id=sessions[0], application_id=app_id,
                       attended=reach != Stage.APPLIED)
                wr.add(RoundOutcome, organisation_id=org.id, round_id=round_id, application_id=app_id,
                       outcome=Outcome.PASSED if reach not in (Stage.APPLIED, Stage.SESSION) else Outcome.NOT_PASSED)
        ctx.log(f"  inflow {org.slug}: {n_vacancies} vacancies")

