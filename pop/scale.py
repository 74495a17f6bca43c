"""Scale data (issue #10): five years of POPs, weekly feedback for every employed week, trainings.

POP deadlines (PopSchedule) are computed with `rules.pop_due` on the same inputs `services.
pop_schedule_refresh` reads (hire date, first VDAB registration, last approval), so the alert scan and
the review list see what the services would have stored. Feedback: one row per employed week over the
last five years (about a million at factor 1), rated on the worker's focus competences when present.
"""

import datetime
from decimal import Decimal

from trajects.models import WorkerStatus
from trajects.selectors import ruleset

from . import rules
from .demo import ACTIONS, GOALS_LONG, GOALS_SHORT, JOB_TARGETS, OBSERVATIONS, TRAININGS
from .models import (
    ActionStatus,
    Competence,
    CompetenceKind,
    FeedbackRating,
    ImprovementAction,
    Pop,
    PopCompetence,
    PopSchedule,
    PopStatus,
    PopVersion,
    Training,
    WeeklyFeedback,
    YearlyReview,
)

YEARS_KEPT = 5
ACTIVE = (WorkerStatus.ACTIVE, WorkerStatus.SUSPENDED)
PRESENCE = ["present", "partly", "absent", "sick", "leave"]
PRESENCE_WEIGHTS = [80, 8, 3, 6, 3]
PUNCTUALITY = ["on_time", "sometimes_late", "often_late"]
NEXT_STEPS = ["", "", "Verder oefenen", "Bespreken in het teamoverleg", "Volgende week opvolgen"]


def _catalogue():
    generic, technical = [], {}
    for c in Competence.objects.filter(organisation__isnull=True).order_by("kind", "order", "name"):
        if c.kind == CompetenceKind.GENERIC:
            generic.append(c.pk)
        else:
            technical.setdefault(c.activity_type, []).append(c.pk)
    return generic, technical


def _approvals(hire, end, rng, since):
    dates, current = [], hire + datetime.timedelta(days=rng.randint(10, 25))
    while current <= end:
        dates.append(current)
        current = current + datetime.timedelta(days=365 - rng.randint(0, 30))
    return [d for d in dates if d >= since]


def build(ctx):
    wr, today = ctx.writer, ctx.today
    rule_set = ruleset()
    generic, technical = _catalogue()
    since = today - datetime.timedelta(days=int(YEARS_KEPT * 365.25))
    this_week = rules.monday_of(today)
    by_org = {}
    for w in ctx.data["workers"]:
        by_org.setdefault(w.org.slug, []).append(w)
    for org in ctx.data["orgs"]:
        rng = ctx.rng(f"pop:{org.slug}")
        workers = by_org.get(org.slug, [])
        for w in workers:
            if w.hire is None:
                wr.add(PopSchedule, organisation_id=org.id, worker_id=w.id, hire_date=None, first_pop_due=None,
                       first_registered_on=None, last_approved_on=None, review_due=None, next_due=None,
                       next_due_kind="", refreshed_at=wr.now)
                continue
            end = w.exit or today
            chosen = rng.sample(generic[:8], 3) + technical.get(w.activity[1], technical.get("other", []))[:1]
            focus = chosen[:3]
            first_registered = last_approved = None
            recent = (today - w.hire).days < 200
            if not (recent and w.exit is None and rng.random() < 0.5):
                first_registered, last_approved = _pops(wr, w, org, rng, chosen, since, end, today)
            due = rules.pop_due(rule_set, hire_date=w.hire, first_registered_on=first_registered,
                                last_approved_on=last_approved, active=w.status in ACTIVE)
            wr.add(PopSchedule, organisation_id=org.id, worker_id=w.id, hire_date=w.hire,
                   first_pop_due=due.first_pop_due, first_registered_on=first_registered,
                   last_approved_on=last_approved, review_due=due.review_due, next_due=due.next_due,
                   next_due_kind=due.next_due_kind, refreshed_at=wr.now)
            _feedback(wr, w, org, rng, focus, since, end, this_week)
        _trainings(wr, org, workers, rng, generic, today, since)


def _pops(wr, w, org, rng, chosen, since, end, today):
    approver = wr_user(org, rng)
    approvals = _approvals(w.hire, end, rng, max(since, w.hire))
    pops, first_registered, last_approved = {}, None, None
    levels = [rng.randint(1, 2) for _ in chosen]
    for year_index, approved_on in enumerate(approvals):
        last = year_index == len(approvals) - 1
        year = approved_on.year
        if year in pops:
            pop_id, number = pops[year][0], pops[year][1] + 1
        else:
            pop_id, number = wr.add(Pop, organisation_id=org.id, worker_id=w.id, year=year, created_at=wr.now), 1
        pops[year] = (pop_id, number)
        registered = min(today, approved_on + datetime.timedelta(days=rng.randint(2, 12)))
        first_registered = first_registered or registered
        last_approved = approved_on
        created = datetime.datetime.combine(approved_on, datetime.time(10), datetime.UTC)
        vid = wr.add(PopVersion, organisation_id=org.id, pop_id=pop_id, number=number,
                     status=PopStatus.APPROVED if last else PopStatus.SUPERSEDED,
                     long_term_goal=GOALS_LONG[w.index % len(GOALS_LONG)],
                     short_term_goal=GOALS_SHORT[(w.index + year_index) % len(GOALS_SHORT)],
                     job_target=JOB_TARGETS[w.index % len(JOB_TARGETS)], preparation={}, submitted_at=created,
                     approved_on=approved_on, approved_by_id=approver, vdab_registered_on=registered,
                     created_by_id=approver, version=1, created_at=created, updated_at=created)
        for k, competence in enumerate(chosen):
            current = min(4, levels[k] + year_index)
            wr.add(PopCompetence, version_id=vid, competence_id=competence, current_level=current,
                   target_level=min(4, current + 1), focus=k != 3)
        for n in range(2 + (rng.random() < 0.3)):
            what, who, how = ACTIONS[(w.index + year_index + n) % len(ACTIONS)]
            wr.add(ImprovementAction, version_id=vid, what=what, supporter=who, how=how, position=n,
                   due_date=approved_on + datetime.timedelta(days=120 * (n + 1)),
                   status=ActionStatus.DONE if not last or n == 0 else ActionStatus.OPEN)
        wr.add(YearlyReview, organisation_id=org.id, pop_version_id=vid,
               date=approved_on - datetime.timedelta(days=3), participants=f"{w.first_name} {w.last_name}, coördinator",
               conclusions="Goede vooruitgang. Verder werken aan stiptheid en zelfstandigheid.",
               worker_view="Ik voel mij goed in het team.", ack_method="", ack_file="", acknowledged_on=None,
               version=1, updated_at=wr.now)
    return first_registered, last_approved


def wr_user(org, rng):
    """A coordinator of the organisation (its user id) approves the plans."""
    membership = rng.choice(org.coordinators)
    return org.users[membership]


def _feedback(wr, w, org, rng, focus, since, end, this_week):
    author = w.coaches[0] if w.coaches else None
    week = rules.monday_of(max(w.hire, since))
    last = rules.monday_of(end)
    if w.exit is None:
        # Feedback stops a few weeks back for some workers (the "feedback missing" alert), and this week's is
        # still to be given for a third of them (the team screen's "who has no feedback yet").
        if rng.random() < 0.1:
            last = last - datetime.timedelta(weeks=rng.randint(2, 6))
        elif w.index % 3 == 0:
            last = last - datetime.timedelta(weeks=1)
        last = min(last, this_week)
    base = [rng.uniform(1.3, 2.4) for _ in focus]
    step = datetime.timedelta(weeks=1)
    n = 0
    while week <= last:
        if rng.random() < 0.06:
            week += step
            n += 1
            continue
        presence = rng.choices(PRESENCE, weights=PRESENCE_WEIGHTS)[0]
        observation = rng.choice(OBSERVATIONS) if rng.random() < 0.4 else ""
        stamp = datetime.datetime.combine(week + datetime.timedelta(days=4), datetime.time(15), datetime.UTC)
        fid = wr.add(WeeklyFeedback, organisation_id=org.id, worker_id=w.id, week_start=week, presence=presence,
                     punctuality=rng.choices(PUNCTUALITY, weights=[70, 22, 8])[0], observation=observation,
                     notable=bool(observation) and rng.random() < 0.12, next_step=rng.choice(NEXT_STEPS),
                     author_id=author, created_at=stamp, updated_at=stamp)
        if presence in ("present", "partly"):
            progress = min(1.0, n / 104)
            for k, competence in enumerate(focus):
                rating = max(1, min(4, round(base[k] + 1.3 * progress + rng.uniform(-0.6, 0.6))))
                wr.add(FeedbackRating, feedback_id=fid, competence_id=competence, rating=rating)
        week += step
        n += 1


def _trainings(wr, org, workers, rng, generic, today, since):
    employed = [w for w in workers if w.hire is not None]
    if not employed:
        return
    through_workers = Training.participants.through
    through_competences = Training.competences.through
    for n in range(2 + len(employed) // 12):
        course, provider, kind, hours, cost = TRAININGS[n % len(TRAININGS)]
        start = since + datetime.timedelta(days=rng.randint(0, (today - since).days - 1))
        present = [w for w in employed if w.hire <= start and (w.exit is None or w.exit >= start)]
        if not present:
            continue
        tid = wr.add(Training, organisation_id=org.id, course=course, provider=provider, provider_type=kind,
                     hours=hours, start_date=start, end_date=start + datetime.timedelta(days=int(hours // 8)),
                     cost=cost or Decimal("0"), certificate="", created_at=wr.now)
        for w in rng.sample(present, min(len(present), rng.randint(3, 12))):
            wr.add(through_workers, training_id=tid, worker_id=w.id)
        wr.add(through_competences, training_id=tid, competence_id=generic[n % len(generic)])
