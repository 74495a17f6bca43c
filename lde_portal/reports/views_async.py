"""Large exports: started from views.export_download, built by tasks.build_export."""

import mimetypes

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.audit.models import AuditAction
from lde_portal.uploads import serve_private_file

from . import services
from .models import FileStatus, GeneratedFile
from .registry import EXPORTERS


def start_job(request, exporter, fmt, filters, *, total, filename):
    generated = services.generated_file_start(membership=request.membership, exporter=exporter, fmt=fmt,
                                              filters=filters, total=total, filename=filename)
    # With the broker down the job is failed already: the file page explains it and offers to try again.
    return redirect("reports:file", org_slug=request.organisation.slug, pk=generated.pk)


def _file_for(request, pk) -> GeneratedFile:
    """The organisation's unexpired file, and only for a member allowed to run its exporter; else 404."""
    generated = (GeneratedFile.objects.filter(organisation=request.organisation, pk=pk,
                                              expires_at__gt=timezone.now()).first())
    exporter = EXPORTERS.get(generated.exporter) if generated else None
    if exporter is None or not has_perm(request.membership, exporter.permission):
        raise Http404
    generated.label = exporter.label
    return generated


@org_permission_required("reports.export")
def file_detail(request, pk):
    generated = _file_for(request, pk)
    template = "reports/_file_progress.html" if request.htmx else "reports/file_detail.html"
    return render(request, template, {"file": generated})


@require_POST
@org_permission_required("reports.export")
def file_retry(request, pk):
    generated = _file_for(request, pk)
    if generated.retryable:
        generated = services.generated_file_retry(generated=generated, membership=request.membership)
        generated.refresh_from_db(fields=["status", "error"])
        if generated.error != services.NOT_QUEUED:
            messages.success(request, _("The export has been started again."))
    return redirect("reports:file", org_slug=request.organisation.slug, pk=generated.pk)


@org_permission_required("reports.export")
def file_download(request, pk):
    generated = _file_for(request, pk)
    if generated.status != FileStatus.DONE or not generated.file:
        raise Http404
    return serve_private_file(request, generated.file, filename=generated.filename, audit_kind=AuditAction.EXPORT,
                              summary=f"{generated.filename} ({generated.done} rows)", object_type="generated_file",
                              object_id=str(generated.pk), content_type=mimetypes.guess_type(generated.filename)[0])
