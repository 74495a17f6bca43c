"""Every read the pop views need, scoped by the acting membership."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import current_assignment_q, has_perm, workers_visible_to
from lde_portal.accounts.models import ActivityType, Membership
from lde_portal.dossier import visible_worker
from trajects.models import CoachAssignment, Employment, Worker, WorkerStatus
from trajects.selectors import current_activity, ruleset

from . import rules
from .models import (
    OPEN_STATUSES,
    Competence,
    CompetenceKind,
    FeedbackDraft,
    FeedbackPreference,
    FeedbackRating,
    OnFeedbackError,
    PopCompetence,
    PopSchedule,
    PopStatus,
    PopVersion,
    Training,
    WeeklyFeedback,
    YearlyReview,
)

ACTIVE_STATUSES = (WorkerStatus.ACTIVE, WorkerStatus.SUSPENDED)


# --------------------------------------------------------------------------- catalogue


def catalogue_for(organisation, *, kind=None, activity_type=None):
    """The sector-wide catalogue plus the organisation's own competences, with their level descriptors."""
    qs = Competence.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation), active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if activity_type:
        qs = qs.filter(activity_type=activity_type)
    return qs.prefetch_related("levels")


def competence_choices(organisation):
    return Competence.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation), active=True)


def worker_activity_type(worker) -> str:
    """The activity type of the worker's latest contract ("" without one)."""
    return (Employment.objects.filter(worker=worker).order_by("-contract_start", "-id")
            .values_list("activity__type", flat=True).first()) or ""


def competence_groups(organisation, activity_type: str) -> list:
    """The picker's choices in <optgroup>s: the technical competences of the worker's own activity first, then
    the generic ones, then the other activities' technical ones (a coach seldom needs those, but a worker may
    move to another activity). One query, shared by every row of the form."""
    competences = list(competence_choices(organisation).order_by("kind", "activity_type", "order", "name"))
    labels = dict(ActivityType.choices)

    def option(c):
        return (c.pk, c.name)

    own = [option(c) for c in competences if c.kind == CompetenceKind.TECHNICAL and c.activity_type == activity_type]
    generic = [option(c) for c in competences if c.kind == CompetenceKind.GENERIC]
    groups = []
    if own:
        groups.append((_("Technical: %(activity)s (this worker's activity)")
                       % {"activity": labels.get(activity_type, activity_type)}, own))
    groups.append((_("Generic competences"), generic))
    others = defaultdict(list)
    for c in competences:
        if c.kind == CompetenceKind.TECHNICAL and c.activity_type != activity_type:
            others[c.activity_type].append(option(c))
    for kind, options in others.items():
        groups.append((_("Technical: %(activity)s") % {"activity": labels.get(kind, kind or "—")}, options))
    return [("", "---------"), *groups]


# --------------------------------------------------------------------------- POP


def _version_prefetches():
    return [
        # The edit form maps its rows to the stored ones by position: the order must not leave ties.
        Prefetch("competences", queryset=PopCompetence.objects.select_related("competence")
                 .prefetch_related("competence__levels")
                 .order_by("competence__kind", "competence__order", "competence__name", "pk")),
        "actions",
    ]


@dataclass
class PopPage:
    worker: Worker
    versions: list
    shown: PopVersion | None
    open_version: PopVersion | None
    approved: PopVersion | None
    schedule: PopSchedule | None
    trainings: list
    training_hours: float = 0
    registration_due: datetime.date | None = None


def pop_page(membership: Membership, pk) -> PopPage:
    worker = visible_worker(membership, pk)
    versions = list(
        PopVersion.objects.filter(pop__worker=worker).select_related("pop", "approved_by", "review")
        .prefetch_related(*_version_prefetches()).order_by("-pop__year", "-number")
    )
    open_version = next((v for v in versions if v.status in OPEN_STATUSES), None)
    approved = next((v for v in versions if v.status == PopStatus.APPROVED), None)
    schedule = PopSchedule.objects.filter(worker=worker).first()
    trainings = list(worker_trainings(worker))
    due = None
    if approved is not None and approved.vdab_registered_on is None:
        # The rule table is read only for a later plan: the first POP's deadline is stored in the schedule.
        rule_set = ruleset() if schedule is not None and schedule.first_registered_on else None
        due = rules.registration_due(rule_set, approved_on=approved.approved_on,
                                     first_pop_due=schedule.first_pop_due if schedule else None,
                                     first_registered_on=schedule.first_registered_on if schedule else None)
    return PopPage(worker, versions, open_version or approved or (versions[0] if versions else None), open_version,
                   approved, schedule, trainings, float(sum(t.hours for t in trainings)), due)


def worker_trainings(worker):
    return Training.objects.filter(participants=worker).prefetch_related("competences").order_by("-start_date")


def pop_version_for(membership: Membership, pk, version_pk) -> tuple[Worker, PopVersion]:
    worker = visible_worker(membership, pk)
    version = get_object_or_404(
        PopVersion.objects.select_related("pop", "approved_by").prefetch_related(*_version_prefetches()),
        pk=version_pk, pop__worker=worker,
    )
    return worker, version


def pop_history(membership: Membership, pk):
    worker = visible_worker(membership, pk)
    versions = list(
        PopVersion.objects.filter(pop__worker=worker).select_related("pop", "approved_by", "created_by")
        .prefetch_related(*_version_prefetches()).order_by("pop__year", "number")
    )
    return worker, versions


@dataclass
class PopStatusSummary:
    """What another app (indication: "update the POP 10 days before a VDAB visit") needs to know."""

    current: PopVersion | None
    open_version: PopVersion | None
    last_approved_on: datetime.date | None
    last_registered_on: datetime.date | None
    next_due: datetime.date | None
    next_due_kind: str


def pop_status_for(worker: Worker) -> PopStatusSummary:
    versions = list(PopVersion.objects.filter(pop__worker=worker).select_related("pop")
                    .order_by("-pop__year", "-number"))
    schedule = PopSchedule.objects.filter(worker=worker).first()
    approved = next((v for v in versions if v.status == PopStatus.APPROVED), None)
    registered = [v.vdab_registered_on for v in versions if v.vdab_registered_on]
    return PopStatusSummary(
        current=approved, open_version=next((v for v in versions if v.status in OPEN_STATUSES), None),
        last_approved_on=approved.approved_on if approved else None,
        last_registered_on=max(registered) if registered else None,
        next_due=schedule.next_due if schedule else None, next_due_kind=schedule.next_due_kind if schedule else "",
    )


def pop_updated_on(worker: Worker) -> datetime.date | None:
    """The last registration with VDAB or approval of the worker's POP (dossier fact "pop.updated_on", shown
    on the Indicering tab before a VDAB evaluation visit)."""
    status = pop_status_for(worker)
    dates = [d for d in (status.last_registered_on, status.last_approved_on) if d]
    return max(dates) if dates else None


def review_for(version):
    """The yearly review recorded on this POP version, or None."""
    return YearlyReview.objects.filter(pop_version=version).first()


def review_list(membership: Membership, *, today: datetime.date | None = None, horizon_days: int = 60):
    """Every active worker's POP due in the next `horizon_days` days or overdue, with the current coaches."""
    today = today or timezone.localdate()
    return (
        PopSchedule.objects.filter(worker__in=workers_visible_to(membership).filter(status__in=ACTIVE_STATUSES),
                                   next_due__isnull=False, next_due__lte=today + datetime.timedelta(days=horizon_days))
        .select_related("worker")
        .annotate(has_open=Exists(PopVersion.objects.filter(pop__worker=OuterRef("worker_id"),
                                                            status__in=OPEN_STATUSES)))
        .prefetch_related(Prefetch("worker__coach_assignments",
                                   queryset=CoachAssignment.objects.filter(current_assignment_q())
                                   .select_related("coach__user"), to_attr="current_assignments"))
        .order_by("next_due", "worker__last_name")
    )


# --------------------------------------------------------------------------- weekly feedback


@dataclass
class TeamRow:
    worker: Worker
    hire_date: datetime.date | None
    competences: list = field(default_factory=list)
    feedback: WeeklyFeedback | None = None
    ratings: dict = field(default_factory=dict)


def focus_competences(worker_ids, organisation_id, *, with_levels: bool = False) -> dict[int, list]:
    """The competences each worker is rated on: those in focus in the current (approved) POP; without
    one, those of the plan being drafted; without any plan, the catalogue's default focus competences.
    `with_levels`: their four level descriptors too (one query more, whatever the team size)."""
    rows = list(PopCompetence.objects.filter(version__pop__worker_id__in=worker_ids, focus=True,
                                             version__status__in=[PopStatus.APPROVED, *OPEN_STATUSES])
                .values_list("version__pop__worker_id", "version__status", "version__pop__year",
                             "version__number", "competence_id"))
    best: dict[int, tuple] = {}
    by_version = defaultdict(list)
    for worker_id, status, year, number, _competence in rows:
        rank = (status == PopStatus.APPROVED, year, number)
        if worker_id not in best or rank > best[worker_id]:
            best[worker_id] = rank
    competence_ids = set()
    for worker_id, status, year, number, competence_id in rows:
        if best.get(worker_id) == (status == PopStatus.APPROVED, year, number):
            by_version[worker_id].append(competence_id)
            competence_ids.add(competence_id)
    missing = [w for w in worker_ids if w not in by_version]
    defaults = []
    query = Q(pk__in=competence_ids)
    if missing:
        query |= Q(default_focus=True, kind=CompetenceKind.GENERIC, organisation__isnull=True)
    competence_qs = Competence.objects.filter(query).order_by("kind", "order", "name")
    if with_levels:
        competence_qs = competence_qs.prefetch_related("levels")
    competences = {c.pk: c for c in competence_qs}
    if missing:
        defaults = [c for c in competences.values() if c.default_focus and c.organisation_id is None]
    result = {}
    for worker_id in worker_ids:
        ids = by_version.get(worker_id)
        result[worker_id] = [competences[i] for i in ids if i in competences] if ids else defaults
    return result


def team_workers(membership: Membership):
    """The workers a coach gives weekly feedback to: active and currently assigned to them."""
    assigned = CoachAssignment.objects.filter(current_assignment_q(), coach=membership).values("worker_id")
    return (Worker.objects.filter(organisation_id=membership.organisation_id, status__in=ACTIVE_STATUSES,
                                  pk__in=assigned)
            .annotate(hire_date=Subquery(Employment.objects.filter(worker=OuterRef("pk"))
                                         .order_by("contract_start").values("contract_start")[:1]))
            .order_by("last_name", "first_name", "id"))


def team_week(membership: Membership, week_start: datetime.date, *, with_levels: bool = True,
              worker_id: int | None = None) -> tuple[list[TeamRow], FeedbackDraft | None]:
    """The team screen's rows; with `worker_id`, that worker's row only (none when no longer on the team)."""
    workers = team_workers(membership)
    workers = list(workers.filter(pk=worker_id) if worker_id is not None else workers)
    ids = [w.pk for w in workers]
    focus = focus_competences(ids, membership.organisation_id, with_levels=with_levels)
    existing = {f.worker_id: f for f in WeeklyFeedback.objects.filter(worker_id__in=ids, week_start=week_start)
                .prefetch_related("ratings")}
    rows = []
    for worker in workers:
        feedback = existing.get(worker.pk)
        ratings = {r.competence_id: r.rating for r in feedback.ratings.all()} if feedback else {}
        rows.append(TeamRow(worker, worker.hire_date, focus[worker.pk], feedback, ratings))
    draft = FeedbackDraft.objects.filter(coach=membership, week_start=week_start).first()
    return rows, draft


def worker_card(membership: Membership, pk):
    """What a coach keeps of a worker on the phone for offline use: name, activity and the competences in
    focus with their level descriptors. Nothing of the dossier (no INSZ, nothing confidential)."""
    worker = visible_worker(membership, pk)
    worker.current_activity_name = (Worker.objects.filter(pk=worker.pk).annotate(**current_activity())
                                    .values_list("current_activity_name", flat=True).first())
    return worker, focus_competences([worker.pk], membership.organisation_id, with_levels=True)[worker.pk]


def feedback_on_error(membership: Membership) -> str:
    """What "Save" does on the team screen when some rows have an error (the member's own choice)."""
    preference = FeedbackPreference.objects.filter(membership=membership).values_list("on_error", flat=True).first()
    return preference or OnFeedbackError.SAVE_VALID


def feedback_history(membership: Membership, pk, *, weeks: int = 52):
    worker = visible_worker(membership, pk)
    entries = list(
        WeeklyFeedback.objects.filter(worker=worker).select_related("author__user")
        .prefetch_related(Prefetch("ratings", queryset=FeedbackRating.objects.select_related("competence")))
        .order_by("-week_start")[:weeks]
    )
    return worker, entries


# --------------------------------------------------------------------------- trainings


def training_list(membership: Membership, *, q="", provider_type=None, year=None, competence=None, worker=None):
    """Trainings of the organisation; a coach sees those with at least one of their workers and only
    those participants."""
    visible = workers_visible_to(membership)
    qs = Training.objects.filter(organisation_id=membership.organisation_id)
    if not has_perm(membership, "worker.view_all"):
        qs = qs.filter(participants__in=visible).distinct()
    if q:
        qs = qs.filter(Q(course__icontains=q) | Q(provider__icontains=q))
    if provider_type:
        qs = qs.filter(provider_type=provider_type)
    if year:
        qs = qs.filter(start_date__year=year)
    if competence:
        qs = qs.filter(competences=competence)
    if worker:
        qs = qs.filter(participants=worker)
    return (qs.annotate(n_participants=Count("participants", filter=Q(participants__in=visible), distinct=True))
            .prefetch_related("competences", Prefetch("participants", queryset=visible.order_by("last_name"),
                                                      to_attr="visible_participants"))
            .order_by("-start_date", "-id"))


def training_for(membership: Membership, pk) -> Training:
    training = get_object_or_404(Training.objects.prefetch_related("competences", "participants"),
                                 pk=pk, organisation_id=membership.organisation_id)
    # A coach may open a training without participants yet (just created) or one with their workers.
    if not has_perm(membership, "worker.view_all") and training.participants.exists() and not training.participants.filter(
            pk__in=workers_visible_to(membership).values("pk")).exists():
        raise Http404
    return training


def trainable_workers(membership: Membership):
    return workers_visible_to(membership).exclude(status=WorkerStatus.EXITED).order_by("last_name", "first_name")



# --------------------------------------------------------------------------- printable facts (documents)
# These return plain values only (no model instances): the document builders print them, and the browser
# print view shows the same content.


def plain_pop(version: PopVersion) -> dict:
    """The plain-language content of one POP version (prefetched with _version_prefetches)."""
    competences = []
    for pc in version.competences.all():
        levels = {lvl.level: lvl.descriptor for lvl in pc.competence.levels.all()}
        competences.append({"name": pc.competence.name, "now": pc.current_level, "target": pc.target_level,
                            "now_text": levels.get(pc.current_level, ""),
                            "target_text": levels.get(pc.target_level, "")})
    actions = [{"what": a.what, "supporter": a.supporter, "how": a.how, "due_date": a.due_date,
                "done": a.status == "done"}
               for a in version.actions.all() if a.status != "dropped"]
    goals = {"long_term": version.long_term_goal, "short_term": version.short_term_goal,
             "job_target": version.job_target}
    return {"competences": competences, "actions": actions, "goals": goals}


def approved_versions(worker_id):
    """The worker's POP versions that were approved (the current one and the superseded ones)."""
    return (PopVersion.objects.filter(pop__worker_id=worker_id, approved_on__isnull=False,
                                      status__in=[PopStatus.APPROVED, PopStatus.SUPERSEDED])
            .select_related("pop").order_by("-pop__year", "-number"))


def printable_pop_version(worker_id, version_pk) -> PopVersion | None:
    return (approved_versions(worker_id).filter(pk=version_pk)
            .prefetch_related(*_version_prefetches()).first())


def confirmed_competences(worker_id) -> list[dict]:
    """Per competence of the approved POP versions: the highest level confirmed and the approval date of
    the version that first confirmed that level (docs/domain.md §6: the attestation shows what was reached
    and when it was confirmed)."""
    rows = (PopCompetence.objects.filter(version__pop__worker_id=worker_id, version__approved_on__isnull=False,
                                         version__status__in=[PopStatus.APPROVED, PopStatus.SUPERSEDED])
            .values_list("competence_id", "current_level", "version__approved_on"))
    best: dict[int, tuple] = {}
    for competence_id, level, approved_on in rows:
        known = best.get(competence_id)
        if known is None or level > known[0] or (level == known[0] and approved_on < known[1]):
            best[competence_id] = (level, approved_on)
    if not best:
        return []
    competences = list(Competence.objects.filter(pk__in=best).prefetch_related("levels")
                       .order_by("kind", "order", "name"))
    result = []
    for c in competences:
        descriptors = {lvl.level: lvl.descriptor for lvl in c.levels.all()}
        level, confirmed_on = best[c.pk]
        result.append({"id": c.pk, "name": c.name, "kind": c.kind, "level": level,
                       "level_label": descriptors.get(level, ""), "confirmed_on": confirmed_on})
    return result


def finished_trainings(worker_id, *, today=None):
    """The trainings the worker took part in that are over (an attestation states a finished course)."""
    today = today or timezone.localdate()
    return (Training.objects.filter(participants__pk=worker_id)
            .filter(Q(end_date__lte=today) | Q(end_date__isnull=True, start_date__lte=today))
            .order_by("-start_date", "-id"))
