from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_file_access

from . import rendering
from .dashboards import panels_for
from .forms import DashboardForm, ExportForm
from .models import GeneratedFile
from .registry import EXPORTERS, ExportFilters, exporters_for
from .views_async import start_job


def recent_files(membership):
    """The member's own background exports that have not expired, newest first."""
    return list(GeneratedFile.objects.filter(organisation_id=membership.organisation_id, created_by=membership,
                                             expires_at__gt=timezone.now())[:10])


def _filename(exporter, fmt):
    return f"{exporter.key}-{timezone.localdate():%Y%m%d}.{fmt}"


@org_permission_required("reports.export")
def export_list(request):
    form = ExportForm(request.GET or None, organisation=request.organisation)
    return render(request, "reports/exports.html", {
        "exporters": exporters_for(request.membership), "form": form,
        "query": request.GET.urlencode(), "files": recent_files(request.membership),
    })


@org_permission_required("reports.export")
def export_download(request, key):
    exporter = EXPORTERS.get(key)
    if exporter is None or not has_perm(request.membership, exporter.permission):
        raise Http404
    form = ExportForm(request.GET, organisation=request.organisation)
    if not form.is_valid():
        return render(request, "reports/exports.html", {
            "exporters": exporters_for(request.membership), "form": form, "failed": exporter,
            "query": request.GET.urlencode()}, status=400)
    fmt, filters = form.cleaned_data["format"], form.filters()
    org, membership = request.organisation, request.membership
    n_rows = exporter.count(org, membership, filters)
    filename = _filename(exporter, fmt)
    if n_rows > settings.PORTAL_EXPORT_ASYNC_ROWS:
        return start_job(request, exporter, fmt, filters, total=n_rows, filename=filename)
    audit_file_access(actor=request.user, kind=AuditAction.EXPORT, organisation=org,
                      summary=f"{filename} ({n_rows} rows)", object_type="export", object_id=exporter.key)
    rows = exporter.rows(org, membership, filters)
    if fmt == "csv":
        response = StreamingHttpResponse(rendering.csv_bytes_chunks(exporter.headers, rows),
                                         content_type=rendering.CSV_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(_xlsx_stream(exporter, rows), content_type=rendering.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_stream(exporter, rows):
    """A workbook is a zip, written at the end: build it in a spooled temp file (memory up to 1 MB, disk
    beyond) and stream that file out in blocks."""
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as tmp:
        rendering.write_xlsx(exporter.headers, rows, tmp, title=str(exporter.label))
        tmp.seek(0)
        while block := tmp.read(64 * 1024):
            yield block


@org_permission_required("reports.dashboard")
def dashboard(request):
    """The role's dashboard. Coaches get their own week (no organisation filters); the others filter on
    period and activity, and every figure links to the list behind it."""
    membership = request.membership
    with_filters = membership.role != "coach"
    form = DashboardForm(request.GET or None, organisation=request.organisation) if with_filters else None
    filters = form.filters() if form is not None and form.is_bound and form.is_valid() else ExportFilters()
    panels = panels_for(request.organisation, membership, filters, timezone.localdate())
    this_year = timezone.localdate().year
    return render(request, "reports/dashboard.html", {
        "form": form, "panels": panels, "query": request.GET.urlencode(),
        "can_export": has_perm(membership, "reports.export"),
        "can_yearly": has_perm(membership, "reports.yearly"), "years": range(this_year, this_year - 6, -1),
    })


@org_permission_required("reports.yearly")
def yearly_report(request):
    """The board's yearly report: the manager dashboard's figures and charts for one calendar year, as PDF."""
    import datetime

    from django.http import HttpResponse
    from weasyprint import HTML

    from .dashboards import MANAGER_DASHBOARD, panels_for_dashboard

    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = 0
    if not 2000 <= year <= today.year:
        raise Http404
    filters = ExportFilters(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    panels = panels_for_dashboard(MANAGER_DASHBOARD, request.organisation, request.membership, filters, today)
    html = render(request, "reports/yearly_report.html", {
        "year": year, "panels": panels, "generated": timezone.localtime()}).content.decode()
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    filename = f"jaarverslag-{request.organisation.slug}-{year}.pdf"
    audit_file_access(actor=request.user, kind=AuditAction.EXPORT, organisation=request.organisation,
                      summary=filename, object_type="yearly_report", object_id=str(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
