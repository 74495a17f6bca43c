"""Writes of the throughflow app (keyword-only, atomic, audited; see trajects/services.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal import dates
from lde_portal.accounts.access import current_assignment_q
from lde_portal.accounts.validators import normalise_enterprise_number
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from trajects import rules
from trajects import services as trajects_services
from trajects.models import CoachAssignment, Employment, Trajectory, Worker, WorkerStatus
from trajects.selectors import ruleset as trajects_ruleset

from .models import Employer, Exit, FollowUp


def _alerts_refresh(organisation_id, worker_id, *, throughflow_only=False):
    """The worker's alerts follow the change in the same request: an exit ends every deadline, a track
    opened answers "track to start", a follow-up recorded resolves its aftercare alert."""
    from lde_portal.accounts.models import Organisation
    from lde_portal.alerts.services import alerts_refresh

    from .alerts import RESOLVED_BY

    alerts_refresh(organisation=Organisation.objects.get(pk=organisation_id), worker_ids=[worker_id],
                   kinds=set(RESOLVED_BY) if throughflow_only else None)


EXIT_FIELDS = ["date", "reason", "employer", "destination_employer", "contract_type", "weekly_hours", "support_after", "note"]


def _d(value):
    return value.strftime("%d/%m/%Y")


def followup_months(rule_set, exit_date, organisation_id=None) -> list[int]:
    """The follow-up moments (months after exit): the organisation's own choice (Beheer → Doorstroom) when
    stored, else GENERAL.aftercare_followup_months (default 1, 3, 6, 12)."""
    if organisation_id is not None:
        from .models import ThroughflowSettings

        stored = ThroughflowSettings.objects.filter(organisation_id=organisation_id).values_list(
            "followup_months", flat=True).first()
        if stored:
            return sorted(stored)
    return sorted(rule_set.get("GENERAL", "aftercare_followup_months", exit_date).as_ints())


@transaction.atomic
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
    from .models import Track

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


@transaction.atomic
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


EMPLOYER_FIELDS = ["name", "enterprise_number", "sector", "municipality", "contacts"]


def _employer_clean(employer):
    # Normalised before the field checks: "BE 0123 456 749" is longer than the 10 stored digits.
    if employer.enterprise_number:
        try:
            employer.enterprise_number = normalise_enterprise_number(employer.enterprise_number)
        except ValidationError as exc:
            raise ValidationError({"enterprise_number": exc.messages}) from None
    employer.full_clean(exclude=["organisation"], validate_constraints=False)
    if employer.enterprise_number and Employer.objects.filter(
            organisation_id=employer.organisation_id, enterprise_number=employer.enterprise_number
    ).exclude(pk=employer.pk).exists():
        raise ValidationError({"enterprise_number": [_("An employer with this enterprise number is already in "
                                                       "the directory.")]})


@transaction.atomic
def employer_create(*, organisation, actor, data: dict) -> Employer:
    employer = Employer(organisation=organisation, **{k: data.get(k, "") for k in EMPLOYER_FIELDS})
    _employer_clean(employer)
    employer.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=employer, summary=employer.name)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, actor, data: dict, expected_version=None) -> Employer:
    """Shared record: a stale form raises ConflictError (lde_portal/concurrency.py)."""
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    check_version(locked, expected_version)
    before = {k: getattr(locked, k) for k in EMPLOYER_FIELDS}
    for k in EMPLOYER_FIELDS:
        setattr(locked, k, data.get(k, ""))
    _employer_clean(locked)
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked,
                 changes={k: [before[k], getattr(locked, k)] for k in EMPLOYER_FIELDS if before[k] != getattr(locked, k)})
    return locked


# --------------------------------------------------------------------------- throughflow track


@transaction.atomic
def track_open(*, worker, actor, data: dict, today=None, rule_set=None):
    """Open the track. It must start within GENERAL.throughflow_start_months (3) of the favourable
    decision (trajects.rules.throughflow_track_start_due); a later start needs a documented reason."""
    dates.require_fields("throughflow.Track", data)
    from .models import Track, TrackPhase

    today = today or timezone.localdate()
    rule_set = rule_set or trajects_ruleset()
    advice = data.get("decision_advice")
    if advice is not None:
        # The decision recorded on the Indicering tab is the source: its date and reference win over
        # whatever the form carried.
        if advice.worker_id != worker.pk or advice.type != "throughflow_decision" or not advice.favourable:
            raise ValidationError(_("This is not a favourable throughflow decision of this worker."))
        data = {**data, "decision_date": advice.decision_date, "decision_reference": decision_reference(advice)}
    decision, start = data["decision_date"], data["start"]
    reason = (data.get("late_start_reason") or "").strip()
    errors = {}
    if worker.status == WorkerStatus.EXITED:
        raise ValidationError(_("This worker has exited."))
    if Track.objects.filter(worker=worker, closed_on__isnull=True).exists():
        raise ValidationError(_("This worker already has an open throughflow track."))
    if decision > today:
        errors["decision_date"] = [_("The decision date cannot be in the future.")]
    if start < decision:
        errors["start"] = [_("The track cannot start before the decision (%(date)s).") % {"date": _d(decision)}]
    else:
        due = rules.throughflow_track_start_due(rule_set, decision)
        if start > due and not reason:
            errors["late_start_reason"] = [
                _("The track starts more than 3 months after the decision (at the latest %(date)s): "
                  "document the reason.") % {"date": _d(due)}]
    if errors:
        raise ValidationError(errors)
    track = Track(organisation_id=worker.organisation_id, worker=worker, decision_date=decision,
                  decision_reference=data.get("decision_reference", ""), start=start, late_start_reason=reason,
                  coach_name=data.get("coach_name", ""), coach_organisation=data.get("coach_organisation", ""),
                  coach_contact=data.get("coach_contact", ""),
                  decision_advice=advice,
                  budget_hours=rules.coaching_budget_hours(rule_set, start), phase=TrackPhase.PREPARATION,
                  phase_start=start, phase_due=rules.phase_due(rule_set, TrackPhase.PREPARATION, start))
    track.full_clean(exclude=["organisation", "worker", "decision_advice"])
    track.save()
    if advice is not None:
        from indication.services import advice_track_started

        advice_track_started(advice=advice, actor=actor, start=start)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=track, worker_id=worker.pk,
                 summary=f"{_d(decision)} {track.decision_reference}".strip())
    _alerts_refresh(worker.organisation_id, worker.pk, throughflow_only=True)
    return track


@transaction.atomic
def track_change_phase(*, track, actor, phase: str, since, expected_version=None, rule_set=None):
    dates.require(since=(dates.GUIDANCE, since))
    from .models import Track, TrackPhase

    locked = Track.objects.select_for_update().get(pk=track.pk)
    check_version(locked, expected_version)
    if locked.paused_since is not None:
        raise ValidationError(_("The track is paused since %(date)s: resume it before changing the phase.")
                              % {"date": _d(locked.paused_since)})
    if phase not in TrackPhase.values:
        raise ValidationError({"phase": [_("Choose a phase.")]})
    if since < locked.phase_start:
        raise ValidationError({"since": [_("The new phase cannot start before the current one (%(date)s).")
                                         % {"date": _d(locked.phase_start)}]})
    before = [locked.phase, locked.phase_start.isoformat()]
    rule_set = rule_set or trajects_ruleset()
    locked.phase, locked.phase_start = phase, since
    locked.phase_due = rules.phase_due(rule_set, phase, since)
    locked.version += 1
    locked.save(update_fields=["phase", "phase_start", "phase_due", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"phase": [before[0], phase], "phase_start": [before[1], since.isoformat()]})
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return locked


@transaction.atomic
def hours_log(*, track, actor, data: dict, today=None):
    """Log coaching hours. Hours beyond the budget are accepted (the tab flags them), never capped."""
    dates.require_fields("throughflow.CoachingHours", data)
    from .models import CoachingHours

    today = today or timezone.localdate()
    if data["date"] < track.start:
        raise ValidationError({"date": [_("The date lies before the start of the track (%(date)s).")
                                        % {"date": _d(track.start)}]})
    if data["date"] > today:
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    entry = CoachingHours(organisation_id=track.organisation_id, track=track, date=data["date"],
                          hours=data["hours"], note=data.get("note", ""),
                          created_by=actor if getattr(actor, "pk", None) else None)
    entry.full_clean(exclude=["organisation", "track", "created_by"])
    entry.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, worker_id=track.worker_id,
                 summary=f"{entry.hours} h")
    _alerts_refresh(track.organisation_id, track.worker_id, throughflow_only=True)
    return entry


# --------------------------------------------------------------------------- placement: job target,
# applications, internships, warm handover (domain.md §3.6)

JOB_TARGET_FIELDS = ["occupation", "sector", "weekly_hours", "region", "max_commute_minutes", "work_type",
                     "childcare", "pay_expectation", "other_conditions", "set_on"]
# The childcare and pay conditions tell about the worker's family and money: like the readiness check's family and
# finances notes they belong to the confidential section (domain.md §7), shown only when can_read_confidential.
CONFIDENTIAL_JOB_TARGET_FIELDS = ("childcare", "pay_expectation")


def _changes(before: dict, after_obj, fields) -> dict:
    def plain(v):
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if v is not None else None)

    return {k: [plain(before[k]), plain(getattr(after_obj, k))] for k in fields if before[k] != getattr(after_obj, k)}


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def job_target_save(*, worker, actor, data: dict, expected_version=None, today=None):
    """Create or update the worker's job target. A stale form raises ConflictError; every change is in
    the audit trail with old → new values (that is the target's history), except the childcare and pay
    conditions: those are named, never copied, because the audit trail is read by the org admin too."""
    dates.require_fields("throughflow.JobTarget", data)
    from .models import JobTarget

    today = today or timezone.localdate()
    if data.get("set_on") and data["set_on"] > today:
        raise ValidationError({"set_on": [_("The date cannot be in the future.")]})
    locked = JobTarget.objects.select_for_update().filter(worker=worker).first()
    if locked is None:
        target = JobTarget(organisation_id=worker.organisation_id, worker=worker, updated_by=_actor_user(actor),
                           **{k: data.get(k) if data.get(k) is not None else JobTarget._meta.get_field(k).get_default()
                              for k in JOB_TARGET_FIELDS})
        target.full_clean(exclude=["organisation", "worker", "updated_by"])
        target.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=target, worker_id=worker.pk, summary=target.occupation)
        return target
    check_version(locked, expected_version)
    before = {k: getattr(locked, k) for k in JOB_TARGET_FIELDS}
    for k in JOB_TARGET_FIELDS:
        value = data.get(k)
        setattr(locked, k, value if value is not None else JobTarget._meta.get_field(k).get_default())
    locked.full_clean(exclude=["organisation", "worker", "updated_by"])
    locked.version += 1
    locked.updated_by = _actor_user(actor)
    locked.save()
    open_fields = [k for k in JOB_TARGET_FIELDS if k not in CONFIDENTIAL_JOB_TARGET_FIELDS]
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=worker.pk,
                 changes=_changes(before, locked, open_fields),
                 summary=", ".join(k for k in CONFIDENTIAL_JOB_TARGET_FIELDS if before[k] != getattr(locked, k)))
    return locked


def job_target_has_confidential(target) -> bool:
    return target is not None and any(getattr(target, k) for k in CONFIDENTIAL_JOB_TARGET_FIELDS)


APPLICATION_FIELDS = ["employer", "employer_name", "date", "channel", "position", "result", "result_date", "note"]


def _check_application(application, today):
    from .models import ApplicationResult

    errors = {}
    if application.employer_id and application.employer.organisation_id != application.organisation_id:
        errors["employer"] = [_("This employer is not in the organisation's directory.")]
    if not application.employer_id and not application.employer_name.strip():
        errors["employer_name"] = [_("Choose an employer from the directory or type its name.")]
    if application.date and application.date > today:
        errors["date"] = [_("The date cannot be in the future.")]
    if application.result_date:
        if application.date and application.result_date < application.date:
            errors["result_date"] = [_("The result cannot come before the application (%(date)s).")
                                     % {"date": _d(application.date)}]
        elif application.result_date > today:
            errors["result_date"] = [_("The date cannot be in the future.")]
    elif application.result != ApplicationResult.PENDING:
        errors["result_date"] = [_("Give the date of the result.")]
    if errors:
        raise ValidationError(errors)


def _record_for_save(model, *, worker, actor, record, expected_version, fields, text_fields, data):
    """A new record of the worker (record=None), or the stored one locked and version-checked, with `data`
    applied (missing text as "", anything else as None). Returns (target, before); before is None when new."""
    if record is None:
        target, before = model(organisation_id=worker.organisation_id, worker=worker,
                               created_by=_actor_user(actor)), None
    else:
        target = model.objects.select_for_update().get(pk=record.pk, worker=worker)
        check_version(target, expected_version)
        before = {k: getattr(target, k) for k in fields}
    for k in fields:
        value = data.get(k)
        setattr(target, k, value if value is not None else ("" if k in text_fields else None))
    return target, before


def _record_save(target, before, *, actor, worker, fields, summary):
    """Save what _record_for_save prepared and audit it: the creation with a summary, a change field by field."""
    if before is None:
        target.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=target, worker_id=worker.pk, summary=summary)
    else:
        target.version += 1
        target.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=target, worker_id=worker.pk,
                     changes=_changes(before, target, fields))
    return target


@transaction.atomic
def application_save(*, worker, actor, data: dict, application=None, expected_version=None, today=None):
    """Add an application (application=None) or update one; a stale form raises ConflictError."""
    dates.require_fields("throughflow.Application", data)
    from .models import Application

    today = today or timezone.localdate()
    target, before = _record_for_save(Application, worker=worker, actor=actor, record=application,
                                      expected_version=expected_version, fields=APPLICATION_FIELDS,
                                      text_fields=("employer_name", "position", "note"), data=data)
    if not data.get("result"):
        target.result = "pending"
    if target.employer_id and not target.employer_name:
        target.employer_name = target.employer.name
    _check_application(target, today)
    target.full_clean(exclude=["organisation", "worker", "created_by", "employer"])
    return _record_save(target, before, actor=actor, worker=worker, fields=APPLICATION_FIELDS,
                        summary=f"{target.employer_name} {_d(target.date)}")


INTERNSHIP_FIELDS = ["employer", "start", "end", "tasks", "weekly_hours", "mentor", "employer_evaluation",
                     "employer_rating", "worker_evaluation", "worker_rating", "result"]
_INTERNSHIP_TEXT = ("tasks", "mentor", "employer_evaluation", "worker_evaluation", "result")


def _check_internship(internship, today):
    errors = {}
    if internship.employer_id is None:
        errors["employer"] = [_("Choose the employer from the directory (add it there first if needed).")]
    elif internship.employer.organisation_id != internship.organisation_id:
        errors["employer"] = [_("This employer is not in the organisation's directory.")]
    if internship.start and internship.end and internship.end < internship.start:
        errors["end"] = [_("The end cannot lie before the start (%(date)s).") % {"date": _d(internship.start)}]
    ended = internship.end is not None and internship.end <= today
    started = internship.start is not None and internship.start <= today
    if internship.result and not ended:
        errors["result"] = [_("A result can only be recorded once the internship has ended (%(date)s).")
                            % {"date": _d(internship.end)}]
    for field in ("employer_evaluation", "employer_rating", "worker_evaluation", "worker_rating"):
        if getattr(internship, field) not in ("", None) and not started:
            errors[field] = [_("An evaluation can only be recorded once the internship has started.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def internship_save(*, worker, actor, data: dict, internship=None, expected_version=None, today=None):
    """Add or update an internship at a directory employer; a stale form raises ConflictError."""
    dates.require_fields("throughflow.Internship", data)
    from .models import Internship

    today = today or timezone.localdate()
    target, before = _record_for_save(Internship, worker=worker, actor=actor, record=internship,
                                      expected_version=expected_version, fields=INTERNSHIP_FIELDS,
                                      text_fields=_INTERNSHIP_TEXT, data=data)
    _check_internship(target, today)
    target.full_clean(exclude=["organisation", "worker", "created_by", "employer"])
    return _record_save(target, before, actor=actor, worker=worker, fields=INTERNSHIP_FIELDS,
                        summary=f"{target.employer.name} {_d(target.start)}–{_d(target.end)}")


HANDOVER_FIELDS = ["works_well", "support_tips", "contact_moments"]


@transaction.atomic
def handover_note_save(*, worker, actor, data: dict, expected_version=None):
    """Save the coach's warm-handover notes (one current text per worker, versioned and audited)."""
    from .models import HandoverNote

    if not any((data.get(k) or "").strip() for k in HANDOVER_FIELDS):
        raise ValidationError(_("Write at least one of the three notes."))
    locked = HandoverNote.objects.select_for_update().filter(worker=worker).first()
    if locked is None:
        note = HandoverNote(organisation_id=worker.organisation_id, worker=worker, updated_by=_actor_user(actor),
                            **{k: (data.get(k) or "").strip() for k in HANDOVER_FIELDS})
        note.full_clean(exclude=["organisation", "worker", "updated_by"])
        note.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=note, worker_id=worker.pk)
        return note
    check_version(locked, expected_version)
    before = {k: getattr(locked, k) for k in HANDOVER_FIELDS}
    for k in HANDOVER_FIELDS:
        setattr(locked, k, (data.get(k) or "").strip())
    locked.full_clean(exclude=["organisation", "worker", "updated_by"])
    locked.version += 1
    locked.updated_by = _actor_user(actor)
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=worker.pk,
                 changes=_changes(before, locked, HANDOVER_FIELDS))
    return locked


@transaction.atomic
def consent_record(*, worker, actor, data: dict, today=None):
    """Record the worker's consent to share a handover summary with one named next employer."""
    dates.require_fields("throughflow.HandoverConsent", data)
    from .models import ConsentScope, HandoverConsent

    today = today or timezone.localdate()
    errors = {}
    employer = data.get("employer")
    if employer is None:
        errors["employer"] = [_("Choose the employer from the directory (add it there first if needed).")]
    elif employer.organisation_id != worker.organisation_id:
        errors["employer"] = [_("This employer is not in the organisation's directory.")]
    if data["given_on"] > today:
        errors["given_on"] = [_("The date cannot be in the future.")]
    scope = [k for k in ConsentScope.values if k in (data.get("scope") or [])]
    if not scope:
        errors["scope"] = [_("Tick at least one part the worker agrees to share.")]
    if errors:
        raise ValidationError(errors)
    consent = HandoverConsent(organisation_id=worker.organisation_id, worker=worker, employer=employer,
                              given_on=data["given_on"], scope=scope, recorded_by=_actor_user(actor))
    consent.full_clean(exclude=["organisation", "worker", "employer", "recorded_by", "withdrawn_by"])
    consent.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=consent, worker_id=worker.pk,
                 summary=f"{employer.name} {_d(consent.given_on)}: {', '.join(scope)}")
    return consent


@transaction.atomic
def consent_withdraw(*, consent, actor, withdrawn_on, today=None):
    """Withdraw a consent: from then on no handover summary can be issued on it (issued ones stay as
    issued; revoke them on the Documents tab if needed)."""
    dates.require_model("throughflow.HandoverConsent", withdrawn_on=withdrawn_on)
    from .models import HandoverConsent

    today = today or timezone.localdate()
    locked = HandoverConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": [_("The date cannot be in the future.")]})
    if withdrawn_on < locked.given_on:
        raise ValidationError({"withdrawn_on": [_("The consent cannot be withdrawn before it was given (%(date)s).")
                                                % {"date": _d(locked.given_on)}]})
    locked.withdrawn_on, locked.withdrawn_by = withdrawn_on, _actor_user(actor)
    locked.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"withdrawn_on": [None, withdrawn_on.isoformat()]})
    return locked


# --------------------------------------------------------------------------- VDAB decision, readiness, pauses


def decision_reference(advice) -> str:
    """The track's reference to the decision recorded on the Indicering tab: issuer and consultant (the date
    is stored beside it)."""
    parts = [advice.get_issuing_body_display(), advice.consultant_name]
    return " · ".join(p for p in parts if p)[:100]


READINESS_FIELDS = ["date", "worker_took_part", "summary", "decision", "next_check"]


def _readiness_errors(data, today, check):
    from .models import Assessment, Determinant, ReadinessDecision

    errors = {}
    date, decision = data.get("date"), data.get("decision")
    if date and date > today:
        errors["date"] = [_("The date of the check cannot be in the future.")]
    if decision not in ReadinessDecision.values:
        errors["decision"] = [_("Choose a decision.")]
    elif decision == ReadinessDecision.NOT_YET:
        next_check = data.get("next_check")
        if next_check is None:
            errors["next_check"] = [_("Plan the next check: when do you look at readiness again?")]
        elif date and next_check <= date:
            errors["next_check"] = [_("The next check lies after the date of this check (%(date)s).") % {"date": _d(date)}]
        if check is not None and check.evaluation_request_id:
            errors["decision"] = [_("An evaluation was already requested from this check; follow it up on the "
                                    "Indicering tab.")]
    answers = data.get("answers") or {}
    for determinant in Determinant.values:
        if (answers.get(determinant) or {}).get("assessment") not in Assessment.values:
            errors[f"{determinant}_assessment"] = [_("Choose an assessment.")]
    return errors


@transaction.atomic
def readiness_check_save(*, worker, actor, data: dict, check=None, expected_version=None, today=None):
    """Create or edit a readiness check. `data["answers"]` = {determinant: {"assessment", "note"}}.

    Deciding "request" creates the throughflow-readiness evaluation request through the indication app
    (its earliest-date rule applies: a refusal there lands on this form's field and nothing is saved).
    The audit entry names the changed determinants, never the notes: health and money notes are for the
    guidance staff only, and the audit trail is read by the org admin too."""
    dates.require_fields("throughflow.ReadinessCheck", data)
    dates.require_fields("indication.EvaluationRequest", data)
    from indication import services as indication_services
    from indication.models import EvaluationReason

    from .models import Determinant, ReadinessAnswer, ReadinessCheck, ReadinessDecision

    today = today or timezone.localdate()
    if check is None:
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.status == WorkerStatus.EXITED:
            raise ValidationError(_("This worker has exited."))
        locked = ReadinessCheck(organisation_id=worker.organisation_id, worker=worker,
                                created_by=actor if getattr(actor, "pk", None) else None)
        before, before_answers = {}, {}
    else:
        locked = ReadinessCheck.objects.select_for_update().get(pk=check.pk, worker=worker)
        check_version(locked, expected_version)
        before = {k: getattr(locked, k) for k in READINESS_FIELDS}
        before_answers = {a.determinant: (a.assessment, a.note) for a in locked.answers.all()}
    errors = _readiness_errors(data, today, locked if locked.pk else None)
    if errors:
        raise ValidationError(errors)
    for k in READINESS_FIELDS:
        setattr(locked, k, data.get(k))
    locked.summary = (locked.summary or "").strip()
    locked.worker_took_part = bool(data.get("worker_took_part", True))
    if locked.decision == ReadinessDecision.REQUEST:
        locked.next_check = None
    locked.updated_by = actor if getattr(actor, "pk", None) else None
    locked.full_clean(exclude=["organisation", "worker", "evaluation_request", "created_by", "updated_by"])
    if locked.decision == ReadinessDecision.REQUEST and not locked.evaluation_request_id:
        request = indication_services.evaluation_request_create(worker=worker, actor=actor, data={
            "reason": EvaluationReason.THROUGHFLOW_READINESS,
            "requested_on": data.get("requested_on") or locked.date,
            "planned_visit": data.get("planned_visit"),
            "exception_reason": (data.get("exception_reason") or "").strip(),
            "note": _("Readiness check of %(date)s") % {"date": _d(locked.date)},
        })
        locked.evaluation_request = request
    if locked.pk:
        locked.version += 1
    locked.save()
    answers = data["answers"]
    stored = {a.determinant: a for a in locked.answers.all()} if before_answers else {}
    for determinant in Determinant.values:
        value = answers[determinant]
        answer = stored.get(determinant) or ReadinessAnswer(organisation_id=locked.organisation_id,
                                                            readiness_check=locked, determinant=determinant)
        answer.assessment, answer.note = value["assessment"], (value.get("note") or "").strip()
        answer.full_clean(exclude=["organisation", "readiness_check"])
        answer.save()
    changed = [k for k in READINESS_FIELDS if before.get(k) != getattr(locked, k)]
    changed += [d for d in Determinant.values
                if before_answers.get(d) != (answers[d]["assessment"], (answers[d].get("note") or "").strip())]
    audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=locked,
                 worker_id=worker.pk,
                 summary=f"{_d(locked.date)} {locked.get_decision_display()}: {', '.join(changed)}"[:250])
    return locked


def _pause_dates_errors(field, day, today, track):
    if day > today:
        return {field: [_("The date cannot be in the future.")]}
    if day < track.phase_start:
        return {field: [_("The date lies before the start of the current phase (%(date)s).")
                        % {"date": _d(track.phase_start)}]}
    return {}


@transaction.atomic
def track_pause(*, track, actor, data: dict, expected_version=None, today=None):
    """Pause the track from data["paused_from"] with a reason; the phase-maximum alert stops until resumed."""
    dates.require_fields("throughflow.TrackPause", data)
    from .models import Track, TrackPause

    today = today or timezone.localdate()
    locked = Track.objects.select_for_update().get(pk=track.pk)
    check_version(locked, expected_version)
    if locked.closed_on is not None:
        raise ValidationError(_("The track is closed; a closed track cannot be paused."))
    if locked.paused_since is not None:
        raise ValidationError(_("The track is already paused since %(date)s.") % {"date": _d(locked.paused_since)})
    day, reason = data["paused_from"], (data.get("reason") or "").strip()
    errors = _pause_dates_errors("paused_from", day, today, locked)
    last = locked.pauses.exclude(resumed_on__isnull=True).order_by("-resumed_on").first()
    if not errors and last and day < last.resumed_on:
        errors["paused_from"] = [_("This pause overlaps the previous one (%(start)s to %(end)s).")
                                 % {"start": _d(last.paused_from), "end": _d(last.resumed_on)}]
    if not reason:
        errors["reason"] = [_("Give the reason for the pause.")]
    if errors:
        raise ValidationError(errors)
    pause = TrackPause(organisation_id=locked.organisation_id, track=locked, paused_from=day, reason=reason,
                       phase=locked.phase, phase_due_before=locked.phase_due,
                       created_by=actor if getattr(actor, "pk", None) else None)
    pause.full_clean(exclude=["organisation", "track", "created_by", "resumed_by"])
    pause.save()
    locked.paused_since = day
    locked.version += 1
    locked.save(update_fields=["paused_since", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"paused_since": [None, day.isoformat()]}, summary=reason[:200])
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return pause


@transaction.atomic
def track_resume(*, track, actor, data: dict, expected_version=None, today=None):
    """Resume on data["resumed_on"]: the current phase's last day moves by the paused days
    (throughflow.rules.phase_due_after_pause)."""
    dates.require_fields("throughflow.TrackPause", data)
    from . import rules as tf_rules
    from .models import Track

    today = today or timezone.localdate()
    locked = Track.objects.select_for_update().get(pk=track.pk)
    check_version(locked, expected_version)
    if locked.closed_on is not None:
        raise ValidationError(_("The track is closed; a closed track cannot be resumed."))
    pause = locked.pauses.filter(resumed_on__isnull=True).order_by("-paused_from").first()
    if locked.paused_since is None or pause is None:
        raise ValidationError(_("The track is not paused."))
    day = data["resumed_on"]
    if day > today:
        raise ValidationError({"resumed_on": [_("The date cannot be in the future.")]})
    if day < pause.paused_from:
        raise ValidationError({"resumed_on": [_("The track cannot resume before the pause started (%(date)s).")
                                              % {"date": _d(pause.paused_from)}]})
    before = locked.phase_due
    locked.phase_due = tf_rules.phase_due_after_pause(locked.phase_due, pause.paused_from, day)
    locked.paused_since = None
    locked.version += 1
    locked.save(update_fields=["phase_due", "paused_since", "version"])
    pause.resumed_on, pause.phase_due_after = day, locked.phase_due
    pause.resume_note = (data.get("note") or "").strip()
    pause.resumed_by = actor if getattr(actor, "pk", None) else None
    pause.full_clean(exclude=["organisation", "track", "created_by", "resumed_by"])
    pause.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"paused_since": [pause.paused_from.isoformat(), None],
                          "phase_due": [before.isoformat(), locked.phase_due.isoformat()]})
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return pause


# --------------------------------------------------------------------------- organisation settings


@transaction.atomic
def throughflow_settings_save(*, organisation, actor, followup_months: list, expected_version=None):
    """Store the organisation's aftercare follow-up moments; exits recorded afterwards use them. The
    6-month moment cannot be dropped: the durable throughflow ratio is defined on it."""
    from . import rules as tf_rules
    from .models import ThroughflowSettings

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
