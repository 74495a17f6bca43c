"""Alert providers for the stored trajectory deadlines (contract: docs/alerts.md).

Each provider reads TrajectoryDeadline rows of one kind with one range query; the trajectory services
keep those rows equal to rules.compute(), and a closed trajectory has none, so its alerts resolve.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lde_portal.alerts.registry import (
    ASSIGNED_COACHES,
    COORDINATORS,
    DAYS,
    MONTHS,
    AlertCandidate,
    register_provider,
)

from .models import TrajectoryDeadline, WorkerStatus


@dataclass(frozen=True)
class Kind:
    label: object
    title: str  # gettext_noop msgid, translated when the scan runs; never health information
    lead_times: tuple
    lead_unit: str
    is_task: bool
    escalates: bool = True
    resolved_by: object = ""
    # A VDAB evaluation requested within the alert's window (from its first lead time on) answers it, and
    # "Openen" goes to the evaluation request form on Indicering, where the task is done.
    answered_by_evaluation: bool = False
    priority: int | None = None


_CLOSED = gettext_lazy("the trajectory is closed (exit, regime change) or its date moves (an extension, a "
                       "suspension: the new date is a new alert)")
_EVALUATION = gettext_lazy("a VDAB evaluation requested on Indicering from the first lead time on; or "
                           "the trajectory is closed or its date moves")

# The alert kinds are the rules.py deadline kinds. Lead times are defaults (docs/domain.md §4: 12, 6 and 3
# months before the end); org admins change them on the alert settings page. The requests to VDAB are
# recorded on Indicering (indication.services keeps Trajectory.evaluation_requested_on), which answers
# them; the renewal window and the CMW evaluation date are still ticked off by hand when nothing is
# requested.
KINDS = {
    "trajectory_end": Kind(gettext_lazy("Trajectory end"),
                           gettext_noop("The trajectory ends and no VDAB evaluation has been requested: request it "
                                        "(throughflow, renewal or the next regime)"),
                           (12, 6, 3), MONTHS, is_task=False, resolved_by=_EVALUATION,
                           answered_by_evaluation=True, priority=10),
    "transition_evaluation_request_due": Kind(
        gettext_lazy("VDAB evaluation before the end of the transition"),
        gettext_noop("Request the VDAB evaluation on the IMW file before the transition ends"),
        (3, 1), MONTHS, is_task=True, resolved_by=_EVALUATION, answered_by_evaluation=True),
    "imw_renewal_window_opens": Kind(gettext_lazy("IMW renewal window opens"),
                                     gettext_noop("The IMW renewal can be requested from now on"),
                                     (14,), DAYS, is_task=True, escalates=False, resolved_by=_EVALUATION,
                                     answered_by_evaluation=True),
    "imw_renewal_request_due": Kind(gettext_lazy("Request the IMW renewal"),
                                    gettext_noop("Request the renewal of the IMW term"),
                                    (3, 1), MONTHS, is_task=True, resolved_by=_EVALUATION,
                                    answered_by_evaluation=True),
    "imw_end_evaluation_due": Kind(gettext_lazy("VDAB evaluation before the end of IMW"),
                                   gettext_noop("Request the VDAB evaluation: this IMW term cannot be renewed"),
                                   (3, 1), MONTHS, is_task=True, resolved_by=_EVALUATION,
                                   answered_by_evaluation=True),
    "earliest_evaluation": Kind(gettext_lazy("Evaluation can be requested (collective custom work)"),
                                gettext_noop("The VDAB evaluation can be requested from now on"),
                                (14,), DAYS, is_task=True, escalates=False, resolved_by=_EVALUATION,
                                answered_by_evaluation=True),
}


def _evaluation_url(organisation, worker_id):
    """The evaluation request form on Indicering; the trajectory tab when the indication app is absent
    (this app does not import it, it only links to its page by name)."""
    try:
        return reverse("indication:evaluation_add", kwargs={"org_slug": organisation.slug, "pk": worker_id})
    except NoReverseMatch:
        return f"/{organisation.slug}/workers/{worker_id}/trajectory/"


def _provider(kind: str):
    spec = KINDS[kind]

    def provide(organisation, today, settings):
        rows = (TrajectoryDeadline.objects
                .filter(organisation=organisation, kind=kind, due__lte=settings.horizon(kind, today),
                        trajectory__closed_on__isnull=True)
                .exclude(worker__status=WorkerStatus.EXITED)
                .values_list("trajectory_id", "worker_id", "due", "trajectory__evaluation_requested_on"))
        title = _(spec.title)
        for trajectory_id, worker_id, due, requested_on in rows:
            notify_from = settings.notify_from(kind, due)
            if spec.answered_by_evaluation and requested_on and requested_on >= notify_from:
                continue
            url = (_evaluation_url(organisation, worker_id) if spec.answered_by_evaluation
                   else f"/{organisation.slug}/workers/{worker_id}/trajectory/")
            yield AlertCandidate(
                kind=kind, worker_id=worker_id, subject_key=f"trajectory:{trajectory_id}", due=due,
                notify_from=notify_from, recipients=(ASSIGNED_COACHES, COORDINATORS), title=title, url=url,
            )

    provide.__name__ = f"{kind}_provider"
    return provide


def register():
    for kind, spec in KINDS.items():
        register_provider(kind, _provider(kind), label=spec.label, escalates=spec.escalates, is_task=spec.is_task,
                          lead_times=spec.lead_times, lead_unit=spec.lead_unit, resolved_by=spec.resolved_by or _CLOSED,
                          priority=spec.priority)
