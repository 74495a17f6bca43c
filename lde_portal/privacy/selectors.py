"""Reads of the privacy pages, scoped to the acting member's organisation."""

from django.shortcuts import get_object_or_404

from lde_portal.files.selectors import generated_files

from . import services
from .models import ErasureRequest, Pseudonymisation


def privacy_tab(membership, worker) -> dict:
    """The worker's subject-access files, erasure requests and, once erased, the pseudonymisation."""
    org_id = membership.organisation_id
    return {
        "exports": generated_files(membership, services.SUBJECT_ACCESS, worker_id=worker.pk),
        "erasures": ErasureRequest.objects.filter(organisation_id=org_id, worker_id=worker.pk)
        .select_related("requested_by", "decided_by"),
        "erased": Pseudonymisation.objects.filter(worker_id=worker.pk).first(),
    }


def erasure_requests(membership):
    return ErasureRequest.objects.filter(organisation_id=membership.organisation_id).select_related(
        "requested_by", "decided_by")


def pending_erasure_count(membership) -> int:
    return erasure_requests(membership).filter(status=ErasureRequest.Status.PENDING).count()


def erasure_request_for(membership, pk) -> ErasureRequest:
    return get_object_or_404(ErasureRequest, pk=pk, organisation_id=membership.organisation_id)
