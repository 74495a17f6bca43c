"""Alert providers for the stored trajectory deadlines (contract: docs/alerts.md).

Each provider reads TrajectoryDeadline rows of one kind with one range query; the trajectory services
keep those rows equal to rules.compute(), and a closed trajectory has none, so its alerts resolve.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Kind:
    label: object
    title: str  # gettext_noop msgid, translated when the scan runs; never health information
    lead_times: tuple
    lead_unit: str
    is_task: bool
    escalates: bool = True


# The alert kinds are the rules.py deadline kinds. Lead times are defaults (domain.md §4: 12, 6 and 3
# months before the end); org admins change them on the alert settings page. The requests to VDAB are
# to-dos the coach ticks off, as the portal does not record the request itself.
KINDS = {
    "trajectory_end": Kind(gettext_lazy("Trajectory end"),
                           gettext_noop("The trajectory ends: plan throughflow, an extension or the next regime"),
                           (12, 6, 3), MONTHS, is_task=False),
    "transition_evaluation_request_due": Kind(
        gettext_lazy("VDAB evaluation before the end of the transition"),
        gettext_noop("Request the VDAB evaluation on the IMW file before the transition ends"),
        (3, 1), MONTHS, is_task=True),
    "imw_renewal_window_opens": Kind(gettext_lazy("IMW renewal window opens"),
                                     gettext_noop("The IMW renewal can be requested from now on"),
                                     (14,), DAYS, is_task=True, escalates=False),
    "imw_renewal_request_due": Kind(gettext_lazy("Request the IMW renewal"),
                                    gettext_noop("Request the renewal of the IMW term"),
                                    (3, 1), MONTHS, is_task=True),
    "imw_end_evaluation_due": Kind(gettext_lazy("VDAB evaluation before the end of IMW"),
                                   gettext_noop("Request the VDAB evaluation: this IMW term cannot be renewed"),
                                   (3, 1), MONTHS, is_task=True),
    "earliest_evaluation": Kind(gettext_lazy("Evaluation can be requested (collective custom work)"),
                                gettext_noop("The VDAB evaluation can be requested from now on"),
                                (14,), DAYS, is_task=True, escalates=False),
}


def _provider(kind: str):
    spec = KINDS[kind]

    def provide(organisation, today, settings):
        from .models import TrajectoryDeadline, WorkerStatus

        rows = (TrajectoryDeadline.objects
                .filter(organisation=organisation, kind=kind, due__lte=settings.horizon(kind, today),
                        trajectory__closed_on__isnull=True)
                .exclude(worker__status=WorkerStatus.EXITED)
                .values_list("trajectory_id", "worker_id", "due"))
        title = _(spec.title)
        for trajectory_id, worker_id, due in rows:
            yield AlertCandidate(
                kind=kind, worker_id=worker_id, subject_key=f"trajectory:{trajectory_id}", due=due,
                notify_from=settings.notify_from(kind, due), recipients=(ASSIGNED_COACHES, COORDINATORS),
                title=title, url=f"/{organisation.slug}/workers/{worker_id}/trajectory/",
            )

    provide.__name__ = f"{kind}_provider"
    return provide


def register():
    for kind, spec in KINDS.items():
        register_provider(kind, _provider(kind), label=spec.label, escalates=spec.escalates, is_task=spec.is_task,
                          lead_times=spec.lead_times, lead_unit=spec.lead_unit)
