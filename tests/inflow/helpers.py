import datetime
from decimal import Decimal

from inflow import services
from inflow.models import Application
from tests.factories import ActivityFactory

D = datetime.date
OPENS_ON_DEFAULT = D(2026, 9, 1)
APPLIED_ON_DEFAULT = D(2026, 9, 2)
REFERRED_ON = D(2026, 9, 20)
ADVICE_ON = D(2026, 10, 21)
START_DEFAULT = D(2026, 10, 27)
IMW_ADVICE = {"type": "imw_attestation", "issuing_body": "vdab", "destination": "imw", "wage_premium_percent": 40}


def insz(birth: datetime.date, seq: int) -> str:
    base = f"{birth:%y%m%d}{seq:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def vacancy(org, *, activity=None, team=(), places=3, opens_on=OPENS_ON_DEFAULT, closes_on=None, title="Fietsenmaker"):
    activity = activity or ActivityFactory(organisation=org)
    return services.vacancy_create(organisation=org, actor=None, data={
        "activity": activity, "title": title, "places": places, "weekly_hours": Decimal("30.4"),
        "opens_on": opens_on, "closes_on": closes_on, "team": list(team)})


def candidate(vacancy_, *, first="Tesfay", last="Haile", applied_on=APPLIED_ON_DEFAULT, referrer="vdab") -> Application:
    c = services.candidate_create(vacancy=vacancy_, actor=None, applied_on=applied_on, data={
        "first_name": first, "last_name": last, "referrer": referrer, "phone": "0470 12 34 56"})
    return c.applications.get(vacancy=vacancy_)


def referred(application, *, on=REFERRED_ON, seq=1) -> Application:
    return services.application_refer(application=application, actor=None, referred_on=on,
                                      worker_data={"insz": insz(D(1991, 3, 14), 700 + seq)})


def advised(application, *, on=ADVICE_ON) -> Application:
    return services.application_advice(application=application, actor=None,
                                       data={**IMW_ADVICE, "decision_date": on})


def hired(application, coach, *, start=START_DEFAULT, regime="IMW_5Y"):
    return services.application_hire(application=application, actor=None, coach=coach, coach_role="job_coach",
                                     regime=regime, worker_data={}, contract={
                                         "contract_start": start, "contract_end": None,
                                         "contract_type": "open_ended", "weekly_hours": Decimal("30.4")})


def fresh(model, obj):
    return model.objects.get(pk=obj.pk)

