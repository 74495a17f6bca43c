"""The throughflow part of a worker's subject-access file (issue #11): the exit and its follow-ups."""

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from lde_portal.privacy.retention import RetentionItem
from trajects.privacy import _generic_record

from .models import CoachingHours, Exit, FollowUp, Track


def subject_data(worker):
    exits = Exit.objects.filter(worker=worker).select_related("activity", "coach__user", "trajectory", "created_by")
    followups = FollowUp.objects.filter(worker=worker).select_related("exit", "recorded_by")
    return [
        (_("Exit"), [_generic_record(e) for e in exits]),
        (_("Aftercare follow-ups"), [_generic_record(f) for f in followups]),
    ]


# Free text about the person (notes of the exit and of aftercare contacts, the reason for a late track start,
# notes on coaching hours) goes with the rest of the personal data when the worker is pseudonymised. The
# exit and follow-up rows themselves stay: they are the throughflow figures (reason, date, still employed).


def _with_notes(exits):
    worker = OuterRef("worker_id")
    return exits.filter(
        Q(note__gt="") | Exists(FollowUp.objects.filter(exit=OuterRef("pk")).exclude(note=""))
        | Exists(Track.objects.filter(worker=worker).exclude(late_start_reason=""))
        | Exists(CoachingHours.objects.filter(track__worker=worker).exclude(note=""))
    )


def find_expired_notes(organisation, today, policy):
    cutoff = today - relativedelta(months=policy.pseudonymise_months)
    exits = _with_notes(Exit.objects.filter(organisation=organisation, date__lte=cutoff)).order_by("date", "id")
    return [
        RetentionItem(object_type="throughflow.exit", object_id=str(e.pk), action="pseudonymise", worker_id=e.worker_id,
                      description=_("Exit of %(date)s: the free-text notes of the exit, its follow-ups and the "
                                    "throughflow track are cleared") % {"date": e.date.strftime("%d/%m/%Y")},
                      due=e.date + relativedelta(months=policy.pseudonymise_months))
        for e in exits
    ]


def _clear_notes(worker_ids):
    Exit.objects.filter(worker_id__in=worker_ids).update(note="")
    FollowUp.objects.filter(worker_id__in=worker_ids).update(note="")
    Track.objects.filter(worker_id__in=worker_ids).update(late_start_reason="")
    CoachingHours.objects.filter(track__worker_id__in=worker_ids).update(note="")


def apply_expired_notes(items):
    _clear_notes([i.worker_id for i in items])


def erase_worker(worker):
    _clear_notes([worker.pk])
