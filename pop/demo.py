"""Demo POPs of several years, a year of weekly feedback for the Stroom workers, trainings (docs/domain.md §8).

Idempotent: a worker who already has a POP (or feedback) is left alone; trainings are matched by
course and start date.
"""

import datetime
from decimal import Decimal

from django.db.models import Min, Q

from lde_portal.accounts.models import Role
from trajects.models import Employment, WorkerStatus
from trajects.rules import add_months

from . import services
from .models import (
    ActionStatus,
    Competence,
    CompetenceKind,
    FeedbackRating,
    ImprovementAction,
    Pop,
    PopCompetence,
    PopStatus,
    PopVersion,
    Presence,
    ProviderType,
    Punctuality,
    Training,
    WeeklyFeedback,
    YearlyReview,
)
from .rules import monday_of
from .selectors import focus_competences

ACTIONS = [
    ("Elke dag om 8 uur op het werk zijn", "Sara (begeleider)", "Wekker zetten, samen een weekplanning maken"),
    ("Zelf vragen stellen als iets niet duidelijk is", "De begeleider", "Elke vrijdag een kort gesprek"),
    ("Zelfstandig een band vervangen", "Technisch instructeur", "Oefenen op de werkplaats"),
    ("Nederlandse les volgen", "CVO", "Twee avonden per week"),
    ("Een sollicitatiebrief schrijven", "Jobcoach", "Samen een voorbeeld maken"),
    ("Rustig blijven bij een moeilijke klant", "Collega en begeleider", "Oefenen in rollenspel"),
    ("Veiligheidsschoenen elke dag dragen", "Ploegbaas", "Controle bij de start van de dag"),
]
GOALS_LONG = ["Ik wil later werken in een gewone fietsenwinkel.", "Ik wil een vaste job in de kinderopvang.",
              "Ik wil werken bij de stad, in het groen.", "Ik wil een job als kok in een restaurant."]
JOB_TARGETS = ["Fietshersteller in een fietsenwinkel, 30 u/week", "Kinderbegeleider in een kinderdagverblijf",
               "Groenarbeider bij de stad of een aannemer", "Hulpkok in een restaurant of grootkeuken"]
GOALS_SHORT = ["Ik wil elke dag op tijd zijn.", "Ik wil beter Nederlands spreken met klanten.",
               "Ik wil alleen een herstelling doen.", "Ik wil minder snel boos worden."]
OBSERVATIONS = ["Goed gewerkt, helpt collega's.", "Was twee keer te laat.", "Deed de herstelling bijna alleen.",
                "Moeilijke dag, was snel boos.", "Vroeg zelf om uitleg.", "Klant bedankte hem voor de hulp.",
                "Vergat de veiligheidsschoenen.", ""]
TRAININGS = [
    ("Basisveiligheid VCA", "Syntra", ProviderType.EXTERNAL, Decimal("16"), Decimal("350")),
    ("Nederlands op de werkvloer", "CVO Gent", ProviderType.LANGUAGE, Decimal("40"), Decimal("120")),
    ("Klantvriendelijk onthaal", "Interne opleiding", ProviderType.INTERNAL, Decimal("6"), Decimal("0")),
    ("Fietstechniek niveau 1", "Fietsersbond", ProviderType.EXTERNAL, Decimal("24"), Decimal("480")),
    ("EHBO op het werk", "Rode Kruis", ProviderType.EXTERNAL, Decimal("8"), Decimal("95")),
]


def _catalogue():
    competences = list(Competence.objects.filter(organisation__isnull=True))
    generic = {c.name: c for c in competences if c.kind == CompetenceKind.GENERIC}
    technical = {}
    for c in competences:
        if c.kind == CompetenceKind.TECHNICAL:
            technical.setdefault(c.activity_type, []).append(c)
    return generic, technical


def _approvals(hire, today, rng):
    """First approval shortly after hiring, then about yearly; only the last ~3.5 years are kept."""
    dates, current = [], hire + datetime.timedelta(days=rng.randint(10, 25))
    while current <= today:
        dates.append(current)
        current = current + datetime.timedelta(days=365 - rng.randint(0, 30))
    return [d for d in dates if d >= today - datetime.timedelta(days=int(3.5 * 365))]


# The yearly-review journey (docs/journeys.md): the coordinator's list shows six reviews due in the next 60 days
# and one overdue. Days from today to each review date, for the first workers hired long enough ago; the
# others' reviews fall later in the year.
REVIEW_PLAN = [-12, 6, 15, 24, 33, 45, 54]


def _planned_approvals(hire, today, rng, due_in):
    """Approvals about yearly, the last one 12 months before the planned review date; None when the worker
    was hired too recently for that."""
    last = add_months(today + datetime.timedelta(days=due_in), -12)
    if last < hire + datetime.timedelta(days=10):
        return None
    dates = [last]
    while (earlier := dates[0] - datetime.timedelta(days=365 - rng.randint(0, 30))) >= hire + datetime.timedelta(days=10):
        dates.insert(0, earlier)
    return [d for d in dates if d >= today - datetime.timedelta(days=int(3.5 * 365))] or [last]


def _seed_pops(org, workers, members, today, rng, generic, technical, *, plan_reviews=False):
    coordinator = members[Role.COORDINATOR][0].user
    hires = dict(Employment.objects.filter(worker__in=workers).values("worker").annotate(h=Min("contract_start"))
                 .values_list("worker", "h"))
    activity_types = dict(Employment.objects.filter(worker__in=workers).order_by("contract_start")
                          .values_list("worker", "activity__type"))
    has_pop = set(Pop.objects.filter(worker__in=workers).values_list("worker_id", flat=True))
    comp_rows, action_rows, planned = [], [], 0
    for i, worker in enumerate(workers):
        hire = hires.get(worker.pk)
        if worker.pk in has_pop or hire is None or worker.status not in (WorkerStatus.ACTIVE, WorkerStatus.SUSPENDED):
            continue
        if (today - hire).days < 200 and i % 2 == 0:
            continue  # a recent hire without a POP yet: the first-registration deadline shows
        approvals = None
        if plan_reviews:
            due_in = REVIEW_PLAN[planned] if planned < len(REVIEW_PLAN) else 75 + (planned * 37) % 270
            approvals = _planned_approvals(hire, today, rng, due_in)
            planned += approvals is not None
        approvals = approvals or _approvals(hire, today, rng)
        chosen = [generic["Stiptheid"], generic["Samenwerken"], generic["Instructies opvolgen"],
                  rng.choice([generic["Communicatie"], generic["Omgaan met emoties"], generic["Zelfstandigheid"]])]
        chosen += technical.get(activity_types.get(worker.pk) or "other", technical["other"])[:1]
        start_levels = [rng.randint(1, 2) for _ in chosen]
        for year_index, approved_on in enumerate(approvals):
            last = year_index == len(approvals) - 1
            pop, _created = Pop.objects.get_or_create(worker=worker, year=approved_on.year,
                                                      defaults={"organisation": org})
            # Older years are superseded; some current plans were changed once after approval.
            statuses = [PopStatus.SUPERSEDED] if not last else (
                [PopStatus.SUPERSEDED, PopStatus.APPROVED] if i % 5 == 1 else [PopStatus.APPROVED])
            for number, status in enumerate(statuses, start=1):
                version = PopVersion.objects.create(
                    organisation=org, pop=pop, number=pop.versions.count() + 1, status=status,
                    long_term_goal=GOALS_LONG[i % len(GOALS_LONG)], short_term_goal=GOALS_SHORT[(i + year_index) % 4],
                    job_target=JOB_TARGETS[i % len(JOB_TARGETS)],
                    approved_on=approved_on, approved_by=coordinator, created_by=coordinator,
                    vdab_registered_on=min(today, approved_on + datetime.timedelta(days=rng.randint(2, 12))),
                )
                PopVersion.objects.filter(pk=version.pk).update(
                    created_at=datetime.datetime.combine(approved_on, datetime.time(10), datetime.UTC))
                for k, competence in enumerate(chosen):
                    current = min(4, start_levels[k] + year_index)
                    comp_rows.append(PopCompetence(version=version, competence=competence, current_level=current,
                                                   target_level=min(4, current + 1), focus=k != 3))
                for n in range(2 + (number == 2)):
                    what, who, how = ACTIONS[(i + year_index + n) % len(ACTIONS)]
                    action_rows.append(ImprovementAction(
                        version=version, what=what, supporter=who, how=how, position=n,
                        due_date=approved_on + datetime.timedelta(days=120 * (n + 1)),
                        status=ActionStatus.DONE if not last or n == 0 else ActionStatus.OPEN))
                if number == 1:
                    YearlyReview.objects.create(
                        organisation=org, pop_version=version, date=approved_on - datetime.timedelta(days=3),
                        participants=f"{worker.full_name}, {coordinator.get_full_name()}",
                        conclusions="Goede vooruitgang. Verder werken aan stiptheid en zelfstandigheid.",
                        worker_view="Ik voel mij goed in het team. Ik wil meer alleen doen.")
    PopCompetence.objects.bulk_create(comp_rows)
    ImprovementAction.objects.bulk_create(action_rows)


def _seed_feedback(org, workers, members, today, rng):
    coach_by_worker = {}
    for membership in members.get(Role.COACH, []) + members.get(Role.COORDINATOR, []):
        for a in membership.assignments.filter(end__isnull=True):
            coach_by_worker.setdefault(a.worker_id, membership)
    done = set(WeeklyFeedback.objects.filter(worker__in=workers).values_list("worker_id", flat=True).distinct())
    hires = dict(Employment.objects.filter(worker__in=workers).values("worker").annotate(h=Min("contract_start"))
                 .values_list("worker", "h"))

    active = [w for w in workers if w.status == WorkerStatus.ACTIVE and w.pk not in done and w.pk in hires]
    focus = focus_competences([w.pk for w in active], org.pk)
    this_week = monday_of(today)
    feedback, planned = [], []
    for i, worker in enumerate(active):
        base = {c.pk: rng.uniform(1.3, 2.4) for c in focus[worker.pk]}
        for week in range(52, -1, -1):
            week_start = this_week - datetime.timedelta(weeks=week)
            # The current week is left open for a third of the team: "who has no feedback yet" shows.
            if week_start + datetime.timedelta(days=6) < hires[worker.pk] or (week == 0 and i % 3 == 0):
                continue
            if rng.random() < 0.06:
                continue
            presence = rng.choices(list(Presence.values), weights=[80, 8, 3, 6, 3])[0]
            observation = rng.choice(OBSERVATIONS)
            feedback.append(WeeklyFeedback(
                organisation=org, worker=worker, week_start=week_start, presence=presence,
                punctuality=rng.choices(list(Punctuality.values), weights=[70, 22, 8])[0],
                observation=observation, notable=bool(observation) and rng.random() < 0.12,
                next_step=rng.choice(["", "Verder oefenen", "Bespreken in het teamoverleg", "Volgende week opvolgen"]),
                author=coach_by_worker.get(worker.pk)))
            progress = (52 - week) / 52
            planned.append({c: max(1, min(4, round(b + 1.3 * progress + rng.uniform(-0.6, 0.6))))
                            for c, b in base.items()} if presence in ("present", "partly") else {})
    WeeklyFeedback.objects.bulk_create(feedback, batch_size=500)
    ratings = [FeedbackRating(feedback=f, competence_id=c, rating=r)
               for f, plan in zip(feedback, planned, strict=True) for c, r in plan.items()]
    FeedbackRating.objects.bulk_create(ratings, batch_size=1000)


def _seed_journey(ctx, workers, today):
    """Sara's Monday (docs/journeys.md): Lotte's action "zelfstandig een band vervangen" is past its date, and
    two of Sara's other workers have no feedback for last week. Only on the run that created the journey
    workers (trajects/demo.py), so a re-run never undoes what a user did in the demo."""
    journey = ctx.get("journey")
    if not journey:
        return
    lotte = journey.get("lotte")
    version = (PopVersion.objects.filter(pop__worker=lotte, status=PopStatus.APPROVED).order_by("-approved_on").first()
               if lotte else None)
    if version is not None:
        ImprovementAction.objects.create(version=version, what="Zelfstandig een band vervangen",
                                         supporter="Sara, technisch instructeur",
                                         how="Eerst samen, daarna alleen; Sara kijkt na",
                                         due_date=today - datetime.timedelta(days=9), position=9)
    coach_id = next(iter(journey.values())).coach_assignments.values_list("coach_id", flat=True).first()
    journey_ids = {w.pk for w in journey.values()}
    others = sorted((w for w in workers if w.status == WorkerStatus.ACTIVE and w.pk not in journey_ids
                     and w.coach_assignments.filter(coach_id=coach_id, end__isnull=True).exists()), key=lambda w: w.pk)
    last_week = monday_of(today) - datetime.timedelta(weeks=1)
    WeeklyFeedback.objects.filter(worker__in=others[:2], week_start__gte=last_week).delete()
    # Sara keeps up with her other workers' actions: Lotte's is the one past its date.
    ImprovementAction.objects.filter(version__pop__worker__in=others + [journey.get("jamal")],
                                     version__status=PopStatus.APPROVED, status=ActionStatus.OPEN,
                                     due_date__lt=today).update(status=ActionStatus.DONE)


def _seed_trainings(org, workers, today, rng, generic):
    active = [w for w in workers if w.status == WorkerStatus.ACTIVE]
    for n, (course, provider, kind, hours, cost) in enumerate(TRAININGS):
        start = today - datetime.timedelta(days=30 + 70 * n)
        training, created = Training.objects.get_or_create(
            organisation=org, course=course, start_date=start,
            defaults={"provider": provider, "provider_type": kind, "hours": hours, "cost": cost,
                      "end_date": start + datetime.timedelta(days=int(hours // 8))})
        if created:
            training.participants.set(rng.sample(active, min(len(active), rng.randint(3, 7))))
            training.competences.set([generic["Veiligheid op het werk"] if "veilig" in course.lower() or "EHBO" in course
                                      else generic["Nederlands op de werkvloer"] if "Nederlands" in course
                                      else generic["Klantvriendelijkheid"]])


def seed(ctx):
    rng, today = ctx["rng"], ctx["today"]
    generic, technical = _catalogue()
    for slug, data in ctx["organisations"].items():
        org, members = data["org"], data["members"]
        workers = ctx.get("workers", {}).get(slug, [])
        _seed_pops(org, workers, members, today, rng, generic, technical, plan_reviews=slug == "stroom")
        if slug == "stroom":
            _seed_feedback(org, workers, members, today, rng)
            _seed_journey(ctx, workers, today)
        _seed_trainings(org, workers, today, rng, generic)
        for worker in workers:
            services.pop_schedule_refresh(worker=worker)
        # One plan per organisation waits for the coordinator: the draft prepared from the year's feedback
        # by the coach, which the coordinator adjusts and approves in the review meeting (the yearly-review
        # journey, docs/journeys.md).
        due = sorted((w.pop_schedule for w in workers
                      if w.status == WorkerStatus.ACTIVE and hasattr(w, "pop_schedule")
                      and w.pop_schedule.next_due_kind == "yearly_review"), key=lambda s: s.next_due)
        if due and not PopVersion.objects.filter(organisation=org, status__in=["draft", "ready_for_review"]).exists():
            coach = (members.get(Role.COACH) or members[Role.COORDINATOR])[0].user
            version = services.pop_start(worker=due[0].worker, actor=coach, today=today)
            if version.actions.filter(~Q(status=ActionStatus.DROPPED)).count() < 2:
                ImprovementAction.objects.create(version=version, what="Zelf de weekplanning lezen en volgen",
                                                 supporter="Begeleider", how="Elke maandag samen overlopen",
                                                 due_date=today + datetime.timedelta(days=90), position=5)
                ImprovementAction.objects.create(version=version, what="Een dag meelopen in een gewoon bedrijf",
                                                 supporter="Jobcoach", how="Snuffelstage regelen",
                                                 due_date=today + datetime.timedelta(days=150), position=6)
