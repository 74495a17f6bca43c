"""Reads of the import pages, scoped to the acting member's organisation."""

from django.http import Http404

from .models import ImportRun

HISTORY_SIZE = 50


def run_for(membership, pk) -> ImportRun:
    """The organisation's run, or 404 (another organisation's runs cannot be probed)."""
    run = (ImportRun.objects.filter(organisation_id=membership.organisation_id, pk=pk)
           .select_related("created_by__user", "undone_by__user", "upload").first())
    if run is None:
        raise Http404
    return run


def run_history(membership, *, size: int = HISTORY_SIZE):
    return (ImportRun.objects.filter(organisation_id=membership.organisation_id)
            .select_related("created_by__user")[:size])
