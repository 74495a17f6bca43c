"""Every read of the document platform, scoped by organisation (and by the worker, which the caller
fetched through access.workers_visible_to, so an unassigned coach gets 404)."""

from django.shortcuts import get_object_or_404
from django.utils.crypto import constant_time_compare

from lde_portal.files.models import GeneratedFile
from lde_portal.files.selectors import generated_file_for, generated_files

from .models import DocumentSettings, IssuedDocument

BATCH = "documents.batch"  # the generated-file kind of an attestation batch (lde_portal.files)


def worker_documents(membership, worker_id: int):
    return list(
        IssuedDocument.objects.filter(organisation_id=membership.organisation_id, worker_id=worker_id)
        .select_related("issued_by", "revoked_by", "replaced_by")
        .order_by("-issued_at", "-id")
    )


def worker_document(membership, worker_id: int, pk) -> IssuedDocument:
    return get_object_or_404(IssuedDocument, organisation_id=membership.organisation_id, worker_id=worker_id, pk=pk)


def recent_batches(membership, limit=10):
    return list(generated_files(membership, BATCH)[:limit])


def batch_for(membership, pk) -> GeneratedFile:
    return generated_file_for(membership, pk, kind=BATCH)


def settings_for(organisation) -> DocumentSettings:
    return DocumentSettings.objects.filter(organisation=organisation).first() or DocumentSettings(
        organisation=organisation)


def _public(qs):
    # The replacement's number only: it is printed on the new document, so naming it reveals nothing more.
    return qs.select_related("organisation", "replaced_by").only(
        "kind", "kind_label", "issued_at", "revoked_at", "worker_initials", "check_code", "language",
        "organisation__name", "replaced_by__number")


def verify_by_token(token: str) -> IssuedDocument | None:
    if not token or len(token) > 64:
        return None
    return _public(IssuedDocument.objects.filter(token=token)).first()


def verify_by_number(number: str, code: str) -> IssuedDocument | None:
    """None for an unknown number and for a wrong code alike: the answer never tells them apart."""
    document = _public(IssuedDocument.objects.filter(number=number)).first()
    expected = document.check_code if document else "XXXXXX"
    if constant_time_compare(expected, code) and document is not None:
        return document
    return None
