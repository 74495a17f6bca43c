"""Views of the Doorstroom dossier tab: thin, the services decide (see trajects/views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import has_perm, org_permission_required, workers_visible_to
from lde_portal.concurrency import ConflictError, conflicting_fields
from trajects.models import WorkerStatus
from trajects.views import _apply_errors, _dossier_context

from . import selectors, services
from .forms import EmployerForm, ExitForm, FollowUpForm, HoursForm, PhaseForm, TrackForm
from .models import Employer


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
        can_track=has_perm(request.membership, "throughflow.track") and worker.status != WorkerStatus.EXITED,
        track_summary=selectors.track_for(worker),
    )
    return render(request, "throughflow/tab.html", context)


@org_permission_required("throughflow.exit")
def exit_add(request, pk):
    worker = get_object_or_404(workers_visible_to(request.membership), pk=pk)
    form = ExitForm(request.POST or None, employers=Employer.objects.filter(organisation=request.organisation))
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
        number = int(value)
    except (TypeError, ValueError):
        return None
    # A forged ?key=999... would overflow the database's integer in the filter.
    return number if abs(number) < 2**31 else None


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


@org_permission_required("employer.view")
def employer_list(request):
    q = request.GET.get("q", "").strip()
    context = {"employers": list(selectors.employer_list(request.organisation, q)), "q": q,
               "can_manage": has_perm(request.membership, "employer.manage")}
    return render(request, "throughflow/employer_list.html", context)


@org_permission_required("employer.view")
def employer_detail(request, employer_pk):
    employer, hires = selectors.employer_detail(request.organisation, employer_pk)
    context = {"employer": employer, "hires": hires, "can_manage": has_perm(request.membership, "employer.manage"),
               # Names of hired workers are for the roles that see the whole organisation (coaches see counts).
               "show_names": request.membership.role != "coach"}
    return render(request, "throughflow/employer_detail.html", context)


def _employer_form_page(request, form, title, conflict=None, employer=None):
    return render(request, "throughflow/employer_form.html",
                  {"form": form, "title": title, "conflict": conflict, "employer": employer})


@org_permission_required("employer.manage")
def employer_add(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(organisation=request.organisation, actor=request.user,
                                                data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The employer has been added to the directory."))
            return redirect("throughflow:employer_detail", org_slug=request.organisation.slug, employer_pk=employer.pk)
    return _employer_form_page(request, form, _("New employer"))


@org_permission_required("employer.manage")
def employer_edit(request, employer_pk):
    employer = get_object_or_404(Employer, organisation=request.organisation, pk=employer_pk)
    initial = {k: getattr(employer, k) for k in services.EMPLOYER_FIELDS}
    initial.update(version=employer.version, enterprise_number=employer.enterprise_number_display)
    form = EmployerForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(employer=employer, actor=request.user, data=form.cleaned_data,
                                     expected_version=form.cleaned_data.get("version"))
        except ConflictError as exc:
            conflict = conflicting_fields(form, exc.current)
            data = request.POST.copy()
            data["version"] = exc.current.version
            form.data = data
            form.add_error(None, _("Someone else changed this employer in the meantime. Compare and save again."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The employer has been saved."))
            return redirect("throughflow:employer_detail", org_slug=request.organisation.slug, employer_pk=employer.pk)
    return _employer_form_page(request, form, _("Edit employer"), conflict, employer)


def _track_form_page(request, worker, form, title, intro=""):
    context = _dossier_context(request, worker, "throughflow")
    context.update(form=form, title=title, intro=intro)
    return render(request, "throughflow/form.html", context)


@org_permission_required("throughflow.track")
def track_open(request, pk):
    worker = get_object_or_404(workers_visible_to(request.membership), pk=pk)
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.track_open(worker=worker, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The throughflow track has been opened."))
            return _tab_url(request, worker)
    return _track_form_page(request, worker, form, _("Open the throughflow track"),
                            _("Open the track on a favourable VDAB throughflow decision."))


def _open_track(request, pk):
    from .models import Track

    worker = get_object_or_404(workers_visible_to(request.membership), pk=pk)
    return worker, get_object_or_404(Track, worker=worker, closed_on__isnull=True)


@org_permission_required("throughflow.track")
def track_phase(request, pk):
    worker, track = _open_track(request, pk)
    form = PhaseForm(request.POST or None, initial={"version": track.version, "phase": track.phase})
    if request.method == "POST" and form.is_valid():
        try:
            services.track_change_phase(track=track, actor=request.user, phase=form.cleaned_data["phase"],
                                        since=form.cleaned_data["since"],
                                        expected_version=form.cleaned_data.get("version"))
        except ConflictError as exc:
            data = request.POST.copy()
            data["version"] = exc.current.version
            form.data = data
            form.add_error(None, _("Someone else changed the phase in the meantime (now: %(phase)s). "
                                   "Check and save again.") % {"phase": exc.current.get_phase_display()})
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The phase has been changed."))
            return _tab_url(request, worker)
    return _track_form_page(request, worker, form, _("Change the phase"))


@org_permission_required("throughflow.track")
def track_hours(request, pk):
    worker, track = _open_track(request, pk)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(track=track, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The coaching hours have been logged."))
            return _tab_url(request, worker)
    return _track_form_page(request, worker, form, _("Log coaching hours"))
