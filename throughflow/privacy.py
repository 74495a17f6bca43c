"""The throughflow part of a worker's subject-access file (issue #11): the exit and its follow-ups."""

from django.utils.translation import gettext as _

from trajects.privacy import _generic_record

from .models import Exit, FollowUp


def subject_data(worker):
    exits = Exit.objects.filter(worker=worker).select_related("activity", "coach__user", "trajectory", "created_by")
    followups = FollowUp.objects.filter(worker=worker).select_related("exit", "recorded_by")
    return [
        (_("Exit"), [_generic_record(e) for e in exits]),
        (_("Aftercare follow-ups"), [_generic_record(f) for f in followups]),
    ] + placement_subject_data(worker)


def placement_subject_data(worker):
    from .models import Application, HandoverConsent, HandoverNote, Internship, JobTarget

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
