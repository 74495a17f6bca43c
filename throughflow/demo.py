"""Demo exits and aftercare for the workers trajects/demo.py already seeded as exited (idempotent).

The exits of those workers were recorded before this app existed, so their Exit rows are written
directly: every reason of the taxonomy occurs, throughflow exits name an employer, and the follow-ups
that are due are mostly recorded (a few left open so the alert scan has aftercare deadlines to show).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from trajects import rules
from trajects.models import WorkerStatus
from trajects.selectors import ruleset

from . import services
from .models import (
    Employer,
    Exit,
    ExitContractType,
    ExitReason,
    FollowUp,
    JobTarget,
    ReadinessCheck,
    SupportAfterExit,
    Track,
    TrackPause,
)
from .services import followup_months

# (name, enterprise number, sector, municipality): valid mod-97 numbers, invented companies.
DIRECTORY = [
    ("Bakkerij Peeters", "0403199702", "Voeding", "Gent"),
    ("Colruyt Group", "0400378485", "Retail", "Halle"),
    ("Schoonmaak Vandenberghe", "0412345614", "Schoonmaak", "Aalst"),
    ("Zorggroep Sint-Jozef", "0887654324", "Zorg", "Dendermonde"),
]

EMPLOYERS = ["Bakkerij Peeters", "Colruyt Group", "Stad Gent — groendienst", "Schoonmaak Vandenberghe",
             "Zorggroep Sint-Jozef", "Transport De Smet"]


def _exit_more_workers(ctx, rule_set):
    """Too few demo workers were seeded as exited to show every reason: exit active ones through the
    service (as a coordinator would), a few months back so their first follow-ups are due."""
    today, rng = ctx["today"], ctx["rng"]
    used = set(Exit.objects.values_list("reason", flat=True))
    missing = [r for r in ExitReason if r not in used]
    # Sara's journey workers (trajects/demo.py) stay at work: the coach journey needs them.
    candidates = [w for workers in ctx["workers"].values() for w in reversed(workers)
                  if w.pk not in ctx.get("journey_workers", set())]
    for k, reason in enumerate(missing):
        for worker in candidates:
            worker.refresh_from_db()
            employment = worker.employments.order_by("contract_start").first()
            if worker.status != WorkerStatus.ACTIVE or employment is None:
                continue
            # Spread over this year and the two before it, like the exits trajects/demo.py seeds.
            day = today - datetime.timedelta(days=rng.randint(40, 250) + 365 * (k % 3))
            if day <= max(employment.contract_start, worker.status_since):
                continue
            throughflow = reason in (ExitReason.EXTERNAL, ExitReason.INTERNAL)
            try:
                services.exit_record(worker=worker, actor=None, rule_set=rule_set, data={
                    "date": day, "reason": reason, "destination_employer": rng.choice(EMPLOYERS) if throughflow else "",
                    "contract_type": ExitContractType.OPEN_ENDED if throughflow else "",
                    "weekly_hours": 30 if throughflow else None, "support_after": SupportAfterExit.NONE})
            except ValidationError:
                continue
            break


def seed(ctx):
    rng, today, rule_set = ctx["rng"], ctx["today"], ruleset()
    reasons = list(ExitReason)
    n = 0
    for slug, workers in ctx["workers"].items():
        for worker in workers:
            worker.refresh_from_db(fields=["status", "status_since"])
            if worker.status != WorkerStatus.EXITED or Exit.objects.filter(worker=worker).exists():
                continue
            reason = reasons[n % len(reasons)]
            n += 1
            employment = worker.employments.order_by("-contract_start").first()
            assignment = worker.coach_assignments.order_by("-start").select_related("coach").first()
            throughflow = reason in (ExitReason.EXTERNAL, ExitReason.INTERNAL)
            # trajects/demo.py may date an exit after "today" for short employments; an exit is never future.
            exit_ = Exit.objects.create(
                organisation_id=worker.organisation_id, worker=worker, date=min(worker.status_since, today), reason=reason,
                destination_employer=(ctx["organisations"][slug]["org"].name if reason == ExitReason.INTERNAL
                                      else rng.choice(EMPLOYERS)) if throughflow else "",
                contract_type=rng.choice([ExitContractType.OPEN_ENDED, ExitContractType.FIXED_TERM])
                if throughflow else "",
                weekly_hours=rng.choice([19, 30.4, 38]) if throughflow else None,
                support_after=SupportAfterExit.IMW if reason == ExitReason.OTHER_SOCIAL_ECONOMY
                else SupportAfterExit.NONE,
                activity_id=employment.activity_id if employment else None,
                coach=assignment.coach if assignment else None,
                trajectory=worker.trajectories.order_by("-start").first(),
            )
            for months in followup_months(rule_set, exit_.date):
                due = rules.add_months(exit_.date, months)
                # Older follow-ups were done; the most recent due one is left open now and then.
                done = due < today and (due < today.replace(day=1) or rng.random() < 0.5)
                FollowUp.objects.create(
                    organisation_id=worker.organisation_id, exit=exit_, worker=worker, months=months, due=due,
                    done_on=due if done else None,
                    still_employed=(throughflow and rng.random() < 0.8) if done else None,
                    same_employer=(rng.random() < 0.8) if done and throughflow else None,
                    support_needed=(rng.random() < 0.2) if done else None,
                )
    _exit_more_workers(ctx, rule_set)
    _directory(ctx)
    _running_track(ctx)
    _placement(ctx)
    _readiness(ctx)
    _track_pause(ctx)


def _running_track(ctx):
    """One running throughflow track with logged hours per organisation (idempotent)."""
    today = ctx["today"]
    for workers in ctx["workers"].values():
        if Track.objects.filter(worker__in=workers).exists():
            continue
        for worker in workers:
            worker.refresh_from_db()
            if worker.status != WorkerStatus.ACTIVE:
                continue
            try:
                track = services.track_open(worker=worker, actor=None, data={
                    "decision_date": today - datetime.timedelta(days=75), "decision_reference": "VDAB-DS-0042",
                    "start": today - datetime.timedelta(days=60), "coach_name": "An Peeters",
                    "coach_organisation": "Jobcoaching Oost-Vlaanderen", "coach_contact": "09 234 56 78"})
                services.track_change_phase(track=track, actor=None, phase="job_matching",
                                            since=today - datetime.timedelta(days=30))
                for week in range(8):
                    services.hours_log(track=track, actor=None, data={
                        "date": today - datetime.timedelta(days=58 - 7 * week), "hours": Decimal("4.5"),
                        "note": "Sollicitatietraining" if week % 2 else "Jobdoelwit en cv"})
            except ValidationError:
                continue
            break


def _directory(ctx):
    """A few regular employers per organisation; the throughflow exits to them become their hires."""
    for entry in ctx["organisations"].values():
        org = entry["org"]
        for name, number, sector, municipality in DIRECTORY:
            employer = Employer.objects.filter(organisation=org, name=name).first()
            if employer is None:
                employer = services.employer_create(organisation=org, actor=None, data={
                    "name": name, "enterprise_number": number, "sector": sector, "municipality": municipality,
                    "contacts": f"HR — jobs@{name.split()[0].lower()}.example, 09 123 45 67"})
            Exit.objects.filter(organisation=org, destination_employer=name, employer__isnull=True).update(
                employer=employer)


def _placement(ctx):
    """For the worker of each running track: a job target, applications, an internship that ended, the
    handover notes and a consent, so the tab and the handover summary have something to show (idempotent)."""
    today = ctx["today"]
    day = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    for entry in ctx["organisations"].values():
        track = (Track.objects.filter(organisation=entry["org"], closed_on__isnull=True).select_related("worker")
                 .order_by("id").first())
        if track is None or JobTarget.objects.filter(worker=track.worker).exists():
            continue
        worker = track.worker
        employers = list(Employer.objects.filter(organisation=entry["org"]).order_by("name")[:2])
        if len(employers) < 2:
            continue
        services.job_target_save(worker=worker, actor=None, data={
            "occupation": "Magazijnmedewerker", "sector": "Logistiek", "weekly_hours": 30,
            "region": "Gent en omliggende gemeenten", "max_commute_minutes": 40, "work_type": "regular",
            "childcare": "Kinderen ophalen om 16 uur op woensdag", "pay_expectation": "Minstens het barema",
            "set_on": day(55)})
        services.application_save(worker=worker, actor=None, data={
            "employer": employers[1], "date": day(40), "channel": "vdab_vacancy", "position": "Orderpicker",
            "result": "interview", "result_date": day(32), "note": "Gesprek ging goed"})
        services.application_save(worker=worker, actor=None, data={
            "employer_name": "Start People", "date": day(6), "channel": "temp_agency", "position": "Magazijn"})
        services.internship_save(worker=worker, actor=None, data={
            "employer": employers[0], "start": day(50), "end": day(8), "weekly_hours": 30,
            "tasks": "Bestellingen klaarzetten\nRekken aanvullen", "mentor": "Jan, teamleider magazijn",
            "employer_evaluation": "Stipt en nauwkeurig", "employer_rating": 3,
            "worker_evaluation": "Fijn team", "worker_rating": 4, "result": "job_offered"})
        services.handover_note_save(worker=worker, actor=None, data={
            "works_well": "Eén taak tegelijk uitleggen en even tonen",
            "support_tips": "Een vaste collega als aanspreekpunt\nDe planning een week op voorhand",
            "contact_moments": "Telefoon na de eerste week\nBezoek na een maand"})
        services.consent_record(worker=worker, actor=None, data={
            "employer": employers[0], "given_on": day(5),
            "scope": ["experience", "competences", "job_target", "internships", "notes"]})


# --------------------------------------------------------------------------- readiness and pauses

READINESS_NOTES = {
    "health": ("attention", "Rugklachten: geen zware tillasten."),
    "mobility": ("attention", "Geen rijbewijs; fietst tot 10 km."),
    "family": ("ready", "Opvang voor de kinderen geregeld tot 18 uur."),
    "finances": ("attention", "Afbetalingsplan loopt via het OCMW."),
    "dutch": ("ready", "Spreekt vlot; schrijven gaat met hulp."),
    "competences": ("ready", "Stiptheid en samenwerken op doelniveau."),
    "motivation": ("ready", "Wil graag naar een reguliere job."),
    "job_target": ("attention", "Fietsenwinkel in Gent: realistisch, maar weinig vacatures."),
}


def _readiness(ctx):
    """Two readiness checks for a few active workers per organisation: "not yet" half a year ago, then a
    request for the VDAB evaluation (idempotent: skipped when the organisation has checks)."""
    today = ctx["today"]
    for workers in ctx["workers"].values():
        if ReadinessCheck.objects.filter(worker__in=workers).exists():
            continue
        done = 0
        for worker in workers:
            worker.refresh_from_db()
            if worker.status != WorkerStatus.ACTIVE or done >= 2:
                continue
            answers = {k: {"assessment": a, "note": n} for k, (a, n) in READINESS_NOTES.items()}
            earlier = {**answers, "finances": {"assessment": "obstacle", "note": "Schulden, nog geen plan."}}
            try:
                services.readiness_check_save(worker=worker, actor=None, data={
                    "date": today - datetime.timedelta(days=180), "decision": "not_yet",
                    "next_check": today - datetime.timedelta(days=20), "answers": earlier,
                    "summary": "Eerst de schulden regelen; over een half jaar opnieuw bekijken."})
                services.readiness_check_save(worker=worker, actor=None, data={
                    "date": today - datetime.timedelta(days=15), "decision": "request", "answers": answers,
                    "planned_visit": today + datetime.timedelta(days=20),
                    "summary": "Klaar om de doorstroomevaluatie aan te vragen."})
            except ValidationError:
                continue  # e.g. a CMW worker before the earliest evaluation date
            done += 1


def _track_pause(ctx):
    """A resumed pause on each organisation's running track (idempotent)."""
    today = ctx["today"]
    for track in Track.objects.filter(closed_on__isnull=True, paused_since__isnull=True):
        if TrackPause.objects.filter(track=track).exists() or track.phase_start > today - datetime.timedelta(days=20):
            continue
        try:
            services.track_pause(track=track, actor=None, data={
                "paused_from": today - datetime.timedelta(days=20), "reason": "Familiale omstandigheden"})
            services.track_resume(track=Track.objects.get(pk=track.pk), actor=None, data={
                "resumed_on": today - datetime.timedelta(days=13), "note": "Opnieuw beschikbaar"})
        except ValidationError:
            continue
