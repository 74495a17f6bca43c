"""Placement: everything of the job hunt for the tab, and one record of it."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from lde_portal.dossier import visible_worker

from ..models import Application, HandoverConsent, HandoverNote, Internship, JobTarget


@dataclass
class Placement:
    job_target: object
    applications: list
    internships: list
    handover_note: object
    consents: list

    @property
    def current_consents(self):
        return [c for c in self.consents if c.is_current]


def placement_for(worker) -> Placement:
    """Everything of the job hunt for the tab, in five queries whatever the number of rows."""
    return Placement(
        job_target=JobTarget.objects.filter(worker=worker).select_related("updated_by").first(),
        applications=list(Application.objects.filter(worker=worker).select_related("employer")
                          .order_by("-date", "-id")),
        internships=list(Internship.objects.filter(worker=worker).select_related("employer")
                         .order_by("-start", "-id")),
        handover_note=HandoverNote.objects.filter(worker=worker).select_related("updated_by").first(),
        consents=list(HandoverConsent.objects.filter(worker=worker)
                      .select_related("employer", "recorded_by", "withdrawn_by").order_by("-given_on", "-id")),
    )


def placement_record(membership, pk, model, record_pk):
    """One application / internship / consent of a worker the member sees (404 otherwise)."""
    worker = visible_worker(membership, pk)
    return worker, get_object_or_404(model.objects.select_related("employer"), pk=record_pk, worker=worker)
