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
    ]
