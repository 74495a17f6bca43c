"""Views of the Doorstroom dossier tab: thin, the services decide (see trajects/views.py)."""

from urllib.parse import urlencode

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
from .forms import EmployerForm, ExitForm, ExitListForm, FollowUpForm, HoursForm, PhaseForm, TrackForm
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
    context.update(_placement_context(request, worker, context["today"]))
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


@org_permission_required("throughflow.ratio")
def exit_list(request):
    """Every exit in the period with its reason: the list behind the dashboard's throughflow panels and the
    exits export (same filters, same selector, same numbers)."""
    from lde_portal.reports.registry import ExportFilters

    form = ExitListForm(request.GET or None, organisation=request.organisation)
    filters, reason, only_throughflow = ExportFilters(), None, False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = ExportFilters(start=data["start"], end=data["end"],
                                activity_id=data["activity"].pk if data["activity"] else None)
        reason, only_throughflow = data["reason"] or None, data["throughflow"]
    exits = list(selectors.exit_list(request.membership, filters, reason, only_throughflow))
    summary = selectors.ratio_of(exits)
    return render(request, "throughflow/exit_list.html", {
        "form": form, "exits": exits, "summary": summary, "durable_months": selectors.DURABLE_MONTHS,
        "export_query": urlencode({k: v for k, v in {"start": request.GET.get("start", ""),
                                                       "end": request.GET.get("end", ""),
                                                       "activity": request.GET.get("activity", "")}.items() if v}),
        "ratio_year": (filters.end or timezone.localdate()).year, "filtered_reason": reason or only_throughflow,
        "can_export": has_perm(request.membership, "reports.export")})


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
               "internships": selectors.employer_internships(employer),
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


# --------------------------------------------------------------------------- placement: job target,
# applications, internships, warm handover and consent


def _placement_form_page(request, worker, form, title, intro="", conflict=None):
    context = _dossier_context(request, worker, "throughflow")
    context.update(form=form, title=title, intro=intro, conflict=conflict)
    return render(request, "throughflow/placement_form.html", context)


def _save_versioned(request, form, save, conflict_message):
    """Run `save(expected_version)`; on a stale version show stored vs typed and offer the new version.
    Returns (saved, conflict)."""
    try:
        save(form.cleaned_data.get("version"))
    except ConflictError as exc:
        data = request.POST.copy()
        data["version"] = exc.current.version
        form.data = data
        form.add_error(None, conflict_message)
        return False, conflicting_fields(form, exc.current)
    except ValidationError as exc:
        _apply_errors(form, exc)
        return False, None
    return True, None


def _visible_worker(request, pk):
    return get_object_or_404(workers_visible_to(request.membership), pk=pk)


@org_permission_required("throughflow.track")
def job_target_edit(request, pk):
    from .forms import JobTargetForm

    worker = _visible_worker(request, pk)
    target = selectors.placement_for(worker).job_target
    initial = None
    if target is not None:
        initial = {k: getattr(target, k) for k in services.JOB_TARGET_FIELDS}
        initial["version"] = target.version
    form = JobTargetForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_versioned(request, form, lambda version: services.job_target_save(
            worker=worker, actor=request.user, data=form.cleaned_data, expected_version=version),
            _("Someone else changed the job target in the meantime. Compare and save again."))
        if saved:
            messages.success(request, _("The job target has been saved."))
            return _tab_url(request, worker)
    return _placement_form_page(request, worker, form, _("Job target"),
                                _("Set the job target realistically with the worker: commute, hours, childcare "
                                  "and pay. Earlier versions stay in the history."), conflict)


def _record_edit(request, pk, record_pk, model, form_class, fields, save, title, saved_message, conflict_message):
    if record_pk is None:
        worker, record = _visible_worker(request, pk), None
        initial = None
    else:
        worker, record = selectors.placement_record(request.membership, pk, model, record_pk)
        initial = {k: getattr(record, k) for k in fields}
        initial["version"] = record.version
        for k in ("employer_rating", "worker_rating"):
            if k in initial and initial[k] is not None:
                initial[k] = str(initial[k])
    form = form_class(request.POST or None, initial=initial,
                      employers=selectors.directory_employers(request.organisation))
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_versioned(request, form, lambda version: save(
            worker=worker, actor=request.user, data=form.cleaned_data, expected_version=version,
            **({model._meta.model_name: record} if record is not None else {})), conflict_message)
        if saved:
            messages.success(request, saved_message)
            return _tab_url(request, worker)
    return _placement_form_page(request, worker, form, title, conflict=conflict)


@org_permission_required("throughflow.track")
def application_add(request, pk, application_pk=None):
    from .forms import ApplicationForm
    from .models import Application

    return _record_edit(request, pk, application_pk, Application, ApplicationForm, services.APPLICATION_FIELDS,
                        services.application_save,
                        _("Edit application") if application_pk else _("New application"),
                        _("The application has been saved."),
                        _("Someone else changed this application in the meantime. Compare and save again."))


@org_permission_required("throughflow.track")
def internship_add(request, pk, internship_pk=None):
    from .forms import InternshipForm
    from .models import Internship

    return _record_edit(request, pk, internship_pk, Internship, InternshipForm, services.INTERNSHIP_FIELDS,
                        services.internship_save,
                        _("Edit internship") if internship_pk else _("New internship"),
                        _("The internship has been saved."),
                        _("Someone else changed this internship in the meantime. Compare and save again."))


@org_permission_required("throughflow.track")
def handover_edit(request, pk):
    from .forms import HandoverNoteForm

    worker = _visible_worker(request, pk)
    note = selectors.placement_for(worker).handover_note
    initial = None
    if note is not None:
        initial = {k: getattr(note, k) for k in services.HANDOVER_FIELDS}
        initial["version"] = note.version
    form = HandoverNoteForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_versioned(request, form, lambda version: services.handover_note_save(
            worker=worker, actor=request.user, data=form.cleaned_data, expected_version=version),
            _("Someone else changed the handover notes in the meantime. Compare and save again."))
        if saved:
            messages.success(request, _("The handover notes have been saved."))
            return _tab_url(request, worker)
    return _placement_form_page(request, worker, form, _("Warm-handover notes"),
                                _("For the new employer: write only what the worker agrees to show an employer, "
                                  "never health or personal problems."), conflict)


@org_permission_required("throughflow.track")
def consent_add(request, pk):
    from .forms import ConsentForm

    worker = _visible_worker(request, pk)
    form = ConsentForm(request.POST or None, employers=selectors.directory_employers(request.organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(worker=worker, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The consent has been recorded."))
            return _tab_url(request, worker)
    return _placement_form_page(request, worker, form, _("Consent to share a handover summary"),
                                _("Record what the worker agreed to share with this next employer. Without a "
                                  "current consent no handover summary can be issued."))


@org_permission_required("throughflow.track")
def consent_withdraw(request, pk, consent_pk):
    from .forms import WithdrawConsentForm
    from .models import HandoverConsent

    worker, consent = selectors.placement_record(request.membership, pk, HandoverConsent, consent_pk)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, actor=request.user,
                                      withdrawn_on=form.cleaned_data["withdrawn_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The consent has been withdrawn."))
            return _tab_url(request, worker)
    return _placement_form_page(
        request, worker, form, _("Withdraw the consent"),
        _("Consent for %(employer)s, given on %(date)s. After withdrawing, no new handover summary can be "
          "issued for this employer.") % {"employer": consent.employer.name, "date": consent.given_on.strftime("%d/%m/%Y")})


# The internship phase ends with a POP update (domain.md §3.6): the tab reminds of it for this long.
POP_HINT_DAYS = 90


def _placement_context(request, worker, today):
    placement = selectors.placement_for(worker)
    ended = [i for i in placement.internships if i.end <= today]
    latest = max(ended, key=lambda i: (i.end, i.pk), default=None)
    return {
        "placement": placement,
        "pop_hint": latest if latest and (today - latest.end).days <= POP_HINT_DAYS else None,
        "can_see_pop": has_perm(request.membership, "pop.view"),
        "can_issue_summary": has_perm(request.membership, "document.issue"),
    }
