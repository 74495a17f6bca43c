"""Beheer → Importeren: upload, mapping step, dry run, confirm, progress, result, history, undo (docs/imports.md)."""

import os
import tempfile

from django.contrib import messages
from django.core.files import File
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import org_permission_required
from lde_portal.audit.models import AuditAction
from lde_portal.reports.rendering import XLSX_CONTENT_TYPE
from lde_portal.uploads import serve_private_file

from . import registry, selectors, services
from .forms import ConfirmForm, MappingForm, UploadForm
from .models import RunStatus
from .reading import FileRefused
from .writer import write_workbook

PERMISSION = "imports.run"


def _redirect(request, name, run):
    return redirect(f"imports:{name}", org_slug=request.organisation.slug, pk=run.pk)


@org_permission_required(PERMISSION)
def start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = os.path.splitext(upload.name)[1][:10]
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            try:
                run = services.run_create(membership=request.membership, path=tmp.name, filename=upload.name,
                                          sheet=form.cleaned_data["sheet"])
            except FileRefused as exc:
                form.add_error("file", exc.message)
                run = None
        if run is not None:
            return _after_upload(request, run)
    return render(request, "imports/start.html", {
        "form": form, "sheets": registry.sheets(), "runs": selectors.run_history(request.membership, size=5)},
        status=400 if form.errors else 200)


def _plan(run):
    """The run's plan, or None when its file is refused: the run is then failed, and its page says why."""
    try:
        plans, _warnings = services.run_plan(run)
    except FileRefused as exc:
        run.status, run.error = RunStatus.FAILED, exc.message
        run.save(update_fields=["status", "error"])
        return None
    return plans


def _after_upload(request, run):
    plans = _plan(run)
    if plans is None:
        return _redirect(request, "run", run)
    if any(unmapped for _s, _t, unmapped, _m in plans):
        return _redirect(request, "mapping", run)
    services.run_start(run)
    return _redirect(request, "run", run)


@org_permission_required(PERMISSION)
def mapping(request, pk):
    run = selectors.run_for(request.membership, pk)
    if run.status != RunStatus.PENDING or not run.dry_run:
        return _redirect(request, "run", run)
    plans = _plan(run)
    if plans is None:
        return _redirect(request, "run", run)
    unmapped = [(sheet, table, headers) for sheet, table, headers, _missing in plans if headers]
    missing = [(sheet, table, keys) for sheet, table, _headers, keys in plans if keys]
    form = MappingForm(request.POST or None, unmapped=unmapped)
    if request.method == "POST" and form.is_valid():
        services.mapping_save(run=run, answers=form.answers(), remember=form.cleaned_data["remember"])
        services.run_start(run)
        return _redirect(request, "run", run)
    columns = {sheet.key: {c.key: c.header for c in sheet.columns} for sheet, _t, _k in missing}
    return render(request, "imports/mapping.html", {
        "run": run, "form": form, "unmapped": unmapped,
        "missing": [(sheet, table, [columns[sheet.key][k] for k in keys]) for sheet, table, keys in missing]})


def _context(request, run):
    result = run.result or {}
    sheets = [{"key": k, **v} for k, v in (result.get("sheets") or {}).items()]
    labels = {s["key"]: s["label"] for s in sheets}
    changes = [{**c, "label": labels.get(c["sheet"], c["sheet"])} for c in result.get("changes", [])[:200]]
    warnings = [{**w, "label": labels.get(w["sheet"], w["sheet"])} for w in result.get("warnings", [])[:500]]
    # The one progress partial of lde_portal/files polls this page; a run has no retry or download of its own.
    return {"run": run, "file": run, "summary_template": "imports/_run_summary.html",
            "progress_url": reverse("imports:run", kwargs={"org_slug": request.organisation.slug, "pk": run.pk}),
            "done": services.progress_of(run), "sheets": sheets,
            "errors": result.get("errors", [])[:500], "warnings": warnings,
            "error_count": result.get("error_count", len(result.get("errors", []))),
            "changes": changes}


@org_permission_required(PERMISSION)
def run_detail(request, pk):
    run = selectors.run_for(request.membership, pk)
    context = _context(request, run)
    if request.htmx and not run.finished:
        return render(request, "files/_progress.html", context)
    if request.htmx:
        # Finished while the page was polling: reload the whole page for the result.
        response = render(request, "files/_progress.html", context)
        response["HX-Refresh"] = "true"
        return response
    context["confirm_form"] = ConfirmForm()
    if run.dry_run is False and run.committed and not run.undone_at:
        context["undo_blockers"] = None
    return render(request, "imports/run.html", context)


@require_POST
@org_permission_required(PERMISSION)
def confirm(request, pk):
    dry_run = selectors.run_for(request.membership, pk)
    form = ConfirmForm(request.POST)
    if not dry_run.dry_run or dry_run.status != RunStatus.DONE or not dry_run.upload_id or not form.is_valid():
        return _redirect(request, "run", dry_run)
    run = services.run_confirm(dry_run=dry_run, membership=request.membership,
                               skip_invalid=form.cleaned_data["mode"] == "valid")
    services.run_start(run)
    return _redirect(request, "run", run)


@org_permission_required(PERMISSION)
def error_file(request, pk):
    run = selectors.run_for(request.membership, pk)
    if run.status != RunStatus.DONE or not run.refused or not run.upload_id:
        raise Http404
    stem = os.path.splitext(run.filename)[0]
    ext = ".csv" if run.kind == "csv" else ".xlsx"
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it
    services.error_file_write(run, tmp)
    return serve_private_file(request, File(tmp, name=f"errors{ext}"), filename=f"{stem}-fouten{ext}",
                              summary=f"Error file of {run.filename}", object_type="imports.importrun",
                              object_id=str(run.pk),
                              content_type="text/csv; charset=utf-8" if run.kind == "csv" else XLSX_CONTENT_TYPE)


@org_permission_required(PERMISSION)
def undo(request, pk):
    run = selectors.run_for(request.membership, pk)
    if run.dry_run or not run.committed:
        raise Http404
    if request.method == "POST":
        blockers = services.run_undo(run=run, membership=request.membership)
        if not blockers:
            messages.success(request, _("The import has been undone."))
            return _redirect(request, "run", run)
    else:
        blockers = services.undo_blockers(run)
    return render(request, "imports/undo.html", {"run": run, "blockers": blockers})


@org_permission_required(PERMISSION)
def history(request):
    return render(request, "imports/history.html", {"runs": selectors.run_history(request.membership)})


@org_permission_required(PERMISSION)
def template(request):
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it
    write_workbook(tmp, organisation=request.organisation)
    # The empty workbook holds no personal data: its download is not on the audit trail.
    return serve_private_file(request, File(tmp, name="template.xlsx"), filename="importwerkboek.xlsx",
                              audit=False, content_type=XLSX_CONTENT_TYPE)


@org_permission_required(PERMISSION)
def export(request):
    """The whole organisation in the import workbook's layout: moving it to another portal is this file."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it
    counts = write_workbook(tmp, organisation=request.organisation, with_rows=True)
    return serve_private_file(request, File(tmp, name="export.xlsx"), filename=f"{request.organisation.slug}-export.xlsx",
                              audit_kind=AuditAction.EXPORT, summary=f"Organisation workbook ({sum(counts.values())} rows)",
                              object_type="export", object_id="import_workbook", content_type=XLSX_CONTENT_TYPE)
