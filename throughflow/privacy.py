"""The throughflow part of a worker's subject-access file (issue #11): the exit and its follow-ups,
readiness checks, tracks and their pauses; and the retention of the readiness checks' sensitive notes."""

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from lde_portal.privacy.retention import RetentionItem
from trajects.models import Worker, WorkerStatus
from trajects.privacy import _generic_record

from .models import (
    SENSITIVE_DETERMINANTS,
    Application,
    CoachingHours,
    Exit,
    FollowUp,
    HandoverConsent,
    HandoverNote,
    Internship,
    JobTarget,
    ReadinessAnswer,
    ReadinessCheck,
    Track,
    TrackPause,
)


def subject_data(worker):
    exits = Exit.objects.filter(worker=worker).select_related("activity", "coach__user", "trajectory", "created_by")
    followups = FollowUp.objects.filter(worker=worker).select_related("exit", "recorded_by")
    return [
        (_("Exit"), [_generic_record(e) for e in exits]),
        (_("Aftercare follow-ups"), [_generic_record(f) for f in followups]),
    ] + placement_subject_data(worker)


def placement_subject_data(worker):
    return [
        (_("Job target"), [_generic_record(r) for r in JobTarget.objects.filter(worker=worker)
                           .select_related("updated_by")]),
        (_("Applications"), [_generic_record(r) for r in Application.objects.filter(worker=worker)
                             .select_related("employer")]),
        (_("Internships"), [_generic_record(r) for r in Internship.objects.filter(worker=worker)
                            .select_related("employer")]),
        (_("Warm-handover notes"), [_generic_record(r) for r in HandoverNote.objects.filter(worker=worker)
                                    .select_related("updated_by")]),
        (_("Consents to share a handover summary"), [
            _generic_record(r) for r in HandoverConsent.objects.filter(worker=worker)
            .select_related("employer", "recorded_by", "withdrawn_by")]),
    ]


def readiness_subject_data(worker):
    """The worker's own data, the sensitive notes included (the file is for the worker)."""
    checks = ReadinessCheck.objects.filter(worker=worker).select_related(
        "evaluation_request", "created_by", "updated_by").order_by("date", "id")
    answers = (ReadinessAnswer.objects.filter(readiness_check__worker=worker)
               .select_related("readiness_check").order_by("readiness_check__date", "id"))
    tracks = Track.objects.filter(worker=worker).select_related("decision_advice").order_by("start", "id")
    pauses = (TrackPause.objects.filter(track__worker=worker).select_related("track", "created_by", "resumed_by")
              .order_by("paused_from", "id"))
    return [
        (_("Readiness checks"), [_generic_record(c) for c in checks]
         + [{**_generic_record(a), _("date of the check"): a.readiness_check.date} for a in answers]),
        (_("Throughflow tracks"), [_generic_record(t) for t in tracks]),
        (_("Pauses of the track"), [_generic_record(p) for p in pauses]),
    ]


# docs/domain.md §7: health data is minimised. The readiness checks themselves are the history of the
# throughflow decision and stay with the file; their health, family and money notes go with the
# confidential section, `policy.confidential_months` after the exit (same period as indication's).

def _sensitive_notes(worker_ids):
    return ReadinessAnswer.objects.filter(readiness_check__worker_id__in=worker_ids,
                                          determinant__in=SENSITIVE_DETERMINANTS).exclude(note="")


def find_expired_sensitive_notes(organisation, today, policy):
    cutoff = today - relativedelta(months=policy.confidential_months)
    workers = list(Worker.objects.filter(organisation=organisation, status=WorkerStatus.EXITED,
                                         status_since__lte=cutoff).order_by("status_since", "id"))
    keep = set(_sensitive_notes([w.pk for w in workers]).values_list("readiness_check__worker_id", flat=True))
    return [
        RetentionItem(
            object_type="throughflow.readiness_notes", object_id=str(w.pk), action="pseudonymise", worker_id=w.pk,
            description=_("Readiness checks of worker #%(id)s (exited %(date)s): notes on health, childcare and "
                          "family, and finances emptied") % {"id": w.pk, "date": w.status_since.strftime("%d/%m/%Y")},
            due=w.status_since + relativedelta(months=policy.confidential_months),
        )
        for w in workers if w.pk in keep
    ]


def apply_expired_sensitive_notes(items):
    _sensitive_notes([int(i.object_id) for i in items]).update(note="")


def erase_readiness(worker):
    _sensitive_notes([worker.pk]).update(note="")
    ReadinessCheck.objects.filter(worker=worker).update(summary="")


# Free text about the person (notes of the exit and of aftercare contacts, the reason for a late track start,
# notes on coaching hours, the job target's conditions, handover notes, application notes and internship
# evaluations) goes with the rest of the personal data when the worker is pseudonymised. The
# exit and follow-up rows themselves stay: they are the throughflow figures (reason, date, still employed).


def _with_notes(exits):
    worker = OuterRef("worker_id")
    return exits.filter(
        Q(note__gt="") | Exists(FollowUp.objects.filter(exit=OuterRef("pk")).exclude(note=""))
        | Exists(Track.objects.filter(worker=worker).exclude(late_start_reason=""))
        | Exists(CoachingHours.objects.filter(track__worker=worker).exclude(note=""))
        | Exists(JobTarget.objects.filter(worker=worker).filter(
            Q(childcare__gt="") | Q(pay_expectation__gt="") | Q(other_conditions__gt="")))
        | Exists(HandoverNote.objects.filter(worker=worker).filter(
            Q(works_well__gt="") | Q(support_tips__gt="") | Q(contact_moments__gt="")))
        | Exists(Application.objects.filter(worker=worker).exclude(note=""))
        | Exists(Internship.objects.filter(worker=worker).filter(Q(employer_evaluation__gt="")
                                                                  | Q(worker_evaluation__gt="")))
    )


def find_expired_notes(organisation, today, policy):
    cutoff = today - relativedelta(months=policy.pseudonymise_months)
    exits = _with_notes(Exit.objects.filter(organisation=organisation, date__lte=cutoff)).order_by("date", "id")
    return [
        RetentionItem(object_type="throughflow.exit", object_id=str(e.pk), action="pseudonymise", worker_id=e.worker_id,
                      description=_("Exit of %(date)s: the free-text notes of the exit, its follow-ups, the "
                                    "throughflow track and the job hunt are cleared") % {"date": e.date.strftime("%d/%m/%Y")},
                      due=e.date + relativedelta(months=policy.pseudonymise_months))
        for e in exits
    ]


def _clear_notes(worker_ids):
    JobTarget.objects.filter(worker_id__in=worker_ids).update(childcare="", pay_expectation="", other_conditions="")
    HandoverNote.objects.filter(worker_id__in=worker_ids).update(works_well="", support_tips="", contact_moments="")
    Application.objects.filter(worker_id__in=worker_ids).update(note="")
    Internship.objects.filter(worker_id__in=worker_ids).update(employer_evaluation="", worker_evaluation="")
    Exit.objects.filter(worker_id__in=worker_ids).update(note="")
    FollowUp.objects.filter(worker_id__in=worker_ids).update(note="")
    Track.objects.filter(worker_id__in=worker_ids).update(late_start_reason="")
    CoachingHours.objects.filter(track__worker_id__in=worker_ids).update(note="")


def apply_expired_notes(items):
    _clear_notes([i.worker_id for i in items])


def erase_worker(worker):
    _clear_notes([worker.pk])
