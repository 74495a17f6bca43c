from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from lde_portal.accounts.access import org_permission_required
from lde_portal.dossier import dossier_page

from . import labels, selectors
from .forms import TrailFilterForm

PER_PAGE = 50


def _name_records(entries, organisation=None, names=None):
    """Each entry's record as a person calls it (labels.py); on the organisation's trail with its worker."""
    for entry in entries:
        worker_name = (names or {}).get(entry.worker_id, "")
        url = reverse("trajects:worker_detail", kwargs={"org_slug": organisation.slug, "pk": entry.worker_id}) \
            if worker_name else ""
        entry.record = labels.record_name(entry, worker_name, url)
        entry.changed = labels.changes(entry)


@org_permission_required("audit.view_worker")
def worker_trail(request, pk):
    """Who saw and changed what in this worker's file (docs/domain.md §7), newest first."""
    worker, context = dossier_page(request, pk, "audit")
    entries = selectors.worker_trail(request.membership, worker)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    _name_records(page.object_list)
    context.update(page=page)
    return render(request, "audit/worker_trail.html", context)


@org_permission_required("audit.view_org")
def organisation_trail(request):
    membership = request.membership
    type_names = labels.type_labels(selectors.trail_object_types(membership))
    form = TrailFilterForm(request.GET or None, users=selectors.trail_users(membership),
                           object_types=sorted(type_names.items(), key=lambda c: c[1]))
    entries = selectors.organisation_trail(membership, form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    names = selectors.worker_names(membership, {e.worker_id for e in page.object_list if e.worker_id})
    _name_records(page.object_list, request.organisation, names)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/organisation_trail.html", {"form": form, "page": page, "query": query.urlencode()})
