import dataclasses
import datetime
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_file_access

from . import rendering, selectors
from .dashboards import MANAGER_DASHBOARD, panels_for, panels_for_dashboard
from .forms import DashboardForm, ExportForm
from .registry import EXPORTERS, ExportFilters, exporters_for
from .views_async import start_job


def _filename(exporter, fmt):
    return f"{exporter.key}-{timezone.localdate():%Y%m%d}.{fmt}"


@org_permission_required("reports.export")
def export_list(request):
    form = ExportForm(request.GET or None, organisation=request.organisation)
    return render(request, "reports/exports.html", {
        "exporters": exporters_for(request.membership), "form": form,
        "query": request.GET.urlencode(), "files": selectors.recent_files(request.membership),
    })


@org_permission_required("reports.export")
def export_download(request, key):
    exporter = EXPORTERS.get(key)
    if exporter is None or not has_perm(request.membership, exporter.permission):
        raise Http404
    if exporter.url_name:
        return redirect(exporter.url_name, org_slug=request.organisation.slug)
    form = ExportForm(request.GET, organisation=request.organisation)
    if not form.is_valid():
        return render(request, "reports/exports.html", {
            "exporters": exporters_for(request.membership), "form": form, "failed": exporter,
            "query": request.GET.urlencode()}, status=400)
    fmt = form.cleaned_data["format"]
    filters = dataclasses.replace(form.filters(), subset=exporter.subset_from(request.GET))
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
    with_filters = has_perm(membership, "worker.view_all")
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
    # Importing WeasyPrint loads Pango and fontconfig (seconds of start-up); only the PDF paths pay for it.
    from weasyprint import HTML  # noqa: PLC0415

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


FIGURE_LIST_PER_PAGE = 50


def _cell(value):
    """A row value as the page shows it: the export's own formats (dates dd/mm/yyyy, decimal comma)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        return (format(value, "f") if isinstance(value, Decimal) else str(value)).replace(".", ",")
    return str(value)


@org_permission_required("reports.dashboard")
def figure_list(request, key):
    """The rows behind a dashboard figure: the exporter's own rows for the same filters, so the figure, this
    list and the download one click further always agree. Scoped like the export (workers_visible_to), for
    every role with a dashboard; the download keeps the exporter's own permission."""
    exporter = EXPORTERS.get(key)
    if exporter is None:
        raise Http404
    form = DashboardForm(request.GET or None, organisation=request.organisation)
    filters = form.filters() if form.is_bound and form.is_valid() else ExportFilters()
    filters = dataclasses.replace(filters, subset=exporter.subset_from(request.GET))
    org, membership = request.organisation, request.membership
    keys = [c.key for c in exporter.columns]
    summed = [keys.index(k) for k in exporter.totals]
    totals = dict.fromkeys(summed, 0)
    rows = []
    # One pass: the totals are over every row, the page shows its slice.
    for row in exporter.rows(org, membership, filters):
        for i in summed:
            totals[i] += row[i] or 0
        rows.append(row)
    page = Paginator(rows, FIGURE_LIST_PER_PAGE).get_page(request.GET.get("page"))
    headers = exporter.headers
    page.object_list = [list(zip(headers, (_cell(v) for v in row), strict=True)) for row in page.object_list]
    choices = exporter.subset_choices()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/figure_list.html", {
        "exporter": exporter, "form": form, "page": page, "count": len(rows),
        "total_row": list(zip(exporter.headers, (_cell(totals[i]) if i in totals else "" for i in range(len(keys))),
                              strict=True)) if summed else None,
        "subset": [(choices[k].get(v, v)) for k, v in filters.subset],
        "query": query.urlencode(), "can_export": has_perm(membership, exporter.permission),
        "filters": filters,
    })
