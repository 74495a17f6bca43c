from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from lde_portal.accounts.access import has_perm

from .kinds import get_kind
from .models import GeneratedFile


def generated_file_for(membership, pk, *, kind: str | None = None) -> GeneratedFile:
    """The organisation's unexpired file (of `kind` when given). 404 for another organisation's, an expired
    one or one the kind's own check refuses; 403 for a member without the kind's permission."""
    generated = GeneratedFile.objects.filter(organisation_id=membership.organisation_id, pk=pk,
                                             expires_at__gt=timezone.now()).first()
    file_kind = get_kind(generated.kind) if generated else None
    if file_kind is None or (kind is not None and generated.kind != kind):
        raise Http404
    if not has_perm(membership, file_kind.permission):
        raise PermissionDenied
    if file_kind.may_access is not None and not file_kind.may_access(membership, generated):
        raise Http404
    return generated


def generated_files(membership, kind: str, **filters):
    return GeneratedFile.objects.filter(organisation_id=membership.organisation_id, kind=kind,
                                        expires_at__gt=timezone.now(), **filters).select_related("created_by")
