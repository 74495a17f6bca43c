"""Exits and aftercare: recording the exit, the follow-up calls after it and the organisation's
follow-up moments (docs/throughflow.md)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal import dates
from lde_portal.accounts.access import current_assignment_q
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic
from trajects import rules
from trajects import services as trajects_services
from trajects.models import CoachAssignment, Employment, Trajectory, Worker, WorkerStatus
from trajects.selectors import ruleset as trajects_ruleset

from .. import rules as tf_rules
from ..models import Exit, FollowUp, ThroughflowSettings, Track
from .common import _alerts_refresh, _d

EXIT_FIELDS = ["date", "reason", "employer", "destination_employer", "contract_type", "weekly_hours", "support_after", "note"]


def followup_months(rule_set, exit_date, organisation_id=None) -> list[int]:
    """The follow-up moments (months after exit): the organisation's own choice (Beheer → Doorstroom) when
    stored, else GENERAL.aftercare_followup_months (default 1, 3, 6, 12)."""
    if organisation_id is not None:
        stored = ThroughflowSettings.objects.filter(organisation_id=organisation_id).values_list(
            "followup_months", flat=True).first()
        if stored:
            return sorted(stored)
    return sorted(rule_set.get("GENERAL", "aftercare_followup_months", exit_date).as_ints())


@service_atomic
def exit_record(*, worker: Worker, actor, data: dict, today=None, rule_set=None) -> Exit:
    """Record the exit: close the open trajectory, end the employment and the coach assignments, set the
    status to exited and store the aftercare follow-ups. Either everything or nothing is saved.

    Open deadlines resolve through the normal alert scan: the providers skip closed trajectories and
    exited workers, so only the aftercare follow-ups remain.
    """
    dates.require_fields(Exit, data)
    today = today or timezone.localdate()
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    date = data["date"]
    if worker.status == WorkerStatus.EXITED or Exit.objects.filter(worker=worker).exists():
        raise ValidationError(_("This worker has already exited."))
    if date > today:
        raise ValidationError({"date": [_("The exit date cannot be in the future (today is %(today)s).")
                                        % {"today": _d(today)}]})
    trajectory = Trajectory.objects.filter(worker=worker, closed_on__isnull=True).order_by("-start").first()
    employments = list(Employment.objects.filter(worker=worker).order_by("contract_start"))
    first_start = min([e.contract_start for e in employments] + ([trajectory.start] if trajectory else []),
                      default=None)
    if first_start and date < first_start:
        raise ValidationError({"date": [_("The exit date lies before the start of the employment or trajectory "
                                          "(%(date)s).") % {"date": _d(first_start)}]})
    if trajectory and date < trajectory.opened_on:
        raise ValidationError({"date": [_("The exit date lies before the trajectory was opened (%(date)s).")
                                        % {"date": _d(trajectory.opened_on)}]})
    employer = data.get("employer")
    if employer is not None:
        if employer.organisation_id != worker.organisation_id:
            raise ValidationError({"employer": [_("This employer is not in the organisation's directory.")]})
        data = {**data, "destination_employer": data.get("destination_employer") or employer.name}
    last_change = worker.status_changes.order_by("-date", "-id").first()
    if last_change and date < last_change.date:
        raise ValidationError({"date": [_("The exit date lies before the last status change (%(date)s).")
                                        % {"date": _d(last_change.date)}]})

    current_employment = next((e for e in reversed(employments) if e.contract_start <= date), None)
    assignments = list(CoachAssignment.objects.filter(current_assignment_q(on=date), worker=worker)
                       .order_by("start", "id"))
    exit_ = Exit(organisation_id=worker.organisation_id, worker=worker, trajectory=trajectory,
                 activity_id=current_employment.activity_id if current_employment else None,
                 coach=assignments[0].coach if assignments else None,
                 created_by=actor if getattr(actor, "pk", None) else None,
                 **{k: data.get(k) for k in EXIT_FIELDS if k in data})
    exit_.full_clean(exclude=["organisation", "worker", "trajectory", "activity", "coach", "created_by"])
    exit_.save()

    if trajectory is not None:
        trajects_services.trajectory_close(trajectory=trajectory, actor=actor, closed_on=date, reason="exit")
    for employment in employments:
        if employment.contract_start <= date and (employment.contract_end is None or employment.contract_end > date):
            trajects_services.employment_update(employment=employment, actor=actor, data={"contract_end": date})
    # The assignments end on the exit date: from the next day on, the coaches no longer see the worker.
    for assignment in CoachAssignment.objects.filter(Q(end__isnull=True) | Q(end__gt=date), worker=worker):
        trajects_services.coach_unassign(assignment=assignment, actor=actor, end=max(date, assignment.start))

    # The throughflow track ends with the exit (its phase deadline resolves with it).
    for track in Track.objects.filter(worker=worker, closed_on__isnull=True):
        track.closed_on = max(date, track.start)
        track.save(update_fields=["closed_on"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=track, worker_id=worker.pk,
                     changes={"closed_on": [None, track.closed_on.isoformat()]})
    trajects_services.worker_change_status(worker=worker, actor=actor, status=WorkerStatus.EXITED, date=date,
                                           note=exit_.get_reason_display())

    rule_set = rule_set or trajects_ruleset()
    FollowUp.objects.bulk_create([
        FollowUp(organisation_id=worker.organisation_id, exit=exit_, worker=worker, months=m,
                 due=rules.add_months(date, m))
        for m in followup_months(rule_set, date, worker.organisation_id)
    ])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=exit_, worker_id=worker.pk,
                 summary=f"{exit_.get_reason_display()} {_d(date)}")
    _alerts_refresh(worker.organisation_id, worker.pk)
    return exit_


FOLLOWUP_FIELDS = ["done_on", "still_employed", "same_employer", "support_needed", "note"]


def followup_too_early(due, months) -> str:
    """A follow-up answers "is the person still employed N months after the exit?": a contact before the
    N-month date cannot answer it, and the 6-month answer counts as durable throughflow at once (the ratio
    page). So a follow-up is answered from its due date on; correcting it later is allowed."""
    return _("This follow-up can be recorded from %(due)s on: it records whether the person is still employed "
             "%(months)s months after the exit.") % {"due": _d(due), "months": months}


@service_atomic
def followup_record(*, followup: FollowUp, actor, data: dict, expected_version=None, today=None) -> FollowUp:
    """Record an aftercare contact; it resolves that follow-up's deadline on the next alert scan. The coach and
    the coordinator may both call the former worker: a stale form raises ConflictError (lde_portal/concurrency.py)."""
    dates.require_fields(FollowUp, data)
    today = today or timezone.localdate()
    locked = FollowUp.objects.select_for_update().select_related("exit").get(pk=followup.pk)
    check_version(locked, expected_version)
    done_on = data["done_on"]
    errors = {}
    if done_on > today:
        errors["done_on"] = [_("The date of contact cannot be in the future.")]
    elif done_on < locked.due:
        errors["done_on"] = [followup_too_early(locked.due, locked.months)]
    elif done_on < locked.exit.date:
        errors["done_on"] = [_("The date of contact lies before the exit (%(date)s).") % {"date": _d(locked.exit.date)}]
    if data.get("still_employed") is None:
        errors["still_employed"] = [_("Say whether the worker is still employed.")]
    if errors:
        raise ValidationError(errors)
    before = {k: getattr(locked, k) for k in FOLLOWUP_FIELDS}
    for k in FOLLOWUP_FIELDS:
        setattr(locked, k, data.get(k))
    if not locked.still_employed:
        locked.same_employer = None
    locked.recorded_by = actor if getattr(actor, "pk", None) else None
    locked.full_clean(exclude=["organisation", "exit", "worker", "recorded_by"])
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={k: [str(before[k]) if before[k] is not None else None,
                              str(getattr(locked, k)) if getattr(locked, k) is not None else None]
                          for k in FOLLOWUP_FIELDS if before[k] != getattr(locked, k)})
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return locked


@service_atomic
def throughflow_settings_save(*, organisation, actor, followup_months: list, expected_version=None):
    """Store the organisation's aftercare follow-up moments; exits recorded afterwards use them. The
    6-month moment cannot be dropped: the durable throughflow ratio is defined on it."""
    months = sorted({int(m) for m in followup_months})
    messages = {
        "empty": _("Choose at least one follow-up moment."),
        "range": _("A follow-up moment lies between 1 and %(max)s months after the exit.")
        % {"max": tf_rules.MAX_FOLLOWUP_MONTHS},
        "durable": _("The 6-month follow-up stays: the durable throughflow ratio counts the workers still "
                     "employed at 6 months, so without it that figure would have no data."),
    }
    problems = tf_rules.followup_months_problems(months)
    if problems:
        raise ValidationError({"followup_months": [messages[p] for p in problems]})
    stored = ThroughflowSettings.objects.select_for_update().filter(organisation=organisation).first()
    if stored is None:
        stored, before = ThroughflowSettings(organisation=organisation), []
    else:
        check_version(stored, expected_version)
        before = stored.followup_months
        stored.version += 1
    stored.followup_months = months
    stored.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=stored, organisation=organisation,
                 changes={"followup_months": [before, months]})
    return stored
