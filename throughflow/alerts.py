"""Alert provider for the aftercare follow-ups (contract: docs/alerts.md).

The coach assignments end with the exit, so the follow-ups go to the coordinators; recording the
contact (done_on) takes the row out of the provider's query and the scan resolves the alert.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lde_portal.alerts.registry import ASSIGNED_COACHES, COORDINATORS, DAYS, AlertCandidate, register_provider

AFTERCARE_FOLLOWUP = "aftercare_followup"
TITLE = gettext_noop("Aftercare: contact the former worker (%(months)s months after exit)")


def aftercare_provider(organisation, today, settings):
    from .models import FollowUp

    rows = (FollowUp.objects
            .filter(organisation=organisation, done_on__isnull=True,
                    due__lte=settings.horizon(AFTERCARE_FOLLOWUP, today))
            .values_list("pk", "worker_id", "due", "months"))
    for pk, worker_id, due, months in rows:
        yield AlertCandidate(
            kind=AFTERCARE_FOLLOWUP, worker_id=worker_id, subject_key=f"followup:{pk}", due=due,
            notify_from=settings.notify_from(AFTERCARE_FOLLOWUP, due), recipients=(COORDINATORS,),
            title=_(TITLE) % {"months": months}, url=f"/{organisation.slug}/workers/{worker_id}/throughflow/",
        )


PHASE_DUE = "throughflow_phase_due"
PHASE_TITLE = gettext_noop("The current phase of the throughflow track reaches its maximum")


def phase_provider(organisation, today, settings):
    """One stored phase deadline per open track (trajects.rules.phase_due); a phase change moves it."""
    from .models import Track

    rows = (Track.objects
            .filter(organisation=organisation, closed_on__isnull=True,
                    phase_due__lte=settings.horizon(PHASE_DUE, today))
            .exclude(worker__status="exited")
            .values_list("pk", "worker_id", "phase_due", "phase"))
    title = _(PHASE_TITLE)
    for pk, worker_id, due, phase in rows:
        yield AlertCandidate(
            kind=PHASE_DUE, worker_id=worker_id, subject_key=f"track:{pk}:{phase}", due=due,
            notify_from=settings.notify_from(PHASE_DUE, due), recipients=(ASSIGNED_COACHES, COORDINATORS),
            title=title, url=f"/{organisation.slug}/workers/{worker_id}/throughflow/",
        )


def register():
    register_provider(PHASE_DUE, phase_provider, label=gettext_lazy("Throughflow phase maximum"),
                      escalates=True, is_task=False, lead_times=(14,), lead_unit=DAYS)
    register_provider(AFTERCARE_FOLLOWUP, aftercare_provider, label=gettext_lazy("Aftercare follow-up"),
                      escalates=True, is_task=False, lead_times=(14,), lead_unit=DAYS)
