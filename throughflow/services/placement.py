"""Placement: the job target, applications, internships and the warm handover with its consents
(docs/domain.md §3.6)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal import dates
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic

from ..models import Application, ApplicationResult, ConsentScope, HandoverConsent, HandoverNote, Internship, JobTarget
from .common import _actor_user, _changes, _d

JOB_TARGET_FIELDS = ["occupation", "sector", "weekly_hours", "region", "max_commute_minutes", "work_type",
                     "childcare", "pay_expectation", "other_conditions", "set_on"]


# The childcare and pay conditions tell about the worker's family and money: like the readiness check's family and
# finances notes they belong to the confidential section (docs/domain.md §7), shown only when can_read_confidential.
CONFIDENTIAL_JOB_TARGET_FIELDS = ("childcare", "pay_expectation")


@service_atomic
def job_target_save(*, worker, actor, data: dict, expected_version=None, today=None):
    """Create or update the worker's job target. A stale form raises ConflictError; every change is in
    the audit trail with old → new values (that is the target's history), except the childcare and pay
    conditions: those are named, never copied, because the audit trail is read by the org admin too."""
    dates.require_fields("throughflow.JobTarget", data)
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


@service_atomic
def application_save(*, worker, actor, data: dict, application=None, expected_version=None, today=None):
    """Add an application (application=None) or update one; a stale form raises ConflictError."""
    dates.require_fields("throughflow.Application", data)
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


@service_atomic
def internship_save(*, worker, actor, data: dict, internship=None, expected_version=None, today=None):
    """Add or update an internship at a directory employer; a stale form raises ConflictError."""
    dates.require_fields("throughflow.Internship", data)
    today = today or timezone.localdate()
    target, before = _record_for_save(Internship, worker=worker, actor=actor, record=internship,
                                      expected_version=expected_version, fields=INTERNSHIP_FIELDS,
                                      text_fields=_INTERNSHIP_TEXT, data=data)
    _check_internship(target, today)
    target.full_clean(exclude=["organisation", "worker", "created_by", "employer"])
    return _record_save(target, before, actor=actor, worker=worker, fields=INTERNSHIP_FIELDS,
                        summary=f"{target.employer.name} {_d(target.start)}–{_d(target.end)}")


HANDOVER_FIELDS = ["works_well", "support_tips", "contact_moments"]


@service_atomic
def handover_note_save(*, worker, actor, data: dict, expected_version=None):
    """Save the coach's warm-handover notes (one current text per worker, versioned and audited)."""
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


@service_atomic
def consent_record(*, worker, actor, data: dict, today=None):
    """Record the worker's consent to share a handover summary with one named next employer."""
    dates.require_fields("throughflow.HandoverConsent", data)
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


@service_atomic
def consent_withdraw(*, consent, actor, withdrawn_on, today=None):
    """Withdraw a consent: from then on no handover summary can be issued on it (issued ones stay as
    issued; revoke them on the Documents tab if needed)."""
    dates.require_model("throughflow.HandoverConsent", withdrawn_on=withdrawn_on)
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
