"""Subject access and retention for the indication app (docs/domain.md §7, docs/security.md).

Subject access: the worker has the right to see everything kept about them, the confidential section
included. Retention: health and context data are minimised — the confidential section (needs assessments,
complementarity traits, context problems and referrals) is removed `policy.confidential_months` after
exit; advices and evaluation requests are subsidy evidence and stay with the trajectory.
"""

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from lde_portal.privacy.retention import RetentionItem
from trajects.models import Worker, WorkerStatus

from .models import Advice, ComplementarityProfile, ContextProblem, EvaluationRequest, NeedsAssessment, Referral


def _rows(queryset, fields):
    model = queryset.model
    labels = {name: str(model._meta.get_field(name).verbose_name) for name in fields}
    rows = []
    for obj in queryset:
        row = {}
        for name in fields:
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display and getattr(obj, name) not in (None, "") else getattr(obj, name)
            row[labels[name]] = value
        rows.append(row)
    return rows


def subject_data(worker):
    assessments = []
    for a in NeedsAssessment.objects.filter(worker=worker).prefetch_related("scores__item").order_by("date"):
        for s in a.scores.all():
            assessments.append({_("date"): a.date, _("ICF item"): str(s.item), _("qualifier"): s.display,
                                _("note"): s.note})
    return [
        (_("Advices and decisions"), _rows(Advice.objects.filter(worker=worker).order_by("decision_date"), [
            "type", "issuing_body", "consultant_name", "referred_on", "decision_date", "valid_until", "destination",
            "wage_premium_percent", "guidance_premium", "favourable", "track_start_due", "status", "note"])),
        (_("Evaluation requests"), _rows(EvaluationRequest.objects.filter(worker=worker).order_by("requested_on"), [
            "reason", "requested_on", "earliest_allowed", "exception_reason", "planned_visit", "pop_update_due",
            "outcome", "decision_date", "note"])),
        (_("Needs profile (ICF)"), assessments),
        (_("Complementarity traits"), _rows(ComplementarityProfile.objects.filter(worker=worker), [
            "working_hours", "mobility", "physical_capacity", "learning_ability", "self_confidence", "autonomy",
            "poverty_experience", "interests", "languages", "note"])),
        (_("Context problems and referrals"),
         _rows(ContextProblem.objects.filter(worker=worker).order_by("noted_on"),
               ["kind", "description", "noted_on", "resolved_on"])
         + _rows(Referral.objects.filter(worker=worker).order_by("referred_on"),
                 ["service", "service_name", "referred_on", "status", "follow_up_on", "note"])),
    ]


def _has_confidential(worker_ids):
    ids = set(NeedsAssessment.objects.filter(worker_id__in=worker_ids).values_list("worker_id", flat=True))
    ids |= set(ComplementarityProfile.objects.filter(worker_id__in=worker_ids).values_list("worker_id", flat=True))
    ids |= set(ContextProblem.objects.filter(worker_id__in=worker_ids).values_list("worker_id", flat=True))
    return ids


def find_expired_confidential(organisation, today, policy):
    cutoff = today - relativedelta(months=policy.confidential_months)
    workers = list(Worker.objects.filter(organisation=organisation, status=WorkerStatus.EXITED,
                                         status_since__lte=cutoff).order_by("status_since", "id"))
    keep = _has_confidential([w.pk for w in workers])
    return [
        RetentionItem(
            object_type="indication.confidential", object_id=str(w.pk), action="delete", worker_id=w.pk,
            description=_("Confidential section of worker #%(id)s (exited %(date)s): needs profile, "
                          "complementarity traits, context problems and referrals removed")
            % {"id": w.pk, "date": w.status_since.strftime("%d/%m/%Y")},
            due=w.status_since + relativedelta(months=policy.confidential_months),
        )
        for w in workers if w.pk in keep
    ]


def _delete_confidential(worker_ids):
    NeedsAssessment.objects.filter(worker_id__in=worker_ids).delete()  # scores cascade
    ComplementarityProfile.objects.filter(worker_id__in=worker_ids).delete()
    ContextProblem.objects.filter(worker_id__in=worker_ids).delete()  # referrals cascade


def apply_expired_confidential(items):
    _delete_confidential([int(i.object_id) for i in items])


def erase_worker(worker):
    _delete_confidential([worker.pk])
    # Free text about the person on the indication records; the dated facts stay as subsidy evidence.
    Advice.objects.filter(worker=worker).update(consultant_name="", consultant_contact="", note="")
    EvaluationRequest.objects.filter(worker=worker).update(exception_reason="", note="")
