"""Views of the Doorstroom dossier tab: thin, the services decide (see trajects/views.py)."""

import functools
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.accounts.access import can_read_confidential, has_perm, org_permission_required
from lde_portal.audit.confidential import confidential_read
from lde_portal.concurrency import submit
from lde_portal.dossier import dossier_context, visible_worker
from lde_portal.reports.registry import ExportFilters
from trajects.models import WorkerStatus

from . import rules as tf_rules
from . import selectors, services
from .forms import (
    ApplicationForm,
    ConsentForm,
    EmployerForm,
    ExitForm,
    ExitListForm,
    FollowUpForm,
    HandoverNoteForm,
    HoursForm,
    InternshipForm,
    JobTargetForm,
    PauseForm,
    PhaseForm,
    ReadinessForm,
    ResumeForm,
    ThroughflowSettingsForm,
    TrackForm,
    WithdrawConsentForm,
)
from .models import (
    SENSITIVE_DETERMINANTS,
    Application,
    Assessment,
    Determinant,
    HandoverConsent,
    Internship,
    ReadinessDecision,
    Track,
)


def _tab_url(request, worker):
    return redirect("throughflow:tab", org_slug=request.organisation.slug, pk=worker.pk)


# docs/domain.md §7: the job target's childcare and pay conditions and a readiness check's health, family and
# finances (assessment and note) are confidential. Every response that shows them, whichever view, calls one
# of these two, so the worker's access log has the read (one entry per request, lde_portal/audit/confidential.py).


def _job_target_read(request, worker):
    confidential_read(request=request, worker=worker, what=_("Job target (childcare and pay conditions)"))


def _readiness_read(request, worker, check=None):
    what = (_("Readiness check of %(date)s (health, family and finances)") % {"date": check.date.strftime("%d/%m/%Y")}
            if check is not None else _("Readiness checks (health, family and finances)"))
    confidential_read(request=request, worker=worker, what=what)


@org_permission_required("throughflow.view")
def tab(request, pk):
    worker = visible_worker(request.membership, pk)
    context = dossier_context(request, worker, "throughflow")
    exit_ = selectors.exit_for(worker)
    # Asked at most once, and only when needed (for a coach it is a query).
    may_read_confidential = functools.cache(lambda: can_read_confidential(request.membership, worker))
    context.update(
        exit=exit_, followups=list(exit_.followups.all()) if exit_ else [], today=timezone.localdate(),
        can_exit=exit_ is None and worker.status != WorkerStatus.EXITED
        and has_perm(request.membership, "throughflow.exit"),
        can_followup=has_perm(request.membership, "throughflow.followup"),
        can_track=has_perm(request.membership, "throughflow.track") and worker.status != WorkerStatus.EXITED,
        track_summary=selectors.track_for(worker),
    )
    context.update(_placement_context(request, worker, context["today"], may_read_confidential))
    context.update(_readiness_context(request, worker, may_read_confidential))
    context["can_edit_job_target"] = context["can_track"] and may_read_confidential()
    return render(request, "throughflow/tab.html", context)


def _record_add(request, pk, form_class, service, *, saved, title, intro):
    """A record about the worker and one of the directory's employers (the exit, a consent), back to the tab."""
    worker = visible_worker(request.membership, pk)
    form = form_class(request.POST or None, employers=selectors.directory_employers(request.organisation))
    if submit(request, form, lambda: service(worker=worker, actor=request.user, data=form.cleaned_data), saved=saved):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, title, intro)


@org_permission_required("throughflow.exit")
def exit_add(request, pk):
    return _record_add(request, pk, ExitForm, services.exit_record,
                       saved=_("The exit has been recorded; the aftercare follow-ups are planned."),
                       title=_("Record the exit"),
                       intro=_("Recording the exit closes the open trajectory, ends the employment and the coach "
                               "assignments and sets the status to exited. The history stays readable."))


@org_permission_required("throughflow.followup")
def followup_edit(request, pk, followup_pk):
    worker, followup, in_dossier = selectors.followup_for(request.membership, pk, followup_pk)
    initial = {k: getattr(followup, k) for k in services.FOLLOWUP_FIELDS if getattr(followup, k) is not None}
    for k in ("still_employed", "same_employer", "support_needed"):
        if k in initial:
            initial[k] = "true" if initial[k] else "false"
    form = FollowUpForm(request.POST or None, initial={**initial, "version": followup.version}, due=followup.due,
                        months=followup.months)
    title = _("Aftercare follow-up at %(months)s months") % {"months": followup.months}
    intro = _("Due %(due)s, exit on %(exit)s.") % {"due": followup.due.strftime("%d/%m/%Y"),
                                                  "exit": followup.exit.date.strftime("%d/%m/%Y")}
    save = lambda version: services.followup_record(  # noqa: E731
        followup=followup, actor=request.user, data=form.cleaned_data, expected_version=version)
    conflict_message = _("Someone else recorded this follow-up in the meantime. Compare and save again.")
    if in_dossier:
        return _versioned_form_page(request, worker, form, save, saved_message=_("The follow-up has been recorded."),
                                    conflict_message=conflict_message, title=title, intro=intro)
    # A coach's former worker: no dossier to return to, so the page stands alone and goes back home.
    post = submit(request, form, lambda: save(form.cleaned_data.get("version")),
                  saved=_("The follow-up has been recorded."), conflict=conflict_message)
    if post:
        return redirect("trajects:home", org_slug=request.organisation.slug)
    return render(request, "throughflow/followup_former.html", {
        "worker": worker, "form": form, "title": title, "intro": intro, "conflict": post.conflicts})


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


@org_permission_required("throughflow.ratio")
def exit_list(request):
    """Every exit in the period with its reason: the list behind the dashboard's throughflow panels and the
    exits export (same filters, same selector, same numbers)."""
    form = ExitListForm(request.GET or None, organisation=request.organisation)
    filters, narrowed = ExportFilters(), {}
    if form.is_bound and form.is_valid():
        filters = form.filters()
        narrowed = {"reason": form.cleaned_data["reason"] or None, "throughflow": form.cleaned_data["throughflow"],
                    "durable": form.cleaned_data["durable"]}
    exits = list(selectors.exit_list(request.membership, filters, **narrowed))
    # The ratios are over every exit of the period: a list narrowed to the throughflow (a dashboard ratio's
    # numerator) still shows the denominator it is computed on.
    summary = selectors.ratio_of(selectors.exits_in(request.membership, filters))
    period_query = {k: v for k, v in {"start": request.GET.get("start", ""), "end": request.GET.get("end", ""),
                                      "activity": request.GET.get("activity", "")}.items() if v}
    return render(request, "throughflow/exit_list.html", {
        "form": form, "exits": exits, "summary": summary, "durable_months": selectors.DURABLE_MONTHS,
        "export_query": urlencode(period_query),
        "ratio_year": (filters.end or timezone.localdate()).year, "filtered_reason": any(narrowed.values()),
        "narrowed": narrowed,
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
               "show_names": has_perm(request.membership, "worker.view_all")}
    return render(request, "throughflow/employer_detail.html", context)


def _employer_form_page(request, form, title, conflict=None, employer=None):
    return render(request, "throughflow/employer_form.html",
                  {"form": form, "title": title, "conflict": conflict, "employer": employer})


@org_permission_required("employer.manage")
def employer_add(request):
    form = EmployerForm(request.POST or None)
    post = submit(request, form, lambda: services.employer_create(organisation=request.organisation,
                                                                  actor=request.user, data=form.cleaned_data),
                  saved=_("The employer has been added to the directory."))
    if post:
        return redirect("throughflow:employer_detail", org_slug=request.organisation.slug, employer_pk=post.result.pk)
    return _employer_form_page(request, form, _("New employer"))


@org_permission_required("employer.manage")
def employer_edit(request, employer_pk):
    employer = selectors.employer_for(request.membership, employer_pk)
    initial = {k: getattr(employer, k) for k in services.EMPLOYER_FIELDS}
    initial.update(version=employer.version, enterprise_number=employer.enterprise_number_display)
    form = EmployerForm(request.POST or None, initial=initial)
    post = submit(request, form, lambda: services.employer_update(employer=employer, actor=request.user,
                                                                  data=form.cleaned_data,
                                                                  expected_version=form.cleaned_data.get("version")),
                  saved=_("The employer has been saved."),
                  conflict=_("Someone else changed this employer in the meantime. Compare and save again."))
    if post:
        return redirect("throughflow:employer_detail", org_slug=request.organisation.slug, employer_pk=employer.pk)
    return _employer_form_page(request, form, _("Edit employer"), post.conflicts, employer)


@org_permission_required("throughflow.track")
def track_open(request, pk):
    worker = visible_worker(request.membership, pk)
    form = TrackForm(request.POST or None)
    advice = selectors.favourable_decision_for(worker)
    intro = _("Open the track on a favourable VDAB throughflow decision.")
    if advice is not None:
        # The decision recorded on the Indicering tab is the source: date and reference are locked.
        for name, value in (("decision_date", advice.decision_date),
                            ("decision_reference", services.decision_reference(advice))):
            form.fields[name].disabled = True
            form.fields[name].initial = value
        form.fields["decision_date"].help_text = _("From the favourable decision on the Indicering tab.")
        if advice.track_start_due:
            form.fields["start"].help_text = _("At the latest on %(date)s (3 months after the decision).") % {
                "date": advice.track_start_due.strftime("%d/%m/%Y")}
    else:
        intro += " " + _("No favourable throughflow decision is recorded on the Indicering tab: record it there "
                         "so its deadline is followed up, or enter its date and reference here.")
    if submit(request, form, lambda: services.track_open(worker=worker, actor=request.user,
                                                         data={**form.cleaned_data, "decision_advice": advice}),
              saved=_("The throughflow track has been opened.")):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, _("Open the throughflow track"), intro)


def _open_track(request, pk):
    worker = visible_worker(request.membership, pk)
    return worker, get_object_or_404(Track, worker=worker, closed_on__isnull=True)


@org_permission_required("throughflow.track")
def track_phase(request, pk):
    worker, track = _open_track(request, pk)
    form = PhaseForm(request.POST or None, initial={"version": track.version, "phase": track.phase})
    if submit(request, form, lambda: services.track_change_phase(
            track=track, actor=request.user, phase=form.cleaned_data["phase"], since=form.cleaned_data["since"],
            expected_version=form.cleaned_data.get("version")),
            saved=_("The phase has been changed."), compare=None,
            conflict=lambda exc: _("Someone else changed the phase in the meantime (now: %(phase)s). "
                                   "Check and save again.") % {"phase": exc.current.get_phase_display()}):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, _("Change the phase"))


@org_permission_required("throughflow.track")
def track_hours(request, pk):
    worker, track = _open_track(request, pk)
    form = HoursForm(request.POST or None)
    if submit(request, form, lambda: services.hours_log(track=track, actor=request.user, data=form.cleaned_data),
              saved=_("The coaching hours have been logged.")):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, _("Log coaching hours"))


# --------------------------------------------------------------------------- placement: job target,
# applications, internships, warm handover and consent


def _form_page(request, worker, form, title, intro="", conflict=None):
    context = dossier_context(request, worker, "throughflow")
    context.update(form=form, title=title, intro=intro, conflict=conflict)
    return render(request, "throughflow/form.html", context)


def _initial(record, fields):
    if record is None:
        return None
    initial = {k: getattr(record, k) for k in fields}
    initial["version"] = record.version
    return initial


def _versioned_form_page(request, worker, form, save, *, saved_message, conflict_message, title, intro="",
                         on_conflict=None):
    """Bind, save through `save(expected_version)` and go back to the tab, or show the form again with the
    errors or the conflict. `on_conflict(rows)` sees the conflict table before it is shown."""
    post = submit(request, form, lambda: save(form.cleaned_data.get("version")), saved=saved_message,
                  conflict=conflict_message)
    if post:
        return _tab_url(request, worker)
    if post.conflicts and on_conflict is not None:
        on_conflict(post.conflicts)
    return _form_page(request, worker, form, title, intro, conflict=post.conflicts)


def _edit_one_per_worker(request, pk, *, form_class, attr, fields, save, conflict_message, saved_message, title,
                         intro, before_form=None, on_conflict=None):
    """The job target and the handover notes: one current, versioned record per worker. `before_form(worker,
    record)` may refuse the request or log the read before the stored values go into the form;
    `on_conflict(worker, rows)` logs the read of stored values the conflict table shows."""
    worker = visible_worker(request.membership, pk)
    record = getattr(selectors.placement_for(worker), attr)
    if before_form is not None:
        before_form(worker, record)
    form = form_class(request.POST or None, initial=_initial(record, fields))
    return _versioned_form_page(
        request, worker, form,
        lambda version: save(worker=worker, actor=request.user, data=form.cleaned_data, expected_version=version),
        saved_message=saved_message, conflict_message=conflict_message, title=title, intro=intro,
        on_conflict=(lambda rows: on_conflict(worker, rows)) if on_conflict is not None else None)


@org_permission_required("throughflow.track")
def job_target_edit(request, pk):
    def confidential_conditions(worker, target):
        # The form shows and saves the childcare and pay conditions: whoever may not read them may not blank or
        # overwrite them unseen either (the readiness check is likewise written by the guidance staff only).
        if not can_read_confidential(request.membership, worker):
            raise PermissionDenied
        if request.method == "GET" and services.job_target_has_confidential(target):
            _job_target_read(request, worker)

    def stored_conditions(worker, rows):
        # The table's "stored now" column shows the other person's childcare and pay conditions.
        if any(row["name"] in services.CONFIDENTIAL_JOB_TARGET_FIELDS and row["stored"] for row in rows):
            _job_target_read(request, worker)

    return _edit_one_per_worker(
        request, pk, form_class=JobTargetForm, attr="job_target", fields=services.JOB_TARGET_FIELDS,
        save=services.job_target_save, before_form=confidential_conditions, on_conflict=stored_conditions,
        conflict_message=_("Someone else changed the job target in the meantime. Compare and save again."),
        saved_message=_("The job target has been saved."), title=_("Job target"),
        intro=_("Set the job target realistically with the worker: commute, hours, childcare "
                "and pay. The history records every change; childcare and pay are shown only to the "
                "worker's guidance staff."))


def _record_edit(request, pk, record_pk, model, form_class, fields, save, title, saved_message, conflict_message):
    if record_pk is None:
        worker, record = visible_worker(request.membership, pk), None
    else:
        worker, record = selectors.placement_record(request.membership, pk, model, record_pk)
    initial = _initial(record, fields)
    for k in ("employer_rating", "worker_rating"):
        if initial and initial.get(k) is not None:
            initial[k] = str(initial[k])
    form = form_class(request.POST or None, initial=initial,
                      employers=selectors.directory_employers(request.organisation))
    existing = {model._meta.model_name: record} if record is not None else {}
    return _versioned_form_page(
        request, worker, form,
        lambda version: save(worker=worker, actor=request.user, data=form.cleaned_data, expected_version=version,
                             **existing),
        saved_message=saved_message, conflict_message=conflict_message, title=title)


@org_permission_required("throughflow.track")
def application_add(request, pk, application_pk=None):
    return _record_edit(request, pk, application_pk, Application, ApplicationForm, services.APPLICATION_FIELDS,
                        services.application_save,
                        _("Edit application") if application_pk else _("New application"),
                        _("The application has been saved."),
                        _("Someone else changed this application in the meantime. Compare and save again."))


@org_permission_required("throughflow.track")
def internship_add(request, pk, internship_pk=None):
    return _record_edit(request, pk, internship_pk, Internship, InternshipForm, services.INTERNSHIP_FIELDS,
                        services.internship_save,
                        _("Edit internship") if internship_pk else _("New internship"),
                        _("The internship has been saved."),
                        _("Someone else changed this internship in the meantime. Compare and save again."))


@org_permission_required("throughflow.track")
def handover_edit(request, pk):
    return _edit_one_per_worker(
        request, pk, form_class=HandoverNoteForm, attr="handover_note", fields=services.HANDOVER_FIELDS,
        save=services.handover_note_save,
        conflict_message=_("Someone else changed the handover notes in the meantime. Compare and save again."),
        saved_message=_("The handover notes have been saved."), title=_("Warm-handover notes"),
        intro=_("For the new employer: write only what the worker agrees to show an employer, "
                "never health or personal problems."))


@org_permission_required("throughflow.track")
def consent_add(request, pk):
    return _record_add(request, pk, ConsentForm, services.consent_record,
                       saved=_("The consent has been recorded."), title=_("Consent to share a handover summary"),
                       intro=_("Record what the worker agreed to share with this next employer. Without a "
                               "current consent no handover summary can be issued."))


@org_permission_required("throughflow.track")
def consent_withdraw(request, pk, consent_pk):
    worker, consent = selectors.placement_record(request.membership, pk, HandoverConsent, consent_pk)
    form = WithdrawConsentForm(request.POST or None)
    if submit(request, form, lambda: services.consent_withdraw(consent=consent, actor=request.user,
                                                               withdrawn_on=form.cleaned_data["withdrawn_on"]),
              saved=_("The consent has been withdrawn.")):
        return _tab_url(request, worker)
    return _form_page(
        request, worker, form, _("Withdraw the consent"),
        _("Consent for %(employer)s, given on %(date)s. After withdrawing, no new handover summary can be "
          "issued for this employer.") % {"employer": consent.employer.name, "date": consent.given_on.strftime("%d/%m/%Y")})


# The internship phase ends with a POP update (docs/domain.md §3.6): the tab reminds of it for this long.
POP_HINT_DAYS = 90


def _placement_context(request, worker, today, may_read_confidential):
    placement = selectors.placement_for(worker)
    ended = [i for i in placement.internships if i.end <= today]
    latest = max(ended, key=lambda i: (i.end, i.pk), default=None)
    hidden = placement.job_target is not None and not may_read_confidential()
    see_conditions = not hidden and services.job_target_has_confidential(placement.job_target)
    if see_conditions:
        _job_target_read(request, worker)
    return {
        "placement": placement,
        "see_job_target_conditions": see_conditions,
        "job_target_conditions_hidden": hidden,
        "pop_hint": latest if latest and (today - latest.end).days <= POP_HINT_DAYS else None,
        "can_see_pop": has_perm(request.membership, "pop.view"),
        "can_issue_summary": has_perm(request.membership, "document.issue"),
    }


# --------------------------------------------------------------------------- readiness checks


def _readiness_context(request, worker, may_read_confidential):
    checks = selectors.readiness_checks_for(worker)
    # docs/domain.md §7: health, family and money belong to the confidential section.
    see_sensitive = may_read_confidential() if checks else False
    if see_sensitive and any(_has_sensitive_answers(c) for c in checks):
        _readiness_read(request, worker)
    return {"readiness_checks": checks,
            "can_readiness": has_perm(request.membership, "throughflow.readiness")
            and worker.status != WorkerStatus.EXITED,
            "see_sensitive": see_sensitive}


def _readiness_page(request, worker, form, title, check=None, conflict=None):
    context = dossier_context(request, worker, "throughflow")
    context.update(form=form, title=title, check=check, conflict=conflict, pop=selectors.pop_competences_for(worker),
                   earliest=selectors.evaluation_basis_for(worker) if "requested_on" in form.fields else None)
    return render(request, "throughflow/readiness_form.html", context)


def _readiness_conflict(form, current):
    """What is stored now next to what the user typed, field by field (lde_portal/concurrency.py)."""
    rows = []

    def add(name, stored, yours, sensitive=False):
        if (stored or "") != (yours or ""):
            rows.append({"label": form.fields[name].label, "stored": stored, "yours": yours,
                         "sensitive": sensitive and bool(stored)})

    for name in ("date", "summary", "next_check"):
        add(name, getattr(current, name), form.cleaned_data.get(name))
    decisions = dict(ReadinessDecision.choices)
    add("decision", decisions.get(current.decision), decisions.get(form.cleaned_data.get("decision")))
    answers = {a.determinant: a for a in current.answers.all()}
    assessments = dict(Assessment.choices)
    for key in Determinant.values:
        stored = answers.get(key)
        sensitive = key in SENSITIVE_DETERMINANTS
        add(f"{key}_assessment", assessments.get(stored.assessment) if stored else "",
            assessments.get(form.cleaned_data.get(f"{key}_assessment"), ""), sensitive)
        add(f"{key}_note", stored.note if stored else "", form.cleaned_data.get(f"{key}_note") or "", sensitive)
    return rows


def _has_sensitive_answers(check):
    """Every check assesses health, family and finances; the assessment alone is already confidential."""
    return any(a.sensitive for a in check.answers.all())


@org_permission_required("throughflow.readiness")
def readiness_add(request, pk):
    worker = visible_worker(request.membership, pk)
    form = ReadinessForm(request.POST or None)
    if submit(request, form, lambda: services.readiness_check_save(worker=worker, actor=request.user,
                                                                   data=form.service_data()),
              saved=lambda check: _("The readiness check has been saved and the VDAB throughflow "
                                    "evaluation has been requested.") if check.evaluation_request_id
              else _("The readiness check has been saved.")):
        return _tab_url(request, worker)
    return _readiness_page(request, worker, form, _("New readiness check"))


@org_permission_required("throughflow.readiness")
def readiness_edit(request, pk, check_pk):
    worker, check = selectors.readiness_check_for(request.membership, pk, check_pk)
    locked = bool(check.evaluation_request_id)
    form = ReadinessForm(request.POST or None, initial=ReadinessForm.initial_from(check), request_locked=locked)

    def compare(form, current):
        rows = _readiness_conflict(form, current)
        if any(row["sensitive"] for row in rows):
            _readiness_read(request, worker, current)
        return rows

    post = submit(request, form, lambda: services.readiness_check_save(
        worker=worker, actor=request.user, data=form.service_data(), check=check,
        expected_version=form.cleaned_data.get("version")),
        saved=_("The readiness check has been saved."), compare=compare,
        conflict=_("Someone else changed this readiness check in the meantime. Check the "
                   "saved version and save again to overwrite it."))
    if post:
        return _tab_url(request, worker)
    if request.method == "GET" and _has_sensitive_answers(check):
        _readiness_read(request, worker, check)
    return _readiness_page(request, worker, form, _("Edit readiness check"), check, post.conflicts)


@org_permission_required("throughflow.view")
def readiness_detail(request, pk, check_pk):
    worker, check = selectors.readiness_check_for(request.membership, pk, check_pk)
    see_sensitive = can_read_confidential(request.membership, worker)
    if see_sensitive and _has_sensitive_answers(check):
        _readiness_read(request, worker, check)
    context = dossier_context(request, worker, "throughflow")
    context.update(check=check, answers=list(check.answers.all()), see_sensitive=see_sensitive,
                   pop=selectors.pop_competences_for(worker),
                   can_edit=has_perm(request.membership, "throughflow.readiness")
                   and worker.status != WorkerStatus.EXITED)
    return render(request, "throughflow/readiness_detail.html", context)


# --------------------------------------------------------------------------- track pause and resume


def _track_version_form(request, worker, track, form_class, service, title, success, intro=""):
    form = form_class(request.POST or None, initial={"version": track.version})
    if submit(request, form, lambda: service(track=track, actor=request.user, data=form.cleaned_data,
                                             expected_version=form.cleaned_data.get("version")),
              saved=success, compare=None,
              conflict=_("Someone else changed the track in the meantime. Check and save again.")):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, title, intro)


@org_permission_required("throughflow.track")
def track_pause(request, pk):
    worker, track = _open_track(request, pk)
    return _track_version_form(
        request, worker, track, PauseForm, services.track_pause, _("Pause the throughflow track"),
        _("The track is paused."),
        _("While the track is paused, the clock of the current phase stops: on resumption its last day moves "
          "by the paused days, and no phase alert is raised meanwhile."))


@org_permission_required("throughflow.track")
def track_resume(request, pk):
    worker, track = _open_track(request, pk)
    intro = ""
    if track.paused_since:
        intro = _("Paused since %(date)s. The phase %(phase)s now ends at the latest on %(due)s; that date moves "
                  "by the paused days.") % {"date": track.paused_since.strftime("%d/%m/%Y"),
                                            "phase": track.get_phase_display(),
                                            "due": track.phase_due.strftime("%d/%m/%Y")}
    return _track_version_form(request, worker, track, ResumeForm, services.track_resume,
                               _("Resume the throughflow track"), _("The track has been resumed."), intro)


# --------------------------------------------------------------------------- organisation settings


@org_permission_required("throughflow.configure")
def throughflow_settings(request):
    stored = selectors.throughflow_settings(request.organisation)
    months = list(stored.followup_months) if stored and stored.followup_months else list(
        tf_rules.DEFAULT_FOLLOWUP_MONTHS)
    # An empty POST (every box unticked) must still be validated: the service explains why it is refused.
    form = ThroughflowSettingsForm(request.POST if request.method == "POST" else None, initial={
        "version": stored.version if stored else None, "followup_months": months})
    if submit(request, form, lambda: services.throughflow_settings_save(
            organisation=request.organisation, actor=request.user,
            followup_months=form.cleaned_data["followup_months"], expected_version=form.cleaned_data.get("version")),
            saved=_("The throughflow settings are saved."), compare=None,
            conflict=_("Someone else saved these settings in the meantime. Check the values below "
                       "and save again.")):
        return redirect("throughflow:settings", org_slug=request.organisation.slug)
    return render(request, "throughflow/settings.html", {
        "form": form, "current": months, "durable_months": tf_rules.DURABLE_FOLLOWUP_MONTHS})
