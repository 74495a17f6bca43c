"""Organisation pages of the document platform: the dossier tab, issuing, downloads, batches."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import has_perm, org_permission_required, workers_visible_to
from lde_portal.concurrency import apply_errors, submit
from lde_portal.dossier import dossier_context, visible_worker
from lde_portal.uploads import serve_private_file

from . import selectors, services
from .forms import BatchForm, DocumentSettingsForm, RevokeForm
from .registry import DocumentDataError, PrintableWorker, attachments_for, get_kind, kinds_for
from .rendering import render_html


@org_permission_required("document.view")
def worker_documents(request, pk):
    worker = visible_worker(request.membership, pk)
    context = dossier_context(request, worker, "documents")
    context.update(
        documents=selectors.worker_documents(request.membership, worker.pk),
        attachments=attachments_for(request.membership, worker.pk),
        kinds=kinds_for(request.membership) if has_perm(request.membership, "document.issue") else [],
        can_revoke=has_perm(request.membership, "document.revoke"),
    )
    return render(request, "documents/worker_documents.html", context)


@org_permission_required("document.issue")
def issue(request, pk, kind):
    """Form → preview (the document's own HTML as a page) → issue. Nothing is stored before "issue"."""
    worker = visible_worker(request.membership, pk)
    kind = get_kind(kind)
    if kind is None:
        raise Http404
    return _issue_flow(request, worker, kind)


@org_permission_required("document.revoke")
def reissue(request, pk, doc_pk):
    """The same flow for a corrected copy of a revoked document: a new number, the old one points to it."""
    worker = visible_worker(request.membership, pk)
    old = selectors.worker_document(request.membership, worker.pk, doc_pk)
    kind = get_kind(old.kind)
    if kind is None or old.revoked_at is None or old.replaced_by_id is not None:
        raise Http404
    return _issue_flow(request, worker, kind, replaces=old)


def _issue_flow(request, worker, kind, replaces=None):
    if not has_perm(request.membership, kind.permission):
        raise PermissionDenied
    form = kind.form_class(request.POST or None, worker=PrintableWorker.of(worker), membership=request.membership)
    # "edit" comes back from the preview: show the form again with what was typed.
    if request.method == "POST" and request.POST.get("action") != "edit" and form.is_valid():
        data = form.document_data()
        try:
            if request.POST.get("action") == "issue":
                document = services.document_issue(kind=kind, worker=worker, membership=request.membership, data=data,
                                                   replaces=replaces)
                if replaces is not None:
                    messages.success(request, _("Document %(number)s has been issued; it replaces %(old)s.")
                                     % {"number": document.number, "old": replaces.number})
                else:
                    messages.success(request, _("Document %(number)s has been issued.") % {"number": document.number})
                return redirect("documents:worker_documents", org_slug=request.organisation.slug, pk=worker.pk)
            context = services.document_preview_context(kind=kind, worker=worker, membership=request.membership,
                                                        data=data)
        except DocumentDataError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            toolbar = render_to_string("documents/_preview_toolbar.html", {
                "form": form, "kind": kind, "worker": worker,
                "back_url": reverse("documents:worker_documents", kwargs={
                    "org_slug": request.organisation.slug, "pk": worker.pk}),
            }, request=request)
            return HttpResponse(render_html(kind, context, preview=True, extra={"toolbar": mark_safe(toolbar)}))  # noqa: S308 — rendered by our own template
    context = dossier_context(request, worker, "documents")
    context.update(form=form, kind=kind, replaces=replaces)
    return render(request, "documents/issue_form.html", context)


@org_permission_required("document.view")
def download(request, pk, doc_pk):
    worker = visible_worker(request.membership, pk)
    document = selectors.worker_document(request.membership, worker.pk, doc_pk)
    # The stored file byte for byte (never re-rendered).
    return serve_private_file(request, document.file, filename=f"{document.number}.pdf",
                              worker_id=document.worker_id, obj=document, summary=document.number)


@org_permission_required("document.revoke")
def revoke(request, pk, doc_pk):
    worker = visible_worker(request.membership, pk)
    document = selectors.worker_document(request.membership, worker.pk, doc_pk)
    form = RevokeForm(request.POST or None)
    if submit(request, form, lambda: services.document_revoke(document=document, actor=request.user,
                                                              reason=form.cleaned_data["reason"]),
              saved=_("Document %(number)s has been revoked.") % {"number": document.number}):
        if request.POST.get("then") == "reissue" and get_kind(document.kind) is not None:
            return redirect("documents:reissue", org_slug=request.organisation.slug, pk=worker.pk,
                            doc_pk=document.pk)
        return redirect("documents:worker_documents", org_slug=request.organisation.slug, pk=worker.pk)
    context = dossier_context(request, worker, "documents")
    context.update(form=form, document=document)
    return render(request, "documents/revoke_form.html", context)


@org_permission_required("document.batch")
def attestations(request):
    membership = request.membership
    kinds = kinds_for(membership, batch=True)
    kind = get_kind(request.GET.get("kind") or request.POST.get("kind") or "") or (kinds[0] if kinds else None)
    if kind is not None and kind not in kinds:
        kind = None
    workers = list(workers_visible_to(membership))
    form = options = None
    if kind is not None:
        # A domain page can link here with the selection made: ?kind=...&workers=1,2,3&opt-course=7 (e.g.
        # "attestations for all participants of this course"); the user still sees and confirms it.
        preselected = [p for p in request.GET.get("workers", "").split(",") if p.isdigit()]
        option_initial = {k[4:]: v for k, v in request.GET.items() if k.startswith("opt-")}
        form = BatchForm(request.POST or None, workers=workers, initial={"workers": preselected})
        options = kind.batch_form_class(request.POST or None, membership=membership, prefix="opt",
                                        initial=option_initial)
        if request.method == "POST" and form.is_valid() & options.is_valid():
            try:
                batch = services.batch_start(kind=kind, membership=membership, worker_ids=form.cleaned_data["workers"],
                                             data=options.document_data())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                # With the broker down the batch is failed already: its page explains it and offers a retry.
                return redirect("documents:batch_detail", org_slug=request.organisation.slug, batch_pk=batch.pk)
    return render(request, "documents/attestations.html", {
        "kinds": kinds, "kind": kind, "form": form, "options": options,
        "batches": selectors.recent_batches(membership),
        "can_configure": has_perm(membership, "document.configure"),
    })


def _batch_context(request, batch):
    kind = get_kind(batch.params.get("kind", ""))
    kwargs = {"org_slug": request.organisation.slug, "batch_pk": batch.pk}
    return {"batch": batch, "file": batch, "kind_label": kind.label if kind else batch.params.get("kind"),
            "progress_url": reverse("documents:batch_detail", kwargs=kwargs),
            "retry_url": reverse("documents:batch_retry", kwargs=kwargs),
            "summary_template": "documents/_batch_summary.html", "download_label": _("Download all as ZIP")}


@org_permission_required("document.batch")
def batch_detail(request, batch_pk):
    batch = selectors.batch_for(request.membership, batch_pk)
    template = "files/_progress.html" if request.htmx else "documents/batch_detail.html"
    return render(request, template, _batch_context(request, batch))


@require_POST
@org_permission_required("document.batch")
def batch_retry(request, batch_pk):
    batch = selectors.batch_for(request.membership, batch_pk)
    if batch.retryable:
        batch = services.batch_retry(batch=batch, membership=request.membership)
        batch.refresh_from_db(fields=["status", "error"])
        if not batch.not_queued:
            messages.success(request, _("The batch has been started again."))
    return redirect("documents:batch_detail", org_slug=request.organisation.slug, batch_pk=batch.pk)


@org_permission_required("document.configure")
def document_settings(request):
    conf = selectors.settings_for(request.organisation)
    form = DocumentSettingsForm(request.POST or None, instance=conf, initial={"version": conf.version})
    post = submit(request, form, lambda: services.settings_update(
        organisation=request.organisation, actor=request.user,
        data={k: form.cleaned_data[k] for k in ("number_prefix", "signatory_name", "signatory_role")},
        expected_version=form.cleaned_data.get("version")),
        saved=_("The document settings have been saved."),
        conflict=_("Someone else changed these settings in the meantime. Check the differences "
                   "below and save again to keep your version."))
    if post:
        return redirect("documents:attestations", org_slug=request.organisation.slug)
    return render(request, "documents/settings_form.html", {"form": form, "conflicts": post.conflicts})

