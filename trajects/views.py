from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.concurrency import apply_errors, submit
from lde_portal.dossier import dossier_context, dossier_page, visible_worker
from lde_portal.offline import offline_page
from lde_portal.urls_util import object_url

from . import selectors, services
from .forms import (
    WORKER_FIELDS,
    AssignmentForm,
    EmploymentForm,
    EndAssignmentForm,
    OptionalEmploymentForm,
    StatusForm,
    WorkerCreateForm,
    WorkerFilterForm,
    WorkerForm,
)


@org_permission_required("org.view")
@offline_page
def home(request):
    membership = request.membership
    context = {}
    if not has_perm(membership, "worker.view_all"):
        # The cards show no coaches: the list's coach prefetch would be a query and 40 instances for nothing.
        workers = list(selectors.worker_list(membership).exclude(status="exited").prefetch_related(None))
        worker_url = object_url("trajects:worker_detail", org_slug=request.organisation.slug)
        for worker in workers:
            worker.href = worker_url(worker.pk)
        context["my_workers"] = workers
    else:
        context["counts"] = selectors.organisation_counts(membership)
    return render(request, "trajects/home.html", context)


@org_permission_required("worker.view")
def worker_list(request):
    membership = request.membership
    activities = list(selectors.activities_for(request.organisation))
    coaches = list(selectors.coaches_for(request.organisation))
    form = WorkerFilterForm(request.GET or None, activities=activities, coaches=coaches)
    filters = form.cleaned_data if form.is_valid() else {}
    workers = selectors.worker_list(
        membership,
        q=filters.get("q", ""),
        activity=filters.get("activity") or None,
        coach=filters.get("coach") or None,
        status=filters.get("status") or None,
        sort=filters.get("sort") or "name",
    )
    page = Paginator(workers, settings.PORTAL_WORKERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "trajects/_worker_rows.html" if request.htmx and request.htmx.target == "worker-results" else "trajects/worker_list.html"
    return render(request, template, {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": has_perm(membership, "worker.create"),
    })


@org_permission_required("worker.create")
def worker_create(request):
    org = request.organisation
    activities = selectors.activities_for(org, active_only=True)
    form = WorkerCreateForm(request.POST or None)
    employment_form = OptionalEmploymentForm(request.POST or None, prefix="employment", activities=activities)
    coaches = selectors.coaches_for(org)
    assignment_form = AssignmentForm(request.POST or None, prefix="coach", coaches=coaches)
    assignment_form.fields["coach"].required = False
    assignment_form.fields["start"].required = False
    if request.method == "POST" and form.is_valid() & employment_form.is_valid() & assignment_form.is_valid():
        employment = None if employment_form.is_empty() else {
            k: v for k, v in employment_form.cleaned_data.items() if v not in (None, "")
        }
        try:
            worker = services.worker_create(
                organisation=org,
                actor=request.user,
                data={k: form.cleaned_data[k] for k in WORKER_FIELDS if k in form.cleaned_data},
                status=form.cleaned_data["status"],
                status_date=form.cleaned_data["status_date"],
                employment=employment,
                coach=assignment_form.cleaned_data.get("coach"),
                coach_role=assignment_form.cleaned_data.get("role"),
            )
        except ValidationError as error:
            target = employment_form if hasattr(error, "error_dict") and set(error.error_dict) <= set(employment_form.fields) else form
            apply_errors(target, error)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": worker.full_name})
            return redirect("trajects:worker_detail", org_slug=org.slug, pk=worker.pk)
    return render(request, "trajects/worker_form.html", {
        "form": form, "employment_form": employment_form, "assignment_form": assignment_form, "creating": True,
    })


@org_permission_required("worker.edit")
def worker_edit(request, pk):
    worker = visible_worker(request.membership, pk)
    form = WorkerForm(request.POST or None, instance=worker)
    post = submit(request, form, lambda: services.worker_update(
        worker=worker, actor=request.user, data={k: form.cleaned_data[k] for k in WORKER_FIELDS},
        expected_version=form.cleaned_data.get("version")),
        saved=_("The details have been saved."),
        conflict=_("Someone else has changed these details in the meantime. Check the differences below and save again to keep your version."))
    if post:
        return redirect("trajects:worker_detail", org_slug=request.organisation.slug, pk=worker.pk)
    return render(request, "trajects/worker_form.html", {"form": form, "worker": worker, "conflicts": post.conflicts})


@org_permission_required("worker.view")
def worker_detail(request, pk):
    d = selectors.worker_dossier(request.membership, pk)
    context = dossier_context(request, d.worker, "overview")
    context.update(dossier=d)
    return render(request, "trajects/worker_detail.html", context)


@org_permission_required("worker.view")
def worker_history(request, pk):
    worker, changes = selectors.worker_history(request.membership, pk)
    context = dossier_context(request, worker, "history")
    context.update(changes=changes)
    return render(request, "trajects/worker_history.html", context)


@org_permission_required("worker.manage_employment")
def employment_form(request, pk, employment_pk=None):
    worker, context = dossier_page(request, pk, "overview")
    employment = selectors.employment_for(worker, employment_pk) if employment_pk else None
    form = EmploymentForm(request.POST or None, instance=employment,
                          activities=selectors.activities_for(request.organisation))

    def save():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if employment:
            return services.employment_update(employment=employment, actor=request.user, data=data,
                                              expected_version=form.cleaned_data.get("version"))
        return services.employment_add(worker=worker, actor=request.user, data=data)

    post = submit(request, form, save, saved=_("The employment has been saved."),
                  conflict=_("Someone else has changed this contract in the meantime. Check the differences "
                             "below and save again to keep your version."))
    if post:
        return redirect("trajects:worker_detail", org_slug=request.organisation.slug, pk=worker.pk)
    context.update(form=form, conflicts=post.conflicts,
                   title=_("Edit employment") if employment else _("Add employment"))
    return render(request, "trajects/dossier_form.html", context)


@org_permission_required("worker.manage_coaches")
def assignment_add(request, pk):
    worker, context = dossier_page(request, pk, "overview")
    form = AssignmentForm(request.POST or None, coaches=selectors.coaches_for(request.organisation))
    if submit(request, form, lambda: services.coach_assign(worker=worker, actor=request.user, **form.cleaned_data),
              saved=_("The coach has been assigned.")):
        return redirect("trajects:worker_detail", org_slug=request.organisation.slug, pk=worker.pk)
    context.update(form=form, title=_("Assign coach"))
    return render(request, "trajects/dossier_form.html", context)


@org_permission_required("worker.manage_coaches")
def assignment_end(request, pk, assignment_pk):
    worker, context = dossier_page(request, pk, "overview")
    assignment = selectors.assignment_for(worker, assignment_pk)
    form = EndAssignmentForm(request.POST or None)
    if submit(request, form, lambda: services.coach_unassign(assignment=assignment, actor=request.user,
                                                             end=form.cleaned_data["end"], seen_open=True),
              saved=_("The assignment has been ended.")):
        return redirect("trajects:worker_detail", org_slug=request.organisation.slug, pk=worker.pk)
    context.update(form=form, title=_("End the assignment of %(coach)s") % {"coach": assignment.coach.user})
    return render(request, "trajects/dossier_form.html", context)


@org_permission_required("worker.change_status")
def status_change(request, pk):
    worker, context = dossier_page(request, pk, "history")
    form = StatusForm(request.POST or None, initial={"status": worker.status})
    if submit(request, form, lambda: services.worker_change_status(worker=worker, actor=request.user,
                                                                   **form.cleaned_data),
              saved=_("The status has been changed.")):
        return redirect("trajects:worker_history", org_slug=request.organisation.slug, pk=worker.pk)
    context.update(form=form, title=_("Change status"))
    return render(request, "trajects/dossier_form.html", context)
