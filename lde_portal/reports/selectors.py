"""Reads of the export pages, scoped to the acting member's organisation."""

from lde_portal.files.selectors import generated_files

from . import services


def recent_files(membership):
    """The member's own background exports that have not expired, newest first."""
    return list(generated_files(membership, services.EXPORT, created_by=membership.user)[:10])
