"""Demo inflow for every demo organisation (docs/domain.md §8, §10), through the services (idempotent: an
organisation that has vacancies is left alone). Vacancies in every state and candidates at every step: a
filled vacancy whose hire took 52 days, 31 of them waiting for VDAB (docs/journeys.md, "filling three places"),
one in progress with referrals waiting for their advice, a session tomorrow, and a cancelled one.

A random generator of its own: the shared ctx["rng"] of the apps seeded after this one stays untouched."""

import datetime
import random
from decimal import Decimal

from lde_portal.accounts.models import Role
from pop.models import Competence
from trajects.demo import FIRST_F, FIRST_M, LAST, make_insz
from trajects.models import Worker

from . import services
from .models import Outcome, Referrer, Stage, Vacancy, VacancyStatus

REFERRERS = [Referrer.VDAB, Referrer.VDAB, Referrer.OCMW, Referrer.CAW, Referrer.SPONTANEOUS,
             Referrer.OTHER_ORGANISATION]
IMW_ADVICE = {"type": "imw_attestation", "issuing_body": "vdab", "destination": "imw", "wage_premium_percent": 40}


def _day(today, n):
    return today - datetime.timedelta(days=n)


class _People:
    def __init__(self, rng):
        # Candidates become workers at the referral: no name a demo worker already has.
        self.rng, self.seq, self.used = rng, 0, set(Worker.objects.values_list("first_name", "last_name"))

    def candidate(self):
        rng = self.rng
        while True:
            female = rng.random() < 0.5
            first, last = rng.choice(FIRST_F if female else FIRST_M), rng.choice(LAST)
            if (first, last) not in self.used:
                break
        self.used.add((first, last))
        self.seq += 1
        birth = datetime.date(1975 + self.seq % 25, 1 + self.seq % 12, 1 + self.seq % 28)
        # 998/999: above the sequence numbers trajects/demo.py draws, so no INSZ is taken twice.
        insz = make_insz(birth, 998 if female else 999)
        data = {"first_name": first, "last_name": last, "phone": f"04{rng.randint(70, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}", "referrer": rng.choice(REFERRERS),
                "needs_interpreter": rng.random() < 0.15, "needs_childcare": rng.random() < 0.2,
                "preferred_language": "nl"}
        return data, insz


def _vacancy(org, activity, coordinator, coaches, title, opened, places, status=VacancyStatus.OPEN, closes=None):
    competences = list(Competence.objects.filter(organisation__isnull=True, kind="generic")[:3])
    vacancy = services.vacancy_create(organisation=org, actor=coordinator.user, data={
        "activity": activity, "title": title, "places": places, "weekly_hours": Decimal("30.4"),
        "schedule": "ma–do 8u30–16u00", "wanted_hours": "voormiddag en namiddag", "wanted_mobility": "bicycle",
        "wanted_languages": "Nederlands, Arabisch", "wanted_interests": "technical", "opens_on": opened,
        "closes_on": closes, "entry_competences": competences, "team": coaches[:1]})
    if status != VacancyStatus.OPEN:
        services.vacancy_update(vacancy=vacancy, actor=coordinator.user, data={"status": status})
    return vacancy


def _apply(vacancy, people, coordinator, n, applied):
    out = []
    for i in range(n):
        data, insz = people.candidate()
        candidate = services.candidate_create(vacancy=vacancy, actor=coordinator.user, data=data,
                                              applied_on=applied + datetime.timedelta(days=i % 3))
        out.append((candidate.applications.get(vacancy=vacancy), insz))
    return out


def _path(vacancy, apps, coordinator, *, session, rounds, referred, n_referred, advice=None, n_advice=0):
    user = coordinator.user
    s = services.session_plan(vacancy=vacancy, actor=user, data={"date": session, "location": "Fietspunt, zaal 1"})
    present = [a.pk for a, _insz in apps[:-1]]  # one candidate did not come
    services.attendance_record(session=s, actor=user, attended_ids=present)
    services.application_drop(application=apps[-1][0], actor=user, reason="unreachable", on=session)
    for k, day in enumerate(rounds):
        outcomes = {}
        for i, (a, _insz) in enumerate(apps[:-1]):
            a.refresh_from_db()
            if a.stage == Stage.DROPPED:
                continue
            outcomes[a.pk] = Outcome.NOT_PASSED if k == len(rounds) - 1 and i >= n_referred + 1 else Outcome.PASSED
        services.round_record(vacancy=vacancy, actor=user, data={
            "name": ["Gesprek", "Praktijkproef"][k % 2], "date": day,
            "criteria": ["Motivatie, beschikbaarheid", "Technisch gevoel, samenwerken"][k % 2]}, outcomes=outcomes)
    ranked = [a for a, _insz in apps[: n_referred + 1]]
    services.ranking_save(vacancy=vacancy, actor=user, ranks={a.pk: i + 1 for i, a in enumerate(ranked)},
                          on=rounds[-1])
    for i, (a, insz) in enumerate(apps[:n_referred]):
        services.application_contacted(application=a, actor=user, on=rounds[-1] + datetime.timedelta(days=1))
        services.application_refer(application=a, actor=user, referred_on=referred, worker_data={"insz": insz})
        if i < n_advice:
            services.application_advice(application=a, actor=user,
                                        data={**IMW_ADVICE, "decision_date": advice})
    return [a for a, _insz in apps]


def _seed_org(org, activity, coordinator, coaches, today, rng, *, journey):
    """`journey`: the organisation of docs/journeys.md, with referrals waiting for VDAB; the others keep their
    worker register as trajects/demo.py made it, but for the hire."""
    people = _People(rng)
    user = coordinator.user
    # Filled: applied T, referred T+15, advice T+46 (31 days waiting for VDAB), contract T+52.
    t = _day(today, 130)
    filled = _vacancy(org, activity, coordinator, coaches, f"Medewerker {activity.name}", t - datetime.timedelta(days=5),
                      1, closes=t + datetime.timedelta(days=10))
    apps = _apply(filled, people, coordinator, 6, t)
    apps = _path(filled, apps, coordinator, session=t + datetime.timedelta(days=5),
                 rounds=[t + datetime.timedelta(days=8), t + datetime.timedelta(days=12)],
                 referred=t + datetime.timedelta(days=15), n_referred=1,
                 advice=t + datetime.timedelta(days=46), n_advice=1)
    first = apps[0]
    first.refresh_from_db()
    services.application_hire(
        application=first, actor=user, coach=coaches[0] if coaches else coordinator, coach_role="job_coach",
        regime="IMW_5Y", worker_data={}, contract={"contract_start": t + datetime.timedelta(days=52),
                                                   "contract_end": None, "contract_type": "open_ended",
                                                   "weekly_hours": Decimal("30.4")})
    services.application_drop(application=apps[1], actor=user, reason="other_work", on=t + datetime.timedelta(days=50))

    # In progress: referred 26 days ago, two still waiting (the reminder shows from day 25).
    t = _day(today, 45)
    busy = _vacancy(org, activity, coordinator, coaches, f"Instapper {activity.name}", t, 3,
                    closes=_day(today, 5))
    apps = _apply(busy, people, coordinator, 8, t)
    _path(busy, apps, coordinator, session=t + datetime.timedelta(days=7),
          rounds=[t + datetime.timedelta(days=12), t + datetime.timedelta(days=16)],
          referred=_day(today, 26), n_referred=3 if journey else 0, advice=_day(today, 3), n_advice=1 if journey else 0)

    # New: candidates invited to a session tomorrow.
    fresh = _vacancy(org, activity, coordinator, coaches, f"Nieuwe ploeg {activity.name}", _day(today, 10), 2,
                     closes=today + datetime.timedelta(days=30))
    _apply(fresh, people, coordinator, 4, _day(today, 9))
    services.session_plan(vacancy=fresh, actor=user, data={"date": today + datetime.timedelta(days=1),
                                                          "location": "Ontmoetingsruimte"})

    cancelled = _vacancy(org, activity, coordinator, coaches, f"Seizoenshulp {activity.name}", _day(today, 80), 1,
                         closes=_day(today, 60))
    for a, _insz in _apply(cancelled, people, coordinator, 2, _day(today, 78)):
        services.application_drop(application=a, actor=user, reason="withdrew", on=_day(today, 62))
    services.vacancy_update(vacancy=cancelled, actor=user, data={"status": VacancyStatus.CANCELLED})


def seed(ctx):
    rng, today = random.Random(20), ctx["today"]
    for data in ctx["organisations"].values():
        org, members = data["org"], data["members"]
        if Vacancy.objects.filter(organisation=org).exists() or not data["activities"]:
            continue
        _seed_org(org, data["activities"][0], members[Role.COORDINATOR][0], members.get(Role.COACH, []), today, rng,
                  journey=org.slug == "stroom")
