"""Large exports: started from views.export_download, built by tasks.build_export."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_file_access

from . import selectors, services
from .models import FileStatus, GeneratedFile
from .registry import EXPORTERS


def start_job(request, exporter, fmt, filters, *, total, filename):
    generated = services.generated_file_start(membership=request.membership, exporter=exporter, fmt=fmt,
                                              filters=filters, total=total, filename=filename)
    # With the broker down the job is failed already: the file page explains it and offers to try again.
    return redirect("reports:file", org_slug=request.organisation.slug, pk=generated.pk)


def _file_for(request, pk) -> GeneratedFile:
    """The organisation's unexpired file, and only for a member allowed to run its exporter; else 404."""
    generated = selectors.unexpired_file(request.membership, pk)
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
    audit_file_access(actor=request.user, kind=AuditAction.EXPORT, organisation=request.organisation,
                      summary=f"{generated.filename} ({generated.done} rows)", object_type="generated_file",
                      object_id=str(generated.pk))
    return FileResponse(generated.file.open("rb"), as_attachment=True, filename=generated.filename)
