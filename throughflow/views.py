"""Views of the Doorstroom dossier tab: thin, the services decide (see trajects/views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import has_perm, org_permission_required, workers_visible_to
from trajects.models import WorkerStatus
from trajects.views import _apply_errors, _dossier_context

from . import selectors, services
from .forms import ExitForm, FollowUpForm


def _tab_url(request, worker):
    return redirect("throughflow:tab", org_slug=request.organisation.slug, pk=worker.pk)


@org_permission_required("throughflow.view")
def tab(request, pk):
    worker = get_object_or_404(workers_visible_to(request.membership), pk=pk)
    context = _dossier_context(request, worker, "throughflow")
    exit_ = selectors.exit_for(worker)
    context.update(
        exit=exit_, followups=list(exit_.followups.all()) if exit_ else [], today=timezone.localdate(),
        can_exit=exit_ is None and worker.status != WorkerStatus.EXITED
        and has_perm(request.membership, "throughflow.exit"),
        can_followup=has_perm(request.membership, "throughflow.followup"),
    )
    return render(request, "throughflow/tab.html", context)


@org_permission_required("throughflow.exit")
def exit_add(request, pk):
    worker = get_object_or_404(workers_visible_to(request.membership), pk=pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exit_record(worker=worker, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The exit has been recorded; the aftercare follow-ups are planned."))
            return _tab_url(request, worker)
    context = _dossier_context(request, worker, "throughflow")
    context.update(form=form, title=_("Record the exit"),
                   intro=_("Recording the exit closes the open trajectory, ends the employment and the coach "
                           "assignments and sets the status to exited. The history stays readable."))
    return render(request, "throughflow/form.html", context)


@org_permission_required("throughflow.followup")
def followup_edit(request, pk, followup_pk):
    worker, followup = selectors.followup_for(request.membership, pk, followup_pk)
    initial = {k: getattr(followup, k) for k in services.FOLLOWUP_FIELDS if getattr(followup, k) is not None}
    for k in ("still_employed", "same_employer", "support_needed"):
        if k in initial:
            initial[k] = "true" if initial[k] else "false"
    form = FollowUpForm(request.POST or None, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(followup=followup, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up has been recorded."))
            return _tab_url(request, worker)
    context = _dossier_context(request, worker, "throughflow")
    context.update(form=form, title=_("Aftercare follow-up at %(months)s months") % {"months": followup.months},
                   intro=_("Due %(due)s, exit on %(exit)s.") % {"due": followup.due.strftime("%d/%m/%Y"),
                                                               "exit": followup.exit.date.strftime("%d/%m/%Y")})
    return render(request, "throughflow/form.html", context)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@org_permission_required("throughflow.ratio")
def ratio(request):
    year = _int_or_none(request.GET.get("year"))
    report = selectors.throughflow_ratio(request.organisation, year)
    group, key = request.GET.get("by"), request.GET.get("key")
    listing = None
    if group in ("all", "activity", "coach"):
        exits = selectors.exits_in_year(request.organisation, report.year)
        if group != "all":
            field = f"{group}_id"
            exits = exits.filter(**({f"{field}__isnull": True} if key == "none" else {field: _int_or_none(key)}))
        listing = list(exits)
    context = {"report": report, "listing": listing, "group": group, "key": key,
               "durable_months": selectors.DURABLE_MONTHS}
    return render(request, "throughflow/ratio.html", context)
