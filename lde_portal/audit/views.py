import datetime

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lde_portal.accounts.access import org_permission_required
from lde_portal.accounts.models import User
from lde_portal.dossier import dossier_page

from . import labels
from .forms import TrailFilterForm
from .models import AuditEntry

PER_PAGE = 50


def _name_records(entries, organisation=None, names=None):
    """Each entry's record as a person calls it (labels.py); on the organisation's trail with its worker."""
    for entry in entries:
        worker_name = (names or {}).get(entry.worker_id, "")
        url = reverse("trajects:worker_detail", kwargs={"org_slug": organisation.slug, "pk": entry.worker_id}) \
            if worker_name else ""
        entry.record = labels.record_name(entry, worker_name, url)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@org_permission_required("audit.view_worker")
def worker_trail(request, pk):
    """Who saw and changed what in this worker's file (domain.md §7), newest first."""
    worker, context = dossier_page(request, pk, "audit")
    entries = AuditEntry.objects.filter(organisation=request.organisation, worker_id=worker.pk).select_related("actor")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    _name_records(page.object_list)
    context.update(page=page)
    return render(request, "audit/worker_trail.html", context)


@org_permission_required("audit.view_org")
def organisation_trail(request):
    org = request.organisation
    users = User.objects.filter(memberships__organisation=org).order_by("first_name", "last_name", "email")
    object_types = list(AuditEntry.objects.filter(organisation=org).order_by("object_type")
                        .values_list("object_type", flat=True).distinct())
    type_names = labels.type_labels(object_types)
    form = TrailFilterForm(request.GET or None, users=users,
                           object_types=sorted(type_names.items(), key=lambda c: c[1]))
    entries = AuditEntry.objects.filter(organisation=org).select_related("actor")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor=data["actor"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["worker"]:
            term = data["worker"].strip().lstrip("#")
            if term.isdigit():
                entries = entries.filter(worker_id=int(term))
            else:
                Worker = apps.get_model("trajects", "Worker")
                name_q = Q()
                for part in term.split():
                    name_q &= Q(first_name__icontains=part) | Q(last_name__icontains=part)
                entries = entries.filter(worker_id__in=Worker.objects.filter(name_q, organisation=org).values("pk"))
        if data["date_from"]:
            entries = entries.filter(at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    worker_ids = {e.worker_id for e in page.object_list if e.worker_id}
    names = {}
    if worker_ids:
        Worker = apps.get_model("trajects", "Worker")
        names = {pk: f"{first} {last}" for pk, first, last in
                 Worker.objects.filter(organisation=org, pk__in=worker_ids).values_list("pk", "first_name", "last_name")}
    _name_records(page.object_list, org, names)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/organisation_trail.html", {"form": form, "page": page, "query": query.urlencode()})
