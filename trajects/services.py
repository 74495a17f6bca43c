"""Every write of the worker register. Keyword-only arguments, one audit entry per meaningful change."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal import dates, uploads
from lde_portal.alerts.services import alerts_refresh
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic

from . import rules
from .models import (
    ClosedReason,
    CoachAssignment,
    Employment,
    Extension,
    ExtensionReason,
    Milestone,
    PhaseDefinition,
    PhasePeriod,
    Regime,
    SineStatus,
    StatusChange,
    Suspension,
    SuspensionReason,
    Trajectory,
    TrajectoryDeadline,
    Worker,
    WorkerStatus,
)
from .selectors import ruleset


def _duplicate_insz_error():
    return ValidationError({"insz": [_("A worker with this INSZ number already exists in this organisation.")]})


def suggested_fte(weekly_hours) -> Decimal:
    """FTE fraction of a contract: weekly hours ÷ full-time hours (PORTAL_FULL_TIME_HOURS)."""
    fte = Decimal(str(weekly_hours)) / Decimal(str(settings.PORTAL_FULL_TIME_HOURS))
    return min(Decimal("1"), fte.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


@service_atomic
def worker_create(*, organisation, actor, data: dict, status: str, status_date, employment: dict | None = None,
                  coach=None, coach_role=None) -> Worker:
    dates.require_fields(Worker, data)
    dates.require(status_date=(dates.WORKING_LIFE, status_date))
    worker = Worker(organisation=organisation, status=status, status_since=status_date, **data)
    worker.full_clean(exclude=["organisation"])
    if Worker.objects.filter(organisation=organisation, insz=worker.insz).exists():
        raise _duplicate_insz_error()
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        # Two coordinators registering the same person at once: the unique constraint decides.
        raise _duplicate_insz_error() from None
    StatusChange.objects.create(
        organisation=organisation, worker=worker, status=status, date=status_date, created_by=actor
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=worker, worker_id=worker.pk,
                 changes=diff({}, snapshot(worker, ["first_name", "last_name", "status"])))
    if employment:
        employment_add(worker=worker, actor=actor, data=employment)
    if coach is not None:
        coach_assign(worker=worker, actor=actor, coach=coach, role=coach_role or "job_coach", start=status_date)
    return worker


@service_atomic
def worker_update(*, worker: Worker, actor, data: dict, expected_version=None) -> Worker:
    dates.require_fields(Worker, data)
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(locked, expected_version)
    before = snapshot(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["organisation"])
    if Worker.objects.filter(organisation_id=locked.organisation_id, insz=locked.insz).exclude(pk=locked.pk).exists():
        raise _duplicate_insz_error()
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked))
    changes.pop("version", None)
    changes.pop("updated_at", None)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.pk, changes=changes)
    return locked


@service_atomic
def worker_change_status(*, worker: Worker, actor, status: str, date, note: str = "") -> StatusChange:
    dates.require_model(StatusChange, date=date)
    if status not in WorkerStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    last = worker.status_changes.order_by("-date", "-id").first()
    if last and date < last.date:
        raise ValidationError(
            {"date": [_("The date is before the previous status change (%(date)s).") % {"date": last.date.strftime("%d/%m/%Y")}]}
        )
    change = StatusChange.objects.create(
        organisation_id=worker.organisation_id, worker=worker, status=status, date=date, note=note, created_by=actor
    )
    before = worker.status
    Worker.objects.filter(pk=worker.pk).update(status=status, status_since=date, version=worker.version + 1)
    worker.status, worker.status_since, worker.version = status, date, worker.version + 1
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=worker, worker_id=worker.pk,
                 changes={"status": [before, status]}, summary=note)
    return change


@service_atomic
def employment_add(*, worker: Worker, actor, data: dict) -> Employment:
    dates.require_fields(Employment, data)
    data = dict(data)
    if not data.get("fte") and data.get("weekly_hours"):
        data["fte"] = suggested_fte(data["weekly_hours"])
    employment = Employment(organisation_id=worker.organisation_id, worker=worker, **data)
    employment.full_clean(exclude=["organisation", "worker"])
    if employment.activity.organisation_id != worker.organisation_id:
        raise ValidationError({"activity": [_("This activity does not belong to this organisation.")]})
    employment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=employment, worker_id=worker.pk,
                 changes=diff({}, snapshot(employment, ["activity_id", "contract_start", "contract_end", "weekly_hours", "fte"])))
    return employment


@service_atomic
def employment_update(*, employment: Employment, actor, data: dict, expected_version=None) -> Employment:
    """Shared record (the coordinator and the admin both keep contracts up to date): a stale form raises
    ConflictError (lde_portal/concurrency.py)."""
    dates.require_fields(Employment, data)
    locked = Employment.objects.select_for_update().get(pk=employment.pk)
    check_version(locked, expected_version)
    before = snapshot(locked)
    data = dict(data)
    if not data.get("fte") and data.get("weekly_hours"):
        data["fte"] = suggested_fte(data["weekly_hours"])
    for field, value in data.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["organisation", "worker"])
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked))
    changes.pop("version", None)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id, changes=changes)
    return locked


@service_atomic
def coach_assign(*, worker: Worker, actor, coach, role: str, start, end=None) -> CoachAssignment:
    dates.require_model(CoachAssignment, start=start, end=end)
    if coach.organisation_id != worker.organisation_id or not coach.active:
        raise ValidationError({"coach": [_("Choose an active member of this organisation.")]})
    overlapping = CoachAssignment.objects.filter(worker=worker, coach=coach, role=role).exclude(end__lt=start)
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        raise ValidationError({"coach": [_("This coach is already assigned with this role in that period.")]})
    assignment = CoachAssignment(
        organisation_id=worker.organisation_id, worker=worker, coach=coach, role=role, start=start, end=end
    )
    assignment.full_clean(exclude=["organisation", "worker"])
    assignment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assignment, worker_id=worker.pk,
                 summary=f"{coach.user} ({role})")
    return assignment


@service_atomic
def coach_unassign(*, assignment: CoachAssignment, actor, end, seen_open: bool = False) -> CoachAssignment:
    """End an assignment. `seen_open`: the caller showed it as open (the End form, offered for open assignments
    only); if someone ended it in the meantime, their end date stands and this call is refused."""
    dates.require_model(CoachAssignment, end=end)
    assignment = CoachAssignment.objects.select_for_update().select_related("coach__user").get(pk=assignment.pk)
    if seen_open and assignment.end is not None:
        raise ValidationError(_("Someone else ended this assignment in the meantime (up to and including "
                                "%(date)s). Nothing was changed.") % {"date": assignment.end.strftime("%d/%m/%Y")})
    if end < assignment.start:
        raise ValidationError({"end": [_("The end date is before the start date of the assignment.")]})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=assignment, worker_id=assignment.worker_id,
                 changes={"end": [None, end.isoformat()]})
    return assignment


# =========================================================================== trajectories (issue #3)
# Every change to a trajectory recomputes its planned end and stored deadlines with rules.compute()
# in the same transaction, so TrajectoryDeadline never disagrees with the facts.

_TRAJECTORY_AUDIT_FIELDS = ["regime", "start", "decision_date", "opened_on", "planned_end", "closed_on",
                            "closed_reason", "current_phase_id"]


def _facts(trajectory, *, suspensions=None, extensions=None, regime=None, start=None, decision_date=None):
    if suspensions is None:
        suspensions = Suspension.objects.filter(trajectory=trajectory) if trajectory.pk else []
    if extensions is None:
        extensions = Extension.objects.filter(trajectory=trajectory) if trajectory.pk else []
    return rules.Facts(
        regime=regime or trajectory.regime,
        start=start or trajectory.start,
        decision_date=decision_date if decision_date is not None else trajectory.decision_date,
        birth_date=trajectory.worker.birth_date,
        suspensions=[rules.Suspension(s.start, s.end, s.reason) for s in suspensions],
        extensions=[rules.Extension(e.months, e.reason, e.decision_date)
                    for e in sorted(extensions, key=lambda e: (e.decision_date, e.pk or 0))],
    )


def _violation(exc: "rules.RuleViolation", field_by_word: dict, default: str) -> ValidationError:
    """Put a rules.py RuleViolation on the form field it is about (its Dutch message as is)."""
    text = exc.message_nl.lower()
    field = next((f for word, f in field_by_word.items() if word in text), default)
    return ValidationError({field: [exc.message_nl]})


def _compute(make_facts, *, fields: dict, default: str, rule_set=None, today=None):
    """rules.compute() on the facts `make_facts()` builds; any RuleViolation becomes a field error."""
    try:
        return rules.compute(rule_set or ruleset(), make_facts(), today or timezone.localdate())
    except rules.RuleViolation as exc:
        raise _violation(exc, fields, default) from None
    except rules.RuleNotFound as exc:
        raise ValidationError({default: [str(exc)]}) from None


def _alerts_refresh(trajectory):
    """The worker's alerts follow the change at once (an extension moves the end, a closed trajectory has
    nothing due, a new DWSE decision supersedes the old advice), not at the next morning's scan. Every
    kind runs: other apps' alerts read the trajectory too."""
    alerts_refresh(organisation_id=trajectory.organisation_id, worker_ids=[trajectory.worker_id])


@service_atomic
def trajectory_evaluation_requested(*, trajectory, requested_on):
    """The indication app recorded (or moved) a VDAB evaluation request while this trajectory is open:
    it answers the evaluation deadlines and the end alert (trajects/alerts.py). `requested_on` is the
    latest request of the trajectory, or None when there is none any more. No version bump: this is a
    fact from another record, not an edit of the trajectory."""
    Trajectory.objects.filter(pk=trajectory.pk).update(evaluation_requested_on=requested_on)
    trajectory.evaluation_requested_on = requested_on
    _alerts_refresh(trajectory)
    return trajectory


def deadlines_refresh(*, trajectory, rule_set=None, today=None):
    """Recompute planned end, term start, stored deadlines and next_due of one trajectory.

    Closed trajectories keep their planned end for the history but have no deadline rows and no
    next_due: nothing is due any more. next_due is the first deadline on or after `today`; the daily
    `trajectory_deadlines_refresh` command rolls it forward as days pass.
    """
    today = today or timezone.localdate()
    TrajectoryDeadline.objects.filter(trajectory=trajectory).delete()
    if trajectory.closed_on is not None:
        trajectory.next_due, trajectory.next_due_kind = None, ""
        _update_fields(trajectory, ["next_due", "next_due_kind"])
        return None
    result = rules.compute(rule_set or ruleset(), _facts(trajectory), today)
    TrajectoryDeadline.objects.bulk_create(
        TrajectoryDeadline(organisation_id=trajectory.organisation_id, worker_id=trajectory.worker_id,
                           trajectory=trajectory, kind=d.kind, due=d.due, rule=d.rule[:300], source=d.source[:300],
                           reason=[list(step) for step in d.reason])
        for d in result.deadlines
    )
    upcoming = next((d for d in result.deadlines if d.due >= today), None)
    trajectory.planned_end, trajectory.term_start = result.planned_end, result.term_start
    trajectory.next_due = upcoming.due if upcoming else None
    trajectory.next_due_kind = upcoming.kind if upcoming else ""
    _update_fields(trajectory, ["planned_end", "term_start", "next_due", "next_due_kind"])
    return result


def _update_fields(trajectory, fields):
    """A plain UPDATE of the given fields: the version is bumped once per service call by _bump()."""
    Trajectory.objects.filter(pk=trajectory.pk).update(**{f: getattr(trajectory, f) for f in fields})


def _lock(trajectory, expected_version):
    locked = Trajectory.objects.select_for_update().select_related("worker").get(pk=trajectory.pk)
    check_version(locked, expected_version)
    return locked


def _bump(trajectory):
    trajectory.version += 1
    Trajectory.objects.filter(pk=trajectory.pk).update(version=trajectory.version)


_START_FIELDS = {"beslissingsdatum": "decision_date", "kwartaal": "decision_date", "regime": "regime",
                 "schorsing": "start", "verlenging": "start"}


@service_atomic
def trajectory_start(*, worker, actor, regime: str, start, decision_date=None, opened_on=None, phase=None,
                     previous=None, today=None, rule_set=None):
    """Open a trajectory for a worker who has none open (database constraint: at most one)."""
    dates.require_model("trajects.Trajectory", start=start, decision_date=decision_date, opened_on=opened_on)

    if regime not in Regime.values:
        raise ValidationError({"regime": [_("Choose a regime.")]})
    if Trajectory.objects.filter(worker=worker, closed_on__isnull=True).exists():
        raise ValidationError({"regime": [_("This worker already has an open trajectory: change its regime or "
                                            "close it first.")]})
    if regime not in ("IMW_5Y", "IMW_2Y"):
        decision_date = decision_date or None
    opened_on = opened_on or start
    if opened_on < start:
        raise ValidationError({"opened_on": [_("The trajectory cannot take effect before the start of employment.")]})
    trajectory = Trajectory(organisation_id=worker.organisation_id, worker=worker, regime=regime, start=start,
                            decision_date=decision_date, opened_on=opened_on, previous=previous)
    # IMW entry is judged on the DWSE decision date (rules.check_regime_start), other regimes on the start.
    _compute(lambda: _facts(trajectory, suspensions=[], extensions=[]), fields=_START_FIELDS,
             default="decision_date" if regime in ("IMW_5Y", "IMW_2Y") else "start", rule_set=rule_set, today=today)
    if phase is None:
        phase = PhaseDefinition.objects.filter(organisation_id=worker.organisation_id, active=True).first()
    elif phase.organisation_id != worker.organisation_id:
        raise ValidationError({"phase": [_("Choose a phase of this organisation.")]})
    trajectory.current_phase = phase
    try:
        with transaction.atomic():
            trajectory.save()
    except IntegrityError:
        # Two users starting a trajectory at once: the partial unique constraint decides.
        raise ValidationError({"regime": [_("This worker already has an open trajectory.")]}) from None
    if phase is not None:
        PhasePeriod.objects.create(organisation_id=worker.organisation_id, trajectory=trajectory, phase=phase,
                                   start=opened_on)
    deadlines_refresh(trajectory=trajectory, rule_set=rule_set, today=today)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=trajectory, worker_id=worker.pk,
                 changes=diff({}, snapshot(trajectory, _TRAJECTORY_AUDIT_FIELDS)))
    _alerts_refresh(trajectory)
    return trajectory


def _outside_message(d):
    return d.strftime("%d/%m/%Y")


@service_atomic
def trajectory_suspend(*, trajectory, actor, reason: str, start, end, note: str = "", expected_version=None,
                       today=None, rule_set=None, record_past=False):
    """Record a suspension; it shifts the planned end and the deadlines (rules.apply_suspensions).

    `record_past`: the suspension is history taken over from the organisation's own records (the import,
    which decides when a row is history: record_past in trajects/imports.py), so a closed trajectory accepts it
    and its kept planned end follows. Only the import passes it; by hand a closed trajectory takes no suspension."""
    dates.require_model("trajects.Suspension", start=start, end=end)

    locked = _lock(trajectory, expected_version)
    if reason not in SuspensionReason.values:
        raise ValidationError({"reason": [_("Choose the reason of the suspension.")]})
    if end < start:
        raise ValidationError({"end": [_("The suspension ends before it starts.")]})
    if locked.closed_on is not None and not record_past:
        raise ValidationError({"start": [_("This trajectory is closed; a suspension can no longer be added.")]})
    if start < locked.start:
        raise ValidationError({"start": [
            _("The suspension starts before the trajectory (start %(date)s).") % {"date": _outside_message(locked.start)}
        ]})
    # Recorded history arrives sheet by sheet (all suspensions, then the extensions that moved the end), so
    # the end it is checked against may still lack a later extension; rules.compute still judges the whole.
    if locked.planned_end and start > locked.planned_end and not record_past:
        raise ValidationError({"start": [
            _("The suspension starts after the planned end of the trajectory (%(date)s).")
            % {"date": _outside_message(locked.planned_end)}
        ]})
    existing = list(Suspension.objects.filter(trajectory=locked))
    clash = next((s for s in existing if s.start <= end and start <= s.end), None)
    if clash is not None:
        raise ValidationError({"start": [
            _("This suspension overlaps the suspension of %(start)s to %(end)s.")
            % {"start": _outside_message(clash.start), "end": _outside_message(clash.end)}
        ]})
    suspension = Suspension(organisation_id=locked.organisation_id, trajectory=locked, reason=reason, start=start,
                            end=end, note=note, created_by=actor if getattr(actor, "pk", None) else None)
    result = _compute(lambda: _facts(locked, suspensions=[*existing, suspension]), fields={"pandemie": "start"},
                      default="start", rule_set=rule_set, today=today)
    suspension.full_clean(exclude=["organisation", "trajectory", "created_by"])
    suspension.save()
    _term_moved(locked, result, record=suspension, actor=actor, summary=f"{reason} {start.isoformat()}–{end.isoformat()}",
                rule_set=rule_set, today=today)
    return suspension


def _term_moved(trajectory, result, *, record, actor, summary, rule_set, today):
    """What follows a saved suspension or extension (`record`): a new version, the deadlines and alerts
    recomputed, and an audit entry with the planned end before and after. A closed trajectory keeps the
    planned end its suspensions and extensions gave it, for the history."""
    _bump(trajectory)
    before_end = trajectory.planned_end
    if trajectory.closed_on is not None:
        trajectory.planned_end, trajectory.term_start = result.planned_end, result.term_start
        _update_fields(trajectory, ["planned_end", "term_start"])
    deadlines_refresh(trajectory=trajectory, rule_set=rule_set, today=today)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, worker_id=trajectory.worker_id,
                 changes={"planned_end": [_plain_date(before_end), _plain_date(trajectory.planned_end)]},
                 summary=summary)
    _alerts_refresh(trajectory)


def _plain_date(d):
    return d.isoformat() if d else None


@service_atomic
def trajectory_extend(*, trajectory, actor, reason: str, months: int, decision_date, document=None, note: str = "",
                      expected_version=None, today=None, rule_set=None, record_past=False):
    """Record an extension decision (rules.compute applies it); the document is optional.

    `record_past`: as for trajectory_suspend, an extension of a closed trajectory's history."""
    dates.require_model("trajects.Extension", decision_date=decision_date)

    locked = _lock(trajectory, expected_version)
    if not reason:
        raise ValidationError({"reason": [_("An extension needs a reason.")]})
    if reason not in ExtensionReason.values:
        raise ValidationError({"reason": [_("Choose a valid reason.")]})
    if months is None or months < 0:
        raise ValidationError({"months": [_("Enter the number of months.")]})
    if locked.closed_on is not None and not record_past:
        raise ValidationError({"reason": [_("This trajectory is closed; an extension can no longer be added.")]})
    if decision_date < locked.start:
        raise ValidationError({"decision_date": [_("The decision date lies before the start of the trajectory.")]})
    # Checked on content, not on the name or the browser's content type: both are chosen by the uploader.
    accepted = uploads.accept_upload(document, "document", field="document") if document else None
    mime = accepted.content_type if accepted else ""
    extension = Extension(organisation_id=locked.organisation_id, trajectory=locked, reason=reason, months=months,
                          decision_date=decision_date, note=note, document_type=mime,
                          created_by=actor if getattr(actor, "pk", None) else None)
    existing = list(Extension.objects.filter(trajectory=locked))
    try:
        rules.Extension(months, reason, decision_date)
    except rules.RuleViolation as exc:
        raise ValidationError({"months": [exc.message_nl]}) from None
    result = _compute(lambda: _facts(locked, extensions=[*existing, extension]),
                      fields={"maanden": "months", "zesde jaar": "months", "geboortedatum": "reason", "55+": "reason",
                              "bestaat niet": "reason"},
                      default="reason", rule_set=rule_set, today=today)
    if accepted:
        extension.document.save(accepted.name, accepted, save=False)
    extension.save()
    _term_moved(locked, result, record=extension, actor=actor, summary=f"{reason} {months}", rule_set=rule_set,
                today=today)
    return extension


@service_atomic
def trajectory_change_phase(*, trajectory, actor, phase, since, expected_version=None, today=None, rule_set=None):
    dates.require(since=(dates.WORKING_LIFE, since))

    locked = _lock(trajectory, expected_version)
    if locked.closed_on is not None:
        raise ValidationError({"phase": [_("This trajectory is closed.")]})
    if phase.organisation_id != locked.organisation_id:
        raise ValidationError({"phase": [_("Choose a phase of this organisation.")]})
    if locked.current_phase_id == phase.pk:
        raise ValidationError({"phase": [_("The trajectory is already in this phase.")]})
    last = PhasePeriod.objects.filter(trajectory=locked).order_by("-start", "-id").first()
    floor = last.start if last else locked.opened_on
    if since < floor:
        raise ValidationError({"since": [_("The new phase cannot start before %(date)s.") % {"date": _outside_message(floor)}]})
    if locked.planned_end and since > locked.planned_end:
        raise ValidationError({"since": [_("The new phase starts after the planned end of the trajectory.")]})
    before = locked.current_phase_id
    PhasePeriod.objects.create(organisation_id=locked.organisation_id, trajectory=locked, phase=phase, start=since)
    locked.current_phase = phase
    _update_fields(locked, ["current_phase"])
    _bump(locked)
    deadlines_refresh(trajectory=locked, rule_set=rule_set, today=today)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"current_phase_id": [before, phase.pk]}, summary=f"{phase.name} {since.isoformat()}")
    return locked


# LDE → TRANSITION → IMW, or to collective custom work; never back to LDE (no new entries after 30/06/2023).
REGIME_CHANGES = {
    "LDE": ("TRANSITION", "IMW_5Y", "IMW_2Y", "CMW"),
    "TRANSITION": ("IMW_5Y", "IMW_2Y", "CMW"),
    "IMW_5Y": ("IMW_5Y", "IMW_2Y", "CMW"),
    "IMW_2Y": ("IMW_5Y", "CMW"),
    "CMW": ("IMW_5Y", "IMW_2Y"),
}


@service_atomic
def trajectory_change_regime(*, trajectory, actor, regime: str, change_date, start=None, decision_date=None,
                             expected_version=None, today=None, rule_set=None):
    """Close the open trajectory the day before `change_date` and open the next one (history is kept).

    The transition regime continues the LDE term (Decreet maatwerk 14/01/2022: the temporary
    compensation runs to the end of the LDE trajectory, counted from the start of employment), so it
    keeps the hire date and carries the LDE suspensions and extensions over. IMW and CMW start a new
    term: `start` defaults to the change date.
    """
    # The change date opens a trajectory under LDE or a successor: never before LDE was in force.
    dates.require(change_date=(dates.LDE_ERA, change_date), start=(dates.WORKING_LIFE, start),
                  decision_date=(dates.LDE_ERA, decision_date))

    locked = _lock(trajectory, expected_version)
    if locked.closed_on is not None:
        raise ValidationError({"regime": [_("This trajectory is already closed.")]})
    if regime not in REGIME_CHANGES.get(locked.regime, ()):
        raise ValidationError({"regime": [_("A %(old)s trajectory cannot change to this regime.") % {"old": locked.get_regime_display()}]})
    if change_date <= locked.opened_on:
        raise ValidationError({"change_date": [_("The change must come after %(date)s, when the current trajectory took effect.")
                                               % {"date": _outside_message(locked.opened_on)}]})
    carry_over = regime == "TRANSITION"
    if start is None:
        start = locked.start if carry_over else change_date
    if start > change_date:
        raise ValidationError({"start": [_("The start of employment cannot lie after the change date.")]})
    locked.closed_on = change_date - datetime.timedelta(days=1)
    locked.closed_reason = ClosedReason.REGIME_CHANGE
    _update_fields(locked, ["closed_on", "closed_reason"])
    _bump(locked)
    deadlines_refresh(trajectory=locked, rule_set=rule_set, today=today)
    new = trajectory_start(worker=locked.worker, actor=actor, regime=regime, start=start,
                           decision_date=decision_date, opened_on=change_date, phase=locked.current_phase,
                           previous=locked, today=today, rule_set=rule_set)
    if carry_over:
        for s in Suspension.objects.filter(trajectory=locked):
            Suspension.objects.create(organisation_id=s.organisation_id, trajectory=new, reason=s.reason,
                                      start=s.start, end=s.end, note=s.note, created_by=s.created_by)
        for e in Extension.objects.filter(trajectory=locked):
            Extension.objects.create(organisation_id=e.organisation_id, trajectory=new, reason=e.reason,
                                     months=e.months, decision_date=e.decision_date, document=e.document.name,
                                     document_type=e.document_type, note=e.note, created_by=e.created_by)
        try:
            deadlines_refresh(trajectory=new, rule_set=rule_set, today=today)
        except rules.RuleViolation as exc:
            raise ValidationError({"regime": [exc.message_nl]}) from None
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"regime": [locked.regime, regime], "closed_on": [None, locked.closed_on.isoformat()]})
    _alerts_refresh(new)
    return new


@service_atomic
def trajectory_close(*, trajectory, actor, closed_on, reason: str, expected_version=None):
    """Close the open trajectory (used by exits): its deadlines are removed, its history stays."""
    dates.require_model("trajects.Trajectory", closed_on=closed_on)

    locked = _lock(trajectory, expected_version)
    if locked.closed_on is not None:
        raise ValidationError({"closed_on": [_("This trajectory is already closed.")]})
    if reason not in ClosedReason.values:
        raise ValidationError({"closed_reason": [_("Choose a reason.")]})
    if closed_on < locked.opened_on:
        raise ValidationError({"closed_on": [_("The trajectory cannot end before %(date)s.") % {"date": _outside_message(locked.opened_on)}]})
    locked.closed_on, locked.closed_reason = closed_on, reason
    _update_fields(locked, ["closed_on", "closed_reason"])
    _bump(locked)
    deadlines_refresh(trajectory=locked)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"closed_on": [None, closed_on.isoformat()], "closed_reason": ["", reason]})
    _alerts_refresh(locked)
    return locked


@service_atomic
def milestone_add(*, trajectory, actor, date, label: str, note: str = "", expected_version=None):
    dates.require_model("trajects.Milestone", date=date)

    locked = _lock(trajectory, expected_version)
    if not label.strip():
        raise ValidationError({"label": [_("Describe the milestone.")]})
    if date < locked.start:
        raise ValidationError({"date": [_("The milestone lies before the start of the trajectory.")]})
    milestone = Milestone(organisation_id=locked.organisation_id, trajectory=locked, date=date, label=label.strip(),
                          note=note, created_by=actor if getattr(actor, "pk", None) else None)
    milestone.full_clean(exclude=["organisation", "trajectory", "created_by"])
    milestone.save()
    _bump(locked)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=milestone, worker_id=locked.worker_id, summary=label)
    return milestone


@service_atomic
def sine_status_add(*, worker, actor, start, note: str = "", rule_set=None):
    """Record a SINE status; its end follows from the phase-out rules (rules.sine_end)."""
    dates.require_model("trajects.SineStatus", start=start)

    rule_set = rule_set or ruleset()
    open_trajectory = Trajectory.objects.filter(worker=worker, closed_on__isnull=True).first()
    try:
        end = rules.sine_end(rule_set, start, open_trajectory.planned_end if open_trajectory else None)
    except rules.RuleViolation as exc:
        raise ValidationError({"start": [exc.message_nl]}) from None
    if end < start:
        raise ValidationError({"start": [_("The SINE status starts after the end of the trajectory.")]})
    if SineStatus.objects.filter(worker=worker, start__lte=end, end__gte=start).exists():
        raise ValidationError({"start": [_("This worker already has a SINE status in this period.")]})
    status = SineStatus.objects.create(organisation_id=worker.organisation_id, worker=worker, start=start, end=end,
                                       note=note)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=status, worker_id=worker.pk,
                 summary=f"SINE {start.isoformat()}–{end.isoformat()}")
    return status


@service_atomic
def phases_save(*, organisation, actor, formset):
    """Save the organisation's phase model (a validated model formset of PhaseDefinition). Each stored row
    carries its version: a row someone else changed since the page was opened raises ConflictError, and the
    transaction keeps none of the other rows either."""
    before = {p.pk: p.name for p in organisation.phases.all()}
    for form in formset.forms:
        if not form.has_changed() or not form.cleaned_data:
            continue
        stored = None
        if form.instance.pk:
            stored = PhaseDefinition.objects.select_for_update().get(pk=form.instance.pk, organisation=organisation)
            check_version(stored, form.cleaned_data.get("version"))
        phase = form.save(commit=False)
        if stored is not None:
            phase.version = stored.version + 1
        phase.organisation = organisation
        phase.full_clean()
        phase.save()
    after = {p.pk: p.name for p in organisation.phases.all()}
    if before != after or formset.has_changed():
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=organisation, organisation=organisation,
                     object_type="trajects.phasedefinition", object_id=str(organisation.pk),
                     changes={"phases": [list(before.values()), list(after.values())]})
