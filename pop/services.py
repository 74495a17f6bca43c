"""Every write of the pop app. Keyword-only arguments, `@service_atomic` (lde_portal/transactions.py), one audit entry per change."""

import dataclasses
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lde_portal import dates, uploads
from lde_portal.alerts.services import alerts_refresh, alerts_resolve
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import ConflictError, check_version
from lde_portal.transactions import service_atomic
from trajects.models import Employment, Worker, WorkerStatus
from trajects.rules import RuleSet, add_months
from trajects.selectors import ruleset

from . import rules
from .alerts import FEEDBACK_MISSING, RESOLVED_BY, feedback_subject
from .models import (
    OPEN_STATUSES,
    AckMethod,
    ActionStatus,
    Competence,
    CompetenceKind,
    CompetenceLevel,
    FeedbackDraft,
    FeedbackPreference,
    FeedbackRating,
    ImprovementAction,
    Pop,
    PopCompetence,
    PopSchedule,
    PopStatus,
    PopVersion,
    Presence,
    Punctuality,
    QueuedFeedback,
    Training,
    WeeklyFeedback,
    YearlyReview,
)

MIN_ACTIONS = 2
# The usual term of an improvement action (the demo plans and the coaches' practice: a few months).
ACTION_PERIOD_MONTHS = 3
ACTIVE_STATUSES = (WorkerStatus.ACTIVE, WorkerStatus.SUSPENDED)


# --------------------------------------------------------------------------- catalogue


@service_atomic
def competence_create(*, organisation, actor, data: dict, levels: list[str]) -> Competence:
    competence = Competence(organisation=organisation, **data)
    competence.full_clean(exclude=["organisation"])
    if Competence.objects.filter(organisation=organisation, kind=competence.kind,
                                 activity_type=competence.activity_type, name__iexact=competence.name).exists():
        raise ValidationError({"name": [_("This organisation already has a competence with this name.")]})
    competence.save()
    CompetenceLevel.objects.bulk_create(
        CompetenceLevel(competence=competence, level=i, descriptor=text) for i, text in enumerate(levels, start=1)
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=competence, organisation=organisation,
                 changes=diff({}, snapshot(competence, ["name", "kind", "activity_type"])))
    return competence


# --------------------------------------------------------------------------- schedule


def hire_date_of(worker) -> datetime.date | None:
    """The hire date that the first-POP deadline counts from: the earliest contract start."""
    return Employment.objects.filter(worker=worker).aggregate(d=Min("contract_start"))["d"]


def _alerts_refresh(organisation_id, worker_ids):
    """The POP and feedback alerts follow the change in the same request (the plan approved, the action
    done, the week logged), not at the next morning's scan."""
    if worker_ids:
        alerts_refresh(organisation_id=organisation_id, worker_ids=worker_ids, kinds=set(RESOLVED_BY))


def _feedback_alerts_resolve(organisation_id, worker_ids, week_start):
    """The week is logged: each worker's "feedback missing" alert about this week or an earlier one is
    answered (pop.alerts.feedback_missing counts from the last logged week and names the expected week in
    its subject key). One query, so the team screen keeps its budget."""
    alerts_resolve(organisation_id=organisation_id, kind=FEEDBACK_MISSING,
                   until_by_worker={w: feedback_subject(w, week_start) for w in worker_ids})


def pop_schedule_refresh(*, worker: Worker, rule_set: RuleSet | None = None) -> PopSchedule:
    """Recompute and store the worker's POP deadlines (`next_due` is what the alert scan reads)."""
    versions = PopVersion.objects.filter(pop__worker=worker)
    first_registered = versions.aggregate(d=Min("vdab_registered_on"))["d"]
    last_approved = (versions.filter(approved_on__isnull=False).order_by("-approved_on")
                     .values_list("approved_on", flat=True).first())
    hire = hire_date_of(worker)
    due = rules.pop_due(rule_set or ruleset(), hire_date=hire, first_registered_on=first_registered,
                        last_approved_on=last_approved, active=worker.status in ACTIVE_STATUSES)
    schedule, _created = PopSchedule.objects.update_or_create(
        worker=worker,
        defaults={"organisation_id": worker.organisation_id, "hire_date": hire, "first_pop_due": due.first_pop_due,
                  "first_registered_on": first_registered, "last_approved_on": last_approved,
                  "review_due": due.review_due, "next_due": due.next_due, "next_due_kind": due.next_due_kind},
    )
    return schedule


def pop_schedule_refresh_all(*, organisation=None) -> int:
    """Refresh every worker's schedule (the daily job: new hires and status changes happen in trajects)."""
    workers = Worker.objects.all()
    if organisation is not None:
        workers = workers.filter(organisation=organisation)
    count, rule_set = 0, ruleset()
    for worker in workers.iterator():
        pop_schedule_refresh(worker=worker, rule_set=rule_set)
        count += 1
    return count


# --------------------------------------------------------------------------- POP


def _lock(version: PopVersion) -> PopVersion:
    # The worker comes along (the schedule and the alerts need it); the lock stays on the plan and its POP.
    return PopVersion.objects.select_for_update(of=("self", "pop")).select_related("pop__worker").get(pk=version.pk)


def _next_number(pop: Pop) -> int:
    last = pop.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _round_level(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def yearly_preparation(*, worker: Worker, previous: PopVersion | None, today: datetime.date) -> dict:
    """What a year of weekly feedback says, for the next plan: average per competence over the last
    12 months, the observations flagged notable, and last plan's actions done or overdue."""
    since = add_months(today, -12)
    feedback = list(WeeklyFeedback.objects.filter(worker=worker, week_start__gte=since, week_start__lte=today)
                    .prefetch_related("ratings__competence").order_by("week_start"))
    sums = defaultdict(lambda: [0, 0, ""])
    for entry in feedback:
        for rating in entry.ratings.all():
            bucket = sums[rating.competence_id]
            bucket[0] += rating.rating
            bucket[1] += 1
            bucket[2] = rating.competence.name
    averages = {str(cid): {"name": name, "average": round(total / n, 2), "count": n}
                for cid, (total, n, name) in sums.items()}
    notable = [{"week": rules.iso_week_label(f.week_start), "date": f.week_start.isoformat(),
                "text": f.observation} for f in feedback if f.notable and f.observation]
    actions_done, actions_overdue = [], []
    if previous is not None:
        for action in previous.actions.all():
            if action.status == ActionStatus.DONE:
                actions_done.append(action.what)
            elif action.status == ActionStatus.OPEN and action.due_date and action.due_date < today:
                actions_overdue.append({"what": action.what, "due": action.due_date.isoformat()})
    return {"since": since.isoformat(), "until": today.isoformat(), "weeks": len(feedback),
            "averages": averages, "notable": notable, "actions_done": actions_done,
            "actions_overdue": actions_overdue,
            "previous_levels": {str(pc.competence_id): pc.current_level
                                for pc in (previous.competences.all() if previous else [])}}


def _job_target_text(worker) -> str:
    """The job target's occupation, sector and hours for a first POP. The childcare, pay and other conditions
    are confidential (throughflow.services.CONFIDENTIAL_JOB_TARGET_FIELDS) and a POP is printed for the
    worker and shown to VDAB: they are never copied."""
    target = apps.get_model("throughflow", "JobTarget").objects.filter(worker=worker).first()
    if target is None:
        return ""
    parts = [target.occupation, target.sector]
    if target.weekly_hours:
        hours = target.weekly_hours
        parts.append(_("%(hours)s h/week") % {"hours": int(hours) if hours == int(hours) else number_format(hours, 1)})
    return ", ".join(p for p in parts if p)[:300]


def _first_competences(worker, version, preparation) -> list:
    """A first POP starts from what the portal knows at hiring: the technical competences of the worker's
    activity and the generic competences the weekly feedback rates by default (the needs profile is
    confidential and stays out of the plan). The current level is the first weeks' average where there are
    ratings, else 1; the target one level up. The coach adjusts both with the worker."""
    activity_type = (Employment.objects.filter(worker=worker).order_by("-contract_start", "-id")
                     .values_list("activity__type", flat=True).first())
    competences = Competence.objects.filter(
        Q(kind=CompetenceKind.GENERIC, default_focus=True, organisation__isnull=True)
        | Q(kind=CompetenceKind.TECHNICAL, activity_type=activity_type or "-")
        & (Q(organisation__isnull=True) | Q(organisation_id=worker.organisation_id)), active=True).order_by("kind", "order", "name")
    rows = []
    for competence in competences:
        average = preparation["averages"].get(str(competence.pk))
        current = _round_level(average["average"]) if average else 1
        rows.append(PopCompetence(version=version, competence=competence, current_level=current,
                                  target_level=min(4, current + 1), focus=competence.default_focus))
    return rows


@service_atomic
def pop_start(*, worker: Worker, actor, today: datetime.date | None = None, year: int | None = None) -> PopVersion:
    """The worker's open POP draft, or a new one prepared from last year's plan and the feedback.

    The next yearly plan belongs to the year after the last plan (or this year, when that is later);
    a worker's first plan to this year. `year` names it instead, for a plan kept elsewhere before (an import).
    """
    today = today or timezone.localdate()
    Worker.objects.select_for_update().filter(pk=worker.pk).first()
    existing = (PopVersion.objects.filter(pop__worker=worker, status__in=OPEN_STATUSES)
                .order_by("-pop__year", "-number").first())
    if existing is not None:
        return existing
    previous = (PopVersion.objects.filter(pop__worker=worker).select_related("pop")
                .prefetch_related("competences__competence", "actions").order_by("-pop__year", "-number").first())
    if year is None:
        year = max(previous.pop.year + 1, today.year) if previous else today.year
    pop, _created = Pop.objects.get_or_create(worker=worker, year=year,
                                              defaults={"organisation_id": worker.organisation_id})
    preparation = yearly_preparation(worker=worker, previous=previous, today=today)
    version = PopVersion.objects.create(
        organisation_id=worker.organisation_id, pop=pop, number=_next_number(pop), created_by=actor,
        long_term_goal=previous.long_term_goal if previous else "",
        short_term_goal=previous.short_term_goal if previous else "",
        job_target=previous.job_target if previous else _job_target_text(worker), preparation=preparation,
    )
    if previous is None:
        PopCompetence.objects.bulk_create(_first_competences(worker, version, preparation))
    else:
        competences = []
        for pc in previous.competences.all():
            average = preparation["averages"].get(str(pc.competence_id))
            current = _round_level(average["average"]) if average else pc.current_level
            competences.append(PopCompetence(version=version, competence=pc.competence, current_level=current,
                                             target_level=max(pc.target_level, current), focus=pc.focus))
        PopCompetence.objects.bulk_create(competences)
        # Open actions carry over; done and dropped ones stay in last year's plan (and in the preparation).
        # A carried-over action already past its date would be overdue in the new plan from day one: it gets
        # a new date one usual action period ahead (the old one stays in the preparation's overdue list).
        proposed = add_months(today, ACTION_PERIOD_MONTHS)
        ImprovementAction.objects.bulk_create(
            ImprovementAction(version=version, what=a.what, supporter=a.supporter, how=a.how,
                              due_date=proposed if a.due_date and a.due_date < today else a.due_date,
                              status=a.status, position=a.position)
            for a in previous.actions.all() if a.status == ActionStatus.OPEN
        )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=version, worker_id=worker.pk,
                 summary=f"POP {year} v{version.number}")
    return version


def version_snapshot(version: PopVersion, competences=None, actions=None) -> dict:
    """A plan as {label: text}, to diff two versions (or a stored version and a submission)."""
    competences = list(version.competences.select_related("competence")) if competences is None else competences
    actions = list(version.actions.all()) if actions is None else actions
    data = {
        str(_("Long-term goal")): version.long_term_goal.strip(),
        str(_("Short-term goal")): version.short_term_goal.strip(),
        str(_("Job target")): version.job_target.strip(),
    }
    for pc in competences:
        focus = " ★" if pc.focus else ""
        data[_("Competence: %(name)s") % {"name": pc.competence.name}] = _("now %(current)s, target %(target)s") % {
            "current": pc.current_level, "target": pc.target_level} + focus
    for i, action in enumerate(actions, start=1):
        due = action.due_date.strftime("%d/%m/%Y") if action.due_date else "—"
        status = ActionStatus(action.status).label
        data[_("Action %(number)s") % {"number": i}] = f"{action.what} · {action.supporter or '—'} · {action.how or '—'} · {due} · {status}"
    return data


def snapshot_diff(before: dict, after: dict) -> list[dict]:
    """[{label, before, after}] for every label whose text differs (added or removed included)."""
    labels = list(before) + [k for k in after if k not in before]
    return [{"label": k, "before": before.get(k, ""), "after": after.get(k, "")}
            for k in labels if before.get(k, "") != after.get(k, "")]


@dataclasses.dataclass(frozen=True)
class RowChanges:
    """What a person changed in the rows of a stored plan: `changed` maps a stored row's pk to its new values,
    `removed` holds the pks of the rows they marked for removal, `added` the new rows. A stored row it does not
    name stays exactly as it is: how many rows a browser says it sent never removes one."""

    changed: dict = dataclasses.field(default_factory=dict)
    removed: frozenset = frozenset()
    added: list = dataclasses.field(default_factory=list)


COMPETENCE_ROW_FIELDS = ("competence", "current_level", "target_level", "focus")
ACTION_ROW_FIELDS = ("what", "supporter", "how", "due_date", "status")


def rows_after(changes, *, stored: list, fields: tuple, key: str | None = None) -> list[dict]:
    """The rows of the plan once `changes` (RowChanges) are applied to the `stored` rows, in their order, new rows
    last. A plain list is the whole new content, as code that builds a plan states it (demo data, tests).

    `key` names the field that identifies a row on its own (a plan holds a competence once): a new row for a
    competence that a stored row holds and the changes leave untouched sets that row instead of repeating it."""
    if not isinstance(changes, RowChanges):
        return changes
    by_pk = {row.pk: row for row in stored}
    named = set(changes.changed) | set(changes.removed)
    if not named <= set(by_pk) or set(changes.changed) & set(changes.removed):
        # Only a post built for another state of the plan names rows it does not hold: refuse it whole.
        raise ValidationError(_("The rows you sent are not the rows of this plan: nothing has been saved. "
                                "Reload the page and make your changes again."))
    added = list(changes.added)
    rows = []
    for row in stored:
        if row.pk in changes.removed:
            continue
        if row.pk in changes.changed:
            rows.append(dict(changes.changed[row.pk]))
            continue
        same = next((a for a in added if key and a.get(key) == getattr(row, key)), None)
        if same is not None:
            added.remove(same)
            rows.append(dict(same))
            continue
        rows.append({name: getattr(row, name) for name in fields})
    return rows + added


def _validate_content(competences: list[dict], actions: list[dict]):
    errors = {}
    seen = set()
    for item in competences:
        for key in ("current_level", "target_level"):
            if item[key] not in (1, 2, 3, 4):
                errors.setdefault("competences", []).append(_("Levels go from 1 to 4."))
        if item["competence"].pk in seen:
            errors.setdefault("competences", []).append(
                _("%(name)s is chosen twice.") % {"name": item["competence"].name})
        seen.add(item["competence"].pk)
    for item in actions:
        if not item.get("what", "").strip():
            errors.setdefault("actions", []).append(_("Describe what the worker will do for every action."))
    if errors:
        raise ValidationError(errors)


@service_atomic
def pop_update(*, version: PopVersion, actor, data: dict, competences: list[dict] | RowChanges,
               actions: list[dict] | RowChanges, expected_version=None) -> PopVersion:
    """Save a plan. A draft (or a plan under review) is changed in place; a change to an approved plan
    becomes a new draft version, so the approved one stays what was registered with VDAB.

    The edit form passes RowChanges: a row is removed only when the person marked it, never because a forged
    or truncated post left it out (rows_after). A list replaces the rows with exactly its content."""
    dates.require_fields("pop.PopVersion", data)
    locked = _lock(version)
    check_version(locked, expected_version)
    stored_competences = list(locked.competences.select_related("competence"))
    stored_actions = list(locked.actions.all())
    competences = rows_after(competences, stored=stored_competences, fields=COMPETENCE_ROW_FIELDS, key="competence")
    actions = rows_after(actions, stored=stored_actions, fields=ACTION_ROW_FIELDS)
    for action in actions:
        dates.require_fields("pop.ImprovementAction", action)
    _validate_content(competences, actions)
    if locked.status in (PopStatus.APPROVED, PopStatus.SUPERSEDED):
        if PopVersion.objects.filter(pop__worker_id=locked.pop.worker_id, status__in=OPEN_STATUSES).exists():
            raise ValidationError(_("There is already an open draft of this POP: change that one."))
        target = PopVersion.objects.create(
            organisation_id=locked.organisation_id, pop=locked.pop, number=_next_number(locked.pop),
            created_by=actor, **{k: getattr(locked, k) for k in ("long_term_goal", "short_term_goal", "job_target")},
        )
        before = version_snapshot(locked, stored_competences, stored_actions)
        action = AuditAction.CREATE
        # The source version also counts as changed, so a second stale form on it conflicts too.
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
    else:
        target = locked
        before = version_snapshot(locked, stored_competences, stored_actions)
        action = AuditAction.UPDATE
    for field, value in data.items():
        setattr(target, field, value)
    target.full_clean(exclude=["organisation", "pop", "created_by", "approved_by"])
    target.version += 1
    target.save()
    target.competences.all().delete()
    saved_competences = PopCompetence.objects.bulk_create(
        PopCompetence(version=target, competence=c["competence"], current_level=c["current_level"],
                      target_level=c["target_level"], focus=c.get("focus", True)) for c in competences
    )
    target.actions.all().delete()
    saved_actions = ImprovementAction.objects.bulk_create(
        ImprovementAction(version=target, what=a["what"].strip(), supporter=a.get("supporter", ""),
                          how=a.get("how", ""), due_date=a.get("due_date"), status=a.get("status") or "open",
                          position=i) for i, a in enumerate(actions)
    )
    # The rows just written, in the order the plan lists them (PopCompetence.Meta.ordering), not read back.
    saved_competences.sort(key=lambda pc: (pc.competence.kind, pc.competence.order, pc.competence.name))
    changes = snapshot_diff(before, version_snapshot(target, saved_competences, saved_actions))
    audit_record(actor=actor, action=action, obj=target, worker_id=locked.pop.worker_id,
                 changes={c["label"]: [c["before"], c["after"]] for c in changes})
    _alerts_refresh(locked.organisation_id, [locked.pop.worker_id])
    return target


def _require_minimum_content(locked: PopVersion):
    """docs/domain.md §3.4: the minimum content of a POP is current and target generic and technical
    competences and at least two improvement actions (checked on submission and on a direct approval)."""
    errors = []
    live_actions = [a for a in locked.actions.all() if a.status != ActionStatus.DROPPED]
    if len(live_actions) < MIN_ACTIONS:
        errors.append(_("A POP needs at least two improvement actions before it can be submitted for review "
                        "(now %(count)s). The draft is kept.") % {"count": len(live_actions)})
    kinds = {pc.competence.kind for pc in locked.competences.select_related("competence")}
    if CompetenceKind.GENERIC not in kinds:
        errors.append(_("Choose at least one generic competence with its current and target level."))
    if CompetenceKind.TECHNICAL not in kinds:
        errors.append(_("Choose at least one technical competence with its current and target level."))
    if errors:
        raise ValidationError(errors)


@service_atomic
def pop_submit(*, version: PopVersion, actor, expected_version=None) -> PopVersion:
    """Draft → ready for review. docs/domain.md §3.4: the minimum content of a POP is current and target
    generic and technical competences and at least two improvement actions."""
    locked = _lock(version)
    check_version(locked, expected_version)
    if locked.status != PopStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    _require_minimum_content(locked)
    locked.status = PopStatus.READY
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.pop.worker_id,
                 changes={"status": [PopStatus.DRAFT, PopStatus.READY]})
    return locked


@service_atomic
def pop_return_to_draft(*, version: PopVersion, actor) -> PopVersion:
    locked = _lock(version)
    if locked.status != PopStatus.READY:
        raise ValidationError(_("Only a plan under review can be sent back to draft."))
    locked.status = PopStatus.DRAFT
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.pop.worker_id,
                 changes={"status": [PopStatus.READY, PopStatus.DRAFT]})
    return locked


@service_atomic
def pop_approve(*, version: PopVersion, actor, on: datetime.date | None = None, expected_version=None,
                rule_set: RuleSet | None = None) -> PopVersion:
    """A coordinator approves a plan under review (or his own draft, in one step); the previously approved plan is superseded and the
    next deadlines (VDAB registration, yearly review) are recomputed."""
    dates.require(on=(dates.GUIDANCE, on))
    on = on or timezone.localdate()
    locked = _lock(version)
    check_version(locked, expected_version)
    before = locked.status
    if locked.status == PopStatus.DRAFT:
        # The approver drafts the plan with the worker in the review meeting: submitting it to himself
        # first would be a formality. The minimum content still holds.
        _require_minimum_content(locked)
    elif locked.status != PopStatus.READY:
        raise ValidationError(_("Only a draft or a plan that is ready for review can be approved."))
    worker_id = locked.pop.worker_id
    superseded = PopVersion.objects.filter(pop__worker_id=worker_id, status=PopStatus.APPROVED).exclude(pk=locked.pk)
    for old in superseded:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=old, worker_id=worker_id,
                     changes={"status": [PopStatus.APPROVED, PopStatus.SUPERSEDED]})
    superseded.update(status=PopStatus.SUPERSEDED)
    locked.status = PopStatus.APPROVED
    locked.approved_on = on
    locked.approved_by = actor
    locked.version += 1
    locked.save(update_fields=["status", "approved_on", "approved_by", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=worker_id,
                 changes={"status": [before, PopStatus.APPROVED]})
    pop_schedule_refresh(worker=locked.pop.worker, rule_set=rule_set)
    _alerts_refresh(locked.organisation_id, [worker_id])
    return locked


@service_atomic
def pop_register_vdab(*, version: PopVersion, actor, on: datetime.date, today: datetime.date | None = None,
                      expected_version=None, rule_set: RuleSet | None = None) -> PopVersion:
    dates.require(on=(dates.GUIDANCE, on))
    today = today or timezone.localdate()
    locked = _lock(version)
    # Two people recording the registration at once would each see an empty date: the second must not
    # overwrite the first one's date unseen.
    check_version(locked, expected_version)
    if locked.status not in (PopStatus.APPROVED, PopStatus.SUPERSEDED) or locked.approved_on is None:
        raise ValidationError({"on": [_("Only an approved plan can be registered with VDAB.")]})
    if on > today:
        raise ValidationError({"on": [_("The registration date cannot be in the future.")]})
    if on < locked.approved_on:
        raise ValidationError({"on": [_("The registration date is before the approval (%(date)s).")
                                      % {"date": locked.approved_on.strftime("%d/%m/%Y")}]})
    before = locked.vdab_registered_on
    locked.vdab_registered_on = on
    locked.version += 1
    locked.save(update_fields=["vdab_registered_on", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.pop.worker_id,
                 changes={"vdab_registered_on": [before.isoformat() if before else None, on.isoformat()]})
    pop_schedule_refresh(worker=locked.pop.worker, rule_set=rule_set)
    _alerts_refresh(locked.organisation_id, [locked.pop.worker_id])
    return locked


@service_atomic
def review_save(*, version: PopVersion, actor, data: dict, signature: str = "", upload=None,
                expected_version=None) -> YearlyReview:
    """The yearly review meeting and the worker's acknowledgement (drawn signature or signed printout)."""
    dates.require_fields("pop.YearlyReview", data)
    review = YearlyReview.objects.select_for_update().filter(pop_version=version).first()
    if review is not None:
        check_version(review, expected_version)
        before = snapshot(review, ["date", "participants", "conclusions", "worker_view", "ack_method"])
    else:
        review = YearlyReview(pop_version=version, organisation_id=version.organisation_id)
        before = {}
    for field, value in data.items():
        setattr(review, field, value)
    review.full_clean(exclude=["organisation", "pop_version", "ack_file"])
    if signature:
        review.ack_file.save("signature.png", uploads.drawn_signature(signature), save=False)
        review.ack_method, review.acknowledged_on = AckMethod.SIGNATURE, timezone.localdate()
    elif upload is not None:
        content = uploads.accept_upload(upload, "document", field="upload")
        review.ack_file.save(content.name, content, save=False)
        review.ack_method, review.acknowledged_on = AckMethod.UPLOAD, timezone.localdate()
    review.version += 1
    review.save()
    audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=review,
                 worker_id=version.pop.worker_id,
                 changes=diff(before, snapshot(review, ["date", "participants", "conclusions", "worker_view",
                                                         "ack_method"])))
    return review


# --------------------------------------------------------------------------- weekly feedback


def _rating_ok(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def _week_row_errors(*, week_start: datetime.date, rows: list, entries: dict, today: datetime.date) -> dict:
    """The refusals of one week's entries, per field name. A week that cannot be given feedback at all
    (not a Monday, in the future) raises at once: no row of it can be kept."""
    dates.require_model("pop.WeeklyFeedback", week_start=week_start)
    errors = {}
    if week_start.weekday() != 0:
        raise ValidationError({"week": [_("Choose a week (its Monday).")]})
    if week_start > rules.monday_of(today):
        raise ValidationError({"week": [_("This week is in the future: feedback can only be given for this "
                                          "week or earlier weeks.")]})
    week_end = week_start + datetime.timedelta(days=6)
    by_id = {row.worker.pk: row for row in rows}
    for worker_id, entry in entries.items():
        row = by_id[worker_id]
        prefix = f"w{worker_id}-"
        if row.hire_date is None or week_end < row.hire_date:
            errors[prefix + "presence"] = [_("%(name)s was not yet employed in this week (start %(date)s).") % {
                "name": row.worker.full_name,
                "date": row.hire_date.strftime("%d/%m/%Y") if row.hire_date else "—"}]
        if entry["presence"] not in Presence.values:
            errors[prefix + "presence"] = [_("Choose the presence.")]
        if entry.get("punctuality") and entry["punctuality"] not in Punctuality.values:
            errors[prefix + "punctuality"] = [_("Choose a valid option.")]
        allowed = {c.pk for c in row.competences}
        for competence_id, value in entry["ratings"].items():
            if competence_id not in allowed or not _rating_ok(value):
                errors[f"{prefix}c{competence_id}"] = [_("A rating goes from 1 to 4.")]
    return errors


def _store_week(*, author, week_start: datetime.date, rows: list, entries: dict) -> int:
    by_id = {row.worker.pk: row for row in rows}
    new, changed, rating_rows = [], [], []
    for worker_id, entry in entries.items():
        row = by_id[worker_id]
        fields = {"presence": entry["presence"], "punctuality": entry.get("punctuality", ""),
                  "observation": entry.get("observation", ""), "notable": bool(entry.get("notable")),
                  "next_step": entry.get("next_step", "")}
        if row.feedback is not None:
            for key, value in fields.items():
                setattr(row.feedback, key, value)
            row.feedback.author = author
            row.feedback.updated_at = timezone.now()
            row.feedback.version += 1
            changed.append(row.feedback)
        else:
            new.append(WeeklyFeedback(organisation_id=row.worker.organisation_id, worker=row.worker,
                                      week_start=week_start, author=author, **fields))
    if changed:
        FeedbackRating.objects.filter(feedback__in=changed).delete()
        WeeklyFeedback.objects.bulk_update(changed, ["presence", "punctuality", "observation", "notable",
                                                     "next_step", "author", "updated_at", "version"])
    if new:
        WeeklyFeedback.objects.bulk_create(new)
    for feedback in changed + new:
        for competence_id, value in entries[feedback.worker_id]["ratings"].items():
            rating_rows.append(FeedbackRating(feedback=feedback, competence_id=competence_id, rating=value))
    if rating_rows:
        FeedbackRating.objects.bulk_create(rating_rows)
    # One audit entry per worker's week, written in one statement to keep the team screen one POST.
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=author.user, action=AuditAction.UPDATE if f in changed else AuditAction.CREATE,
                   organisation_id=f.organisation_id, object_type="pop.weeklyfeedback", object_id=str(f.pk),
                   worker_id=f.worker_id, summary=rules.iso_week_label(week_start),
                   changes={"presence": [None, f.presence]})
        for f in changed + new
    )
    if changed or new:
        _feedback_alerts_resolve(author.organisation_id, [f.worker_id for f in changed + new], week_start)
    return len(changed) + len(new)


@service_atomic
def feedback_log_week(*, author, week_start: datetime.date, rows: list, entries: dict,
                      today: datetime.date | None = None) -> int:
    """Store one week of feedback for a coach's team in one go: all rows or none.

    `rows` are the team rows (selectors.TeamRow: worker, hire date, competences, existing feedback);
    `entries` maps worker id → {presence, punctuality, ratings{competence id: 1–4}, observation, notable,
    next_step}. Refused, with the message at the field: a week in the future, a week that ends before
    the worker's employment starts, a rating outside 1–4.
    """
    errors = _week_row_errors(week_start=week_start, rows=rows, entries=entries,
                              today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    count = _store_week(author=author, week_start=week_start, rows=rows, entries=entries)
    FeedbackDraft.objects.filter(coach=author, week_start=week_start).delete()
    return count


@dataclasses.dataclass
class WeekSubmit:
    saved: int
    # Worker ids of the rows refused, in screen order; their typed values and errors are in the draft.
    failed: list = dataclasses.field(default_factory=list)
    errors: dict = dataclasses.field(default_factory=dict)


def _stale_rows(*, rows: list, entries: dict, versions: dict) -> list:
    """The workers whose stored week changed since the screen showed it (its version), locked until the save
    commits. The refreshed versions go on the rows, so the save that follows counts on from what is stored."""
    by_feedback = {row.feedback.pk: row for row in rows if row.feedback is not None and row.worker.pk in entries
                   and row.worker.pk in versions}
    stale = []
    locked = WeeklyFeedback.objects.select_for_update().filter(pk__in=list(by_feedback)).values_list("pk", "version")
    for pk, version in locked:
        row = by_feedback[pk]
        row.feedback.version = version
        try:
            check_version(row.feedback, versions[row.worker.pk])
        except ConflictError:
            stale.append(row.worker.pk)
    return stale


@service_atomic
def feedback_submit_week(*, author, week_start: datetime.date, rows: list, entries: dict, errors: dict,
                         data: dict, keep_all: bool = False, today: datetime.date | None = None,
                         versions: dict | None = None) -> WeekSubmit:
    """"Save" on the team screen. `entries` are the rows the form could read, `errors` what it refused
    already (field name → messages), `data` every row field as typed.

    Without errors the week is stored and its draft removed. With errors, by the coach's preference:
    the correct rows are stored and the refused rows kept as the draft with their errors (the default), or
    (`keep_all`) nothing is stored and the whole screen is the draft. Either way nothing typed is lost.
    `versions` (worker id → the version the screen showed) refuses a row someone else saved meanwhile; the
    screen shown again carries the stored version, so saving it again is a conscious overwrite.
    """
    errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
    for name, messages in _week_row_errors(week_start=week_start, rows=rows, entries=entries,
                                           today=today or timezone.localdate()).items():
        known = errors.setdefault(name, [])
        known.extend(str(m) for m in messages if str(m) not in known)  # the form may have said it already
    for worker_id in _stale_rows(rows=rows, entries=entries, versions=versions or {}):
        errors.setdefault(f"w{worker_id}-presence", []).append(str(_(
            "Someone else changed this week's feedback in the meantime. Check what is saved now and press Save "
            "again to keep yours.")))
    failed = [row.worker.pk for row in rows if any(name.startswith(f"w{row.worker.pk}-") for name in errors)]
    if not failed:
        count = _store_week(author=author, week_start=week_start, rows=rows, entries=entries)
        FeedbackDraft.objects.filter(coach=author, week_start=week_start).delete()
        return WeekSubmit(saved=count)
    if keep_all:
        count, kept = 0, data
    else:
        valid = {worker_id: entry for worker_id, entry in entries.items() if worker_id not in failed}
        count = _store_week(author=author, week_start=week_start, rows=rows, entries=valid)
        prefixes = tuple(f"w{worker_id}-" for worker_id in failed)
        kept = {name: value for name, value in data.items() if name.startswith(prefixes)}
    FeedbackDraft.objects.update_or_create(
        coach=author, week_start=week_start,
        defaults={"organisation_id": author.organisation_id, "data": kept, "errors": errors})
    return WeekSubmit(saved=count, failed=failed, errors=errors)


@dataclasses.dataclass
class QueuedSubmit:
    feedback: WeeklyFeedback
    duplicate: bool = False


@service_atomic
def feedback_submit_queued(*, author, submission_id, week_start: datetime.date, row, entry: dict, errors: dict,
                           version, today: datetime.date | None = None) -> QueuedSubmit:
    """One worker's week from a phone's offline queue (static/js/offline.js): the team screen's checks and
    store, and the version of the week the phone showed when it was typed. Raises ConflictError with what is
    stored now when someone else saved the week meanwhile, ValidationError for a refused entry.

    Sending the same `submission_id` again (the phone lost the answer) stores nothing and answers as the first
    send did. Sends for one worker wait on the worker's row, so a resend racing the first finds it recorded."""
    Worker.objects.select_for_update().filter(pk=row.worker.pk).first()
    done = QueuedFeedback.objects.filter(submission_id=submission_id).select_related("feedback").first()
    if done is not None:
        if done.author_id != author.pk:
            raise ValidationError({"submission": [_("This entry was already sent by another user.")]})
        return QueuedSubmit(feedback=done.feedback, duplicate=True)
    if errors:
        raise ValidationError(errors)
    entries = {row.worker.pk: entry}
    errors = _week_row_errors(week_start=week_start, rows=[row], entries=entries,
                              today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    row.feedback = WeeklyFeedback.objects.filter(worker_id=row.worker.pk, week_start=week_start).first()
    if row.feedback is not None:
        # Version 0 means the phone saw no feedback for this week: one saved since is someone else's.
        check_version(row.feedback, version if version is not None else "")
    _store_week(author=author, week_start=week_start, rows=[row], entries=entries)
    feedback = row.feedback or WeeklyFeedback.objects.get(worker_id=row.worker.pk, week_start=week_start)
    QueuedFeedback.objects.create(submission_id=submission_id, organisation_id=author.organisation_id,
                                  author=author, feedback=feedback)
    return QueuedSubmit(feedback=feedback)


def _row_of(name: str) -> str:
    return name.split("-", 1)[0]


def feedback_draft_save(*, author, week_start: datetime.date, data: dict) -> FeedbackDraft:
    """"Save as draft" and the background autosave. The errors of the last "Save" stay beside their row
    until that row is changed: a row corrected since is no longer marked, one left alone still is."""
    dates.require_model(FeedbackDraft, week_start=week_start)
    draft = FeedbackDraft.objects.filter(coach=author, week_start=week_start).first()
    errors = {}
    if draft is not None and draft.errors:
        def typed(source, row):
            return {k: v for k, v in source.items() if _row_of(k) == row and v}
        errors = {name: messages for name, messages in draft.errors.items()
                  if typed(draft.data, _row_of(name)) == typed(data, _row_of(name))}
    draft, _created = FeedbackDraft.objects.update_or_create(
        coach=author, week_start=week_start,
        defaults={"organisation_id": author.organisation_id, "data": data, "errors": errors})
    return draft


def feedback_preference_set(*, membership, on_error: str) -> FeedbackPreference:
    preference, _created = FeedbackPreference.objects.get_or_create(membership=membership)
    if preference.on_error != on_error:
        preference.on_error = on_error
        preference.full_clean(exclude=["membership"])
        preference.save(update_fields=["on_error"])
    return preference


# --------------------------------------------------------------------------- trainings


@service_atomic
def training_save(*, organisation, actor, data: dict, competences, participants, certificate=None,
                  training: Training | None = None, expected_version=None) -> Training:
    """Create or change a training. The coordinators and coaches who manage trainings share them: a stale form
    raises ConflictError (lde_portal/concurrency.py)."""
    dates.require_fields("pop.Training", data)
    creating = training is None
    if creating:
        training = Training(organisation=organisation)
    else:
        training = Training.objects.select_for_update().get(pk=training.pk)
        check_version(training, expected_version)
        training.version += 1
    before = {} if creating else snapshot(training, ["course", "provider", "provider_type", "hours", "start_date",
                                                      "end_date", "cost"])
    for field, value in data.items():
        setattr(training, field, value)
    training.full_clean(exclude=["organisation", "certificate"])
    if any(w.organisation_id != organisation.pk for w in participants):
        raise ValidationError({"participants": [_("Choose workers of this organisation.")]})
    if certificate is not None:
        content = uploads.accept_upload(certificate, "document", field="certificate")
        training.certificate.save(content.name, content, save=False)
    training.save()
    training.competences.set(competences)
    training.participants.set(participants)
    audit_record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=training,
                 changes=diff(before, snapshot(training, ["course", "provider", "provider_type", "hours",
                                                           "start_date", "end_date", "cost"])))
    return training

