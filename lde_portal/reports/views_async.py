"""Large exports: started from views.export_download, built by tasks.build_export into a generated file
(lde_portal.files), downloaded through files:download."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import org_permission_required
from lde_portal.files.selectors import generated_file_for

from . import services
from .registry import EXPORTERS


def start_job(request, exporter, fmt, filters, *, total, filename):
    generated = services.generated_file_start(membership=request.membership, exporter=exporter, fmt=fmt,
                                              filters=filters, total=total, filename=filename)
    # With the broker down the job is failed already: the file page explains it and offers to try again.
    return redirect("reports:file", org_slug=request.organisation.slug, pk=generated.pk)


def _file_for(request, pk):
    """The organisation's unexpired export, and only for a member allowed to run its exporter; else 404."""
    generated = generated_file_for(request.membership, pk, kind=services.EXPORT)
    generated.label = EXPORTERS[generated.params["exporter"]].label
    return generated


def _progress_context(request, generated):
    kwargs = {"org_slug": request.organisation.slug, "pk": generated.pk}
    return {"file": generated, "progress_url": reverse("reports:file", kwargs=kwargs),
            "retry_url": reverse("reports:file_retry", kwargs=kwargs),
            "summary_template": "reports/_file_summary.html",
            "download_label": _("Download %(name)s") % {"name": generated.filename}}


@org_permission_required("reports.export")
def file_detail(request, pk):
    generated = _file_for(request, pk)
    template = "files/_progress.html" if request.htmx else "reports/file_detail.html"
    return render(request, template, _progress_context(request, generated))


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
