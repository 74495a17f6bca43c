"""Reads of the export pages, scoped to the acting member's organisation."""

from django.utils import timezone

from .models import GeneratedFile


def recent_files(membership):
    """The member's own background exports that have not expired, newest first."""
    return list(GeneratedFile.objects.filter(organisation_id=membership.organisation_id, created_by=membership,
                                             expires_at__gt=timezone.now())[:10])


def unexpired_file(membership, pk) -> GeneratedFile | None:
    """The organisation's file `pk` while it has not expired (the caller checks the exporter's permission)."""
    return GeneratedFile.objects.filter(organisation_id=membership.organisation_id, pk=pk,
                                        expires_at__gt=timezone.now()).first()
