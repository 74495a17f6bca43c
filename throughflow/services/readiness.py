"""The readiness check: the determinants assessed, and the evaluation request it may lead to."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from indication import services as indication_services
from indication.models import EvaluationReason
from lde_portal import dates
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic
from trajects.models import Worker, WorkerStatus

from ..models import Assessment, Determinant, ReadinessAnswer, ReadinessCheck, ReadinessDecision
from .common import _d

READINESS_FIELDS = ["date", "worker_took_part", "summary", "decision", "next_check"]


def _readiness_errors(data, today, check):
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


@service_atomic
def readiness_check_save(*, worker, actor, data: dict, check=None, expected_version=None, today=None):
    """Create or edit a readiness check. `data["answers"]` = {determinant: {"assessment", "note"}}.

    Deciding "request" creates the throughflow-readiness evaluation request through the indication app
    (its earliest-date rule applies: a refusal there lands on this form's field and nothing is saved).
    The audit entry names the changed determinants, never the notes: health and money notes are for the
    guidance staff only, and the audit trail is read by the org admin too."""
    dates.require_fields("throughflow.ReadinessCheck", data)
    dates.require_fields("indication.EvaluationRequest", data)
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
