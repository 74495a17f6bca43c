"""Demo indication data: advices for every regime, some expiring within the horizon, evaluation requests,
needs assessments (two successive ones for a few workers) and context problems with referrals.

Idempotent: a worker who already has an advice is skipped, so a re-run adds nothing twice.
"""

import datetime

from lde_portal.accounts.models import Role
from trajects import rules as trajectory_rules
from trajects.models import Employment, WorkerStatus
from trajects.selectors import ruleset

from . import selectors, services
from .models import (
    Advice,
    AdviceType,
    Destination,
    EvaluationOutcome,
    EvaluationReason,
    GuidancePremium,
    Interests,
    IssuingBody,
    Mobility,
    ProblemKind,
    ReferralService,
    ReferralStatus,
)

IMW_FROM = datetime.date(2023, 7, 1)
CONSULTANTS = ["An Verbeke", "Bart De Wilde", "Sofie Claeys", "Hilde Maes", "Youssef Amrani"]
PROBLEMS = {
    ProblemKind.DEBTS: ("Schuldbemiddeling loopt; beslag op loon.", ReferralService.CAW, "CAW Oost-Vlaanderen"),
    ProblemKind.HOUSING: ("Zoekt een sociale woning; woont tijdelijk bij familie.", ReferralService.HOUSING,
                          "Sociaal Wonen Dender"),
    ProblemKind.FAMILY: ("Zorg voor een ziek familielid, soms afwezig.", ReferralService.OCMW, "OCMW maatschappelijk werk"),
    ProblemKind.LANGUAGE: ("Wil Nederlands bijleren voor de job.", ReferralService.OTHER, "Huis van het Nederlands"),
}


def _years(d, n):
    return trajectory_rules.add_years(d, n) - datetime.timedelta(days=1)


def seed(ctx):
    rng, today = ctx["rng"], ctx["today"]
    rules = ruleset()
    for slug, workers in ctx.get("workers", {}).items():
        members = ctx["organisations"][slug]["members"]
        actor = members[Role.COORDINATOR][0].user
        coach_user = (members.get(Role.COACH) or members[Role.COORDINATOR])[0].user
        items = list(selectors.icf_items(ctx["organisations"][slug]["org"]))
        for i, worker in enumerate(workers):
            # Every random value is drawn whether or not the worker is seeded, so re-runs stay in step.
            draws = [rng.random() for _ in range(6)]
            if worker.status == WorkerStatus.RECRUITMENT or Advice.objects.filter(worker=worker).exists():
                continue
            start = Employment.objects.filter(worker=worker).order_by("contract_start").values_list(
                "contract_start", flat=True).first()
            if start is None:
                continue
            _seed_advices(worker, actor, rules, start, today, i, draws)
            # Jamal's evaluation is what the coach journey requests (docs/journeys.md): none yet.
            if worker.status != WorkerStatus.EXITED and worker != ctx.get("journey", {}).get("jamal"):
                _seed_evaluations(worker, actor, rules, start, today, i)
            if i % 3 == 0:
                _seed_needs(worker, coach_user, items, today, i, draws)
            if i % 5 == 0 or i % 10 == 7:
                _seed_problem(worker, coach_user, today, i)


def _seed_advices(worker, actor, rules, start, today, i, draws):
    decision = start - datetime.timedelta(days=30)
    consultant = CONSULTANTS[i % len(CONSULTANTS)]
    common = {"issuing_body": IssuingBody.VDAB if i % 6 else IssuingBody.OCMW, "consultant_name": consultant,
              "consultant_contact": f"{consultant.split()[0].lower()}@vdab.be", "decision_date": decision}
    # The advice matches the regime of the worker's trajectory (trajects demo) when there is one.
    trajectory = selectors.open_trajectory(worker)
    regime = trajectory.regime if trajectory else None
    imw_term = trajectory is not None and regime in ("IMW_5Y", "IMW_2Y") and trajectory.decision_date
    if imw_term:
        # The IMW term on Traject rests on DWSE's decision, which follows VDAB's attestation by a few weeks;
        # a worker hired earlier keeps the LDE advice of the hiring in the history, superseded by it. So
        # Indicering and Traject tell the same story (one advice in force, valid as long as the term).
        if start < IMW_FROM:
            services.advice_create(worker=worker, actor=actor, rules=rules, data={
                **common, "type": AdviceType.LDE_ADVICE, "destination": Destination.LDE,
                "valid_until": _years(start, 5)})
        decision = max(trajectory.decision_date - datetime.timedelta(days=10 + i % 20), start - datetime.timedelta(days=30))
        common["decision_date"] = decision
    if regime == "CMW" or (regime is None and i % 7 == 5):
        kind = {"type": AdviceType.CMW_START_PACKAGE, "destination": Destination.CMW,
                "valid_until": _years(start, 5)}
    elif regime in ("LDE", "TRANSITION") or (regime is None and start < IMW_FROM):
        kind = {"type": AdviceType.LDE_ADVICE, "destination": Destination.LDE, "valid_until": _years(start, 5)}
    else:
        quarter = trajectory_rules.quarter_start(decision)
        kind = {"type": AdviceType.IMW_ATTESTATION, "destination": Destination.IMW,
                "wage_premium_percent": 20 + 5 * int(draws[0] * 12),
                "guidance_premium": [GuidancePremium.BASIC, GuidancePremium.INCREASED][int(draws[1] * 2)],
                "valid_until": trajectory.planned_end if imw_term else _years(quarter, 5 if draws[2] < 0.7 else 2)}
    data = {**common, **kind}
    if i % 4 != 3:
        # Referral to VDAB a month or two before the advice (docs/domain.md §3.1: the path takes 2-3 months);
        # a quarter of the advices come without it, as in practice. Derived from i: no extra random draw.
        data["referred_on"] = decision - datetime.timedelta(days=25 + (i * 11) % 45)
    if i % 6 == 1 and not imw_term:
        # A few advices run out soon: they are on the "Indicering" list.
        data["valid_until"] = today + datetime.timedelta(days=10 + int(draws[3] * 75))
    if data["valid_until"] < decision:
        data["valid_until"] = None
    services.advice_create(worker=worker, actor=actor, data=data, rules=rules)
    if start < IMW_FROM and i % 8 == 2:
        services.advice_create(worker=worker, actor=actor, rules=rules, data={
            **common, "decision_date": start - datetime.timedelta(days=30), "type": AdviceType.SINE_ELIGIBILITY,
            "valid_until": datetime.date(2025, 6, 30)})
    if i % 9 == 4 and worker.status == WorkerStatus.ACTIVE:
        services.advice_create(worker=worker, actor=actor, rules=rules, data={
            **common, "type": AdviceType.THROUGHFLOW_DECISION, "favourable": True,
            "decision_date": today - datetime.timedelta(days=20 + int(draws[4] * 30)),
            "destination": Destination.REGULAR})


def _seed_evaluations(worker, actor, rules, start, today, i):
    basis = selectors.worker_evaluation_basis(worker, list(worker.advices.all()), rules)
    if basis.regular and basis.regular <= today:
        services.evaluation_request_create(worker=worker, actor=actor, rules=rules, data={
            "reason": EvaluationReason.REGULAR, "requested_on": today - datetime.timedelta(days=10),
            "planned_visit": today + datetime.timedelta(days=25 + i % 40)})
    elif basis.regular:
        # CMW before 2 years + 1 day: only the early medical route is open (after 8 weeks of work).
        if basis.medical and basis.medical <= today and i % 2:
            services.evaluation_request_create(worker=worker, actor=actor, rules=rules, data={
                "reason": EvaluationReason.EARLY_MEDICAL, "requested_on": today - datetime.timedelta(days=3),
                "planned_visit": today + datetime.timedelta(days=30)})
    elif i % 4 == 1:
        requested = max(start, today - datetime.timedelta(days=400))
        services.evaluation_request_create(worker=worker, actor=actor, rules=rules, data={
            "reason": EvaluationReason.THROUGHFLOW_READINESS, "requested_on": requested,
            "planned_visit": requested + datetime.timedelta(days=40),
            "outcome": EvaluationOutcome.SAME_SUPPORT, "decision_date": requested + datetime.timedelta(days=55)})
    elif i % 4 == 2:
        services.evaluation_request_create(worker=worker, actor=actor, rules=rules, data={
            "reason": EvaluationReason.END_OF_TERM if i % 8 == 2 else EvaluationReason.REGULAR,
            "requested_on": today - datetime.timedelta(days=5),
            "planned_visit": today + datetime.timedelta(days=15 + i % 60)})


# What a coach writes beside a score: about that item, short, factual and respectful. Keyed by ICF code (or
# the heading of a personal or qualification factor); for a scored item the first text fits little or no
# difficulty (or a facilitator), the second a real one.
ITEM_NOTES = {
    "b130": ("Komt gemotiveerd naar het werk en vraagt zelf om nieuwe taken.",
             "Motivatie wisselt; een duidelijk doel per week helpt."),
    "b134": ("Slaapt goed, is 's morgens fit.", "Slaapt slecht sinds de verhuizing; soms moe in de voormiddag."),
    "b140": ("Blijft een hele voormiddag bij de taak.", "Kan zich een uur concentreren, daarna een korte pauze nodig."),
    "b152": ("Blijft rustig, ook op drukke dagen.", "Raakt snel aangeslagen door kritiek; achteraf even bespreken helpt."),
    "b455": ("Houdt een volle werkdag goed vol.", "Na de middag moe; zware taken liefst in de voormiddag."),
    "d155": ("Leert nieuwe taken snel door mee te kijken.", "Leert het best als de taak eerst wordt voorgedaan."),
    "d210": ("Werkt een taak zelfstandig af.", "Heeft bij een nieuwe taak nog een stappenplan nodig."),
    "d220": ("Schakelt vlot tussen taken.", "Eén taak tegelijk; bij twee taken raakt het overzicht weg."),
    "d230": ("Vaste dagstructuur, altijd op tijd.", "Een dagplanning op het bord helpt om op tijd te beginnen."),
    "d240": ("Blijft kalm als het druk wordt.", "Wordt gespannen bij drukte aan de balie; een rustige taak helpt dan."),
    "d310": ("Begrijpt mondelinge instructies goed.", "Instructies kort houden en laten herhalen."),
    "d330": ("Spreekt vlot Nederlands met klanten.", "Spreekt nog aarzelend Nederlands; begrijpt instructies wel."),
    "d430": ("Tilt zonder problemen.", "Geen zware lasten: rugklachten, attest van de huisarts."),
    "d470": ("Komt met de bus, altijd op tijd.", "Bij een vroege shift rijdt er nog geen bus; shift later laten starten."),
    "d710": ("Goed contact met collega's, helpt nieuwe mensen op weg.",
             "Houdt zich afzijdig in de pauze; een vaste collega als maatje helpt."),
    "d740": ("Aanvaardt feedback van de ploegbaas.", "Vindt feedback moeilijk; liefst onder vier ogen en concreet."),
    "d845": ("Wil na het traject in een gewone job verder.", "Twijfelt of een gewone job haalbaar is; stap voor stap bekijken."),
    "d860": ("Beheert het eigen budget.", "Betaalt rekeningen te laat; budgetbegeleiding loopt via het OCMW."),
    "e110": ("Neemt de medicatie trouw; geen invloed op het werk.", "Medicatie maakt 's morgens suf; later beginnen helpt."),
    "e310": ("Het gezin steunt de job.", "Zorgt alleen voor twee kinderen; opvang is geregeld tot 17 uur."),
    "e330": ("Heeft veel aan de vaste werkvloerbegeleider.", "Wisselende leidinggevenden verwarren; één aanspreekpunt afgesproken."),
    "e525": ("Woont stabiel.", "Woont tijdelijk bij familie en zoekt een sociale woning."),
    "e575": ("Goede samenwerking met het OCMW.", "Wacht op een afspraak bij het CAW; opvolgen in het volgende gesprek."),
    "Opleiding en werkverleden": ("Twee jaar ervaring in de schoonmaak.",),
    "Motivatie en werkattitude": ("Stipt en gemotiveerd; verwittigt zelf bij ziekte.",),
    "Interesses (zorg, techniek, organisatie)": ("Werkt graag met de handen; wil bijleren.",),
    "Niveau Nederlands (mondeling, schriftelijk)": ("Mondeling goed; schrijven lukt nog moeizaam.",),
    "Digitale vaardigheden": ("Gebruikt vlot een smartphone, een computer nog niet.",),
    "Hoogste diploma": ("Diploma secundair onderwijs niet afgewerkt.",),
}


def _note(item, level=None, facilitator=False):
    notes = ITEM_NOTES.get(item.code or item.label)
    if not notes:
        return ""
    if len(notes) == 1:
        return notes[0]
    return notes[0] if facilitator or (level is not None and level <= 1) else notes[1]


def _scores(items, rng_values, shift=0):
    scores = []
    for n, item in enumerate(items):
        pick = rng_values[n % len(rng_values)]
        if (n * 7 + int(pick * 10)) % 4:
            continue
        if item.qualified:
            base = int(pick * 4)
            if item.component == "e" and n % 3 == 0:
                scores.append({"item": item, "qualifier": None, "facilitator": max(1, min(4, base + shift)),
                               "note": _note(item, facilitator=True)})
            else:
                qualifier = max(0, min(4, base - shift))
                scores.append({"item": item, "qualifier": qualifier, "facilitator": None,
                               "note": _note(item, qualifier)})
        else:
            scores.append({"item": item, "qualifier": None, "facilitator": None, "note": _note(item)})
    return scores


def _seed_needs(worker, author, items, today, i, draws):
    first = today - datetime.timedelta(days=240 + i)
    services.needs_assessment_create(worker=worker, actor=author, date=first, note="Eerste inschatting na de intake.",
                                     scores=_scores(items, draws))
    if i % 6 == 0:
        # A second assessment, mostly better: the comparison shows what improved and what got worse.
        later = _scores(items, draws, shift=1)
        for n, score in enumerate(later):
            if n % 5 == 4 and score["qualifier"] is not None:
                score["qualifier"] = min(4, score["qualifier"] + 2)
        services.needs_assessment_create(worker=worker, actor=author, date=today - datetime.timedelta(days=20),
                                         note="Opvolging: stiptheid en omgang met stress verbeterd.", scores=later)
    services.complementarity_save(worker=worker, actor=author, data={
        "working_hours": ["4/5, geen weekends", "Voltijds mogelijk", "Halftijds, voormiddag"][i % 3],
        "mobility": [Mobility.BICYCLE, Mobility.PUBLIC_TRANSPORT, Mobility.CAR][i % 3],
        "physical_capacity": 1 + i % 4, "learning_ability": 1 + (i + 1) % 4, "self_confidence": 1 + (i + 2) % 4,
        "autonomy": 1 + (i + 3) % 4, "poverty_experience": i % 2 == 0,
        "interests": [Interests.CARE, Interests.TECHNICAL, Interests.ORGANISATIONAL][i % 3],
        "languages": ["Nederlands, Arabisch", "Nederlands, Frans", "Turks, basis Nederlands"][i % 3],
    })


def _seed_problem(worker, author, today, i):
    kind = list(PROBLEMS)[i % len(PROBLEMS)]
    description, service, name = PROBLEMS[kind]
    noted = today - datetime.timedelta(days=60 + i * 3)
    problem = services.context_problem_save(worker=worker, actor=author, data={
        "kind": kind, "description": description, "noted_on": noted,
        "resolved_on": noted + datetime.timedelta(days=45) if i % 10 == 7 else None})
    services.referral_save(problem=problem, actor=author, data={
        "service": service, "service_name": name, "referred_on": noted + datetime.timedelta(days=7),
        "status": ReferralStatus.COMPLETED if problem.resolved_on else ReferralStatus.IN_PROGRESS,
        "follow_up_on": None if problem.resolved_on else today + datetime.timedelta(days=14), "note": ""})
