from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.audit.confidential import confidential_read
from lde_portal.concurrency import perform, submit
from lde_portal.dossier import dossier_page, visible_worker

from . import selectors, services
from .forms import ErasureDecisionForm, ErasureRequestForm, RetentionPolicyForm


def _privacy_tab(request, worker, context, erasure_form=None, status=200):
    context.update(
        active_tab="privacy",
        **selectors.privacy_tab(request.membership, worker),
        erasure_form=erasure_form or ErasureRequestForm(),
        can_request_erasure=has_perm(request.membership, "privacy.request_erasure"),
    )
    return render(request, "privacy/worker_privacy.html", context, status=status)


@org_permission_required("privacy.subject_access")
def worker_privacy(request, pk):
    worker, context = dossier_page(request, pk, "privacy")
    return _privacy_tab(request, worker, context)


@require_POST
@org_permission_required("privacy.subject_access")
def subject_access_create(request, pk):
    worker = visible_worker(request.membership, pk)
    services.subject_access_create(worker=worker, actor=request.user)
    messages.success(request, _("The subject-access file has been made. Download it below and hand it to the worker."))
    return redirect("privacy:worker_privacy", org_slug=request.organisation.slug, pk=worker.pk)


def subject_access_downloaded(request, export):
    """The file holds the worker's confidential section: its download belongs in their confidential access
    log (the generated-file kind's on_download, before files:download sends it)."""
    confidential_read(request=request, worker_id=export.worker_id, organisation_id=export.organisation_id,
                      what=_("Subject-access file of %(date)s") % {"date": timezone.localtime(export.created_at).strftime("%d/%m/%Y")})


@require_POST
@org_permission_required("privacy.request_erasure")
def erasure_request(request, pk):
    worker, context = dossier_page(request, pk, "privacy")
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_request(worker=worker, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(request, _("The erasure request has been sent to the organisation administrators."))
            return redirect("privacy:worker_privacy", org_slug=request.organisation.slug, pk=worker.pk)
    return _privacy_tab(request, worker, context, erasure_form=form, status=400)


@org_permission_required("privacy.manage")
def retention_settings(request):
    org = request.organisation
    policy = services.policy_for(org)
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if submit(request, form, lambda: services.policy_update(organisation=org, actor=request.user,
                                                            data=form.cleaned_data,
                                                            expected_version=form.cleaned_data.get("version")),
              saved=_("The retention periods have been saved."), offer_current=False,
              conflict=_("Someone else has changed the retention periods in the meantime. Reload the page and check them.")):
        return redirect("privacy:retention", org_slug=org.slug)
    pending = selectors.pending_erasure_count(request.membership)
    return render(request, "privacy/retention.html", {"form": form, "pending": pending})


@org_permission_required("privacy.manage")
def retention_dry_run(request):
    sections = services.retention_plan(request.organisation)
    return render(request, "privacy/retention_dry_run.html", {
        "sections": sections, "total": sum(len(s.items) for s in sections),
        "policy": services.policy_for(request.organisation),
    })


@org_permission_required("privacy.manage")
def erasure_list(request):
    requests = selectors.erasure_requests(request.membership)
    return render(request, "privacy/erasure_list.html", {"requests": requests, "form": ErasureDecisionForm()})


@require_POST
@org_permission_required("privacy.manage")
def erasure_decide(request, pk):
    erasure = selectors.erasure_request_for(request.membership, pk)
    form = ErasureDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
    else:
        perform(request, lambda: services.erasure_decide(
            request=erasure, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"]), done=_("The decision has been recorded."))
    return redirect("privacy:erasure_list", org_slug=request.organisation.slug)
