"""The inflow pages: the recruitment board, a vacancy's path, candidates, and the steps from the information
session to the hire. Coordinators and org admins run inflow; coaches taking part in a vacancy follow its
candidates; managers see the board and the lead time (lde_portal/accounts/access.py)."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indication.trajectory_effect import REGIME_FOR_ADVICE
from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.concurrency import submit
from lde_portal.reports.forms import DashboardForm

from . import selectors, services
from .forms import (
    AdviceForm,
    ApplyForm,
    AttendanceForm,
    CandidateForm,
    ContactForm,
    DropForm,
    HireForm,
    InflowSettingsForm,
    RankingForm,
    ReferralForm,
    RoundForm,
    SessionForm,
    VacancyForm,
)
from .models import VacancyStatus

CONFLICT = _("Someone else changed this in the meantime. Compare and save again.")


def _page(request, form, title, cancel, conflicts=None, intro=""):
    return render(request, "inflow/form.html", {"form": form, "title": title, "cancel": cancel,
                                                "conflicts": conflicts, "intro": intro})


def _vacancy_url(request, vacancy):
    return reverse("inflow:vacancy_detail", kwargs={"org_slug": request.organisation.slug, "vacancy_pk": vacancy.pk})


@org_permission_required("inflow.board")
def board(request):
    status = request.GET.get("status", VacancyStatus.OPEN)
    status = status if status in VacancyStatus.values or status == "all" else VacancyStatus.OPEN
    today = timezone.localdate()
    rows = selectors.board(request.membership, None if status == "all" else status, today)
    can_view = has_perm(request.membership, "inflow.view")
    return render(request, "inflow/board.html", {
        "rows": rows, "status": status, "statuses": VacancyStatus.choices, "today": today,
        "reminders": selectors.reminders(request.membership, today) if can_view else [],
        "can_view": has_perm(request.membership, "inflow.view"),
        "can_manage": has_perm(request.membership, "inflow.manage")})


def _vacancy_form(request, vacancy=None):
    org = request.organisation
    return VacancyForm(request.POST or None, instance=vacancy, activities=selectors.activities(org),
                       competences=selectors.entry_competences(org), team=selectors.team_choices(org))


@org_permission_required("inflow.manage")
def vacancy_add(request):
    form = _vacancy_form(request)
    post = submit(request, form, lambda: services.vacancy_create(organisation=request.organisation,
                                                                 actor=request.user, data=form.cleaned_data),
                  saved=_("The vacancy has been opened."))
    if post:
        return redirect(_vacancy_url(request, post.result))
    return _page(request, form, _("New vacancy"), reverse("inflow:board", kwargs={"org_slug": request.organisation.slug}))


@org_permission_required("inflow.manage")
def vacancy_edit(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    form = _vacancy_form(request, vacancy)
    post = submit(request, form, lambda: services.vacancy_update(vacancy=vacancy, actor=request.user,
                                                                 data=form.cleaned_data,
                                                                 expected_version=form.cleaned_data.get("version")),
                  saved=_("The vacancy has been saved."), conflict=CONFLICT)
    if post:
        return redirect(_vacancy_url(request, vacancy))
    return _page(request, form, _("Edit vacancy"), _vacancy_url(request, vacancy), post.conflicts)


@org_permission_required("inflow.view")
def vacancy_detail(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    return render(request, "inflow/vacancy_detail.html", {
        "vacancy": vacancy, "applications": selectors.vacancy_applications(vacancy),
        "sessions": selectors.vacancy_sessions(vacancy), "rounds": selectors.vacancy_rounds(vacancy),
        "competences": selectors.vacancy_competences(vacancy), "today": timezone.localdate(),
        "wanted": selectors.wanted(vacancy),
        "can_manage": has_perm(request.membership, "inflow.manage")})


@org_permission_required("inflow.manage")
def candidate_add(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    form = CandidateForm(request.POST or None)
    post = submit(request, form, lambda: services.candidate_create(
        vacancy=vacancy, actor=request.user, data=form.cleaned_data, applied_on=form.cleaned_data["applied_on"]),
        saved=_("The candidate has been added."))
    if post:
        return redirect(_vacancy_url(request, vacancy))
    return _page(request, form, _("New candidate for %(vacancy)s") % {"vacancy": vacancy.title},
                 _vacancy_url(request, vacancy),
                 intro=_("Only what the selection needs. No health information: that arrives with VDAB's advice."))


@org_permission_required("inflow.view")
def candidate_detail(request, candidate_pk):
    candidate = selectors.candidate_for(request.membership, candidate_pk)
    can_manage = has_perm(request.membership, "inflow.manage")
    apply_form = None
    if can_manage:
        apply_form = ApplyForm(request.POST or None,
                               vacancies=selectors.vacancies_open_for(request.membership, candidate))
        post = submit(request, apply_form, lambda: services.application_create(
            vacancy=apply_form.cleaned_data["vacancy"], candidate=candidate, actor=request.user,
            applied_on=apply_form.cleaned_data["applied_on"]), saved=_("The candidate now also applies to this vacancy."))
        if post:
            return redirect("inflow:candidate_detail", org_slug=request.organisation.slug, candidate_pk=candidate.pk)
    return render(request, "inflow/candidate_detail.html", {
        "candidate": candidate, "applications": selectors.candidate_applications(request.membership, candidate),
        "apply_form": apply_form, "can_manage": can_manage})


@org_permission_required("inflow.manage")
def candidate_edit(request, candidate_pk):
    candidate = selectors.candidate_for(request.membership, candidate_pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    post = submit(request, form, lambda: services.candidate_update(
        candidate=candidate, actor=request.user, data=form.cleaned_data,
        expected_version=form.cleaned_data.get("version")), saved=_("The candidate has been saved."), conflict=CONFLICT)
    cancel = reverse("inflow:candidate_detail", kwargs={"org_slug": request.organisation.slug,
                                                        "candidate_pk": candidate.pk})
    if post:
        return redirect(cancel)
    return _page(request, form, _("Edit candidate"), cancel, post.conflicts)


@org_permission_required("inflow.manage")
def session_add(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    form = SessionForm(request.POST or None)
    post = submit(request, form, lambda: services.session_plan(vacancy=vacancy, actor=request.user,
                                                               data=form.cleaned_data),
                  saved=_("The information session has been planned; the candidates are on its list."))
    if post:
        return redirect(_vacancy_url(request, vacancy))
    return _page(request, form, _("Plan an information session"), _vacancy_url(request, vacancy),
                 intro=_("Every candidate still on the path of this vacancy is invited."))


@org_permission_required("inflow.manage")
def session_attendance(request, session_pk):
    session = selectors.session_for(request.membership, session_pk)
    form = AttendanceForm(request.POST or None, invitations=selectors.session_invitations(session),
                          initial={"version": session.version})
    post = submit(request, form, lambda: services.attendance_record(
        session=session, actor=request.user, attended_ids=form.attended_ids(),
        expected_version=form.cleaned_data.get("version")),
        saved=_("The attendance list has been saved."), conflict=CONFLICT, compare=None)
    if post:
        return redirect(_vacancy_url(request, session.vacancy))
    return _page(request, form, _("Attendance of the information session of %(date)s")
                 % {"date": session.date.strftime("%d/%m/%Y")}, _vacancy_url(request, session.vacancy),
                 intro=_("Tick who came."))


@org_permission_required("inflow.manage")
def round_add(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    form = RoundForm(request.POST or None, applications=selectors.open_applications(vacancy))
    post = submit(request, form, lambda: services.round_record(vacancy=vacancy, actor=request.user,
                                                               data=form.round_data(), outcomes=form.outcomes()),
                  saved=_("The selection round has been recorded."))
    if post:
        return redirect(_vacancy_url(request, vacancy))
    return _page(request, form, _("Selection round"), _vacancy_url(request, vacancy),
                 intro=_("A candidate who did not pass leaves the path with the reason \"not selected\"."))


@org_permission_required("inflow.manage")
def ranking(request, vacancy_pk):
    vacancy = selectors.vacancy_for(request.membership, vacancy_pk)
    form = RankingForm(request.POST or None, applications=selectors.open_applications(vacancy),
                       initial={"version": vacancy.version})
    post = submit(request, form, lambda: services.ranking_save(
        vacancy=vacancy, actor=request.user, ranks=form.ranks(), on=form.cleaned_data["ranked_on"],
        expected_version=form.cleaned_data.get("version")),
        saved=_("The ranking has been saved."), conflict=CONFLICT, compare=None)
    if post:
        return redirect(_vacancy_url(request, vacancy))
    return _page(request, form, _("Ranking"), _vacancy_url(request, vacancy),
                 intro=_("1 is the first choice; leave empty for candidates who are not ranked."))


def _step(request, application_pk, form_class, title, call, saved, intro=""):
    application = selectors.application_for(request.membership, application_pk)
    form = form_class(request.POST or None, initial={"version": application.version})
    post = submit(request, form, lambda: call(application, form), saved=saved, conflict=CONFLICT)
    if post:
        return redirect(_vacancy_url(request, application.vacancy))
    return _page(request, form, f"{title}: {application.candidate.full_name}", _vacancy_url(request, application.vacancy),
                 post.conflicts, intro)


@org_permission_required("inflow.manage")
def contacted(request, application_pk):
    return _step(request, application_pk, ContactForm, _("Contacted"), lambda a, f: services.application_contacted(
        application=a, actor=request.user, on=f.cleaned_data["contacted_on"],
        expected_version=f.cleaned_data.get("version")), _("The contact has been recorded."))


@org_permission_required("inflow.manage")
def refer(request, application_pk):
    return _step(request, application_pk, ReferralForm, _("Referral to VDAB"),
                 lambda a, f: services.application_refer(application=a, actor=request.user,
                                                         referred_on=f.cleaned_data["referred_on"],
                                                         worker_data=f.worker_data(),
                                                         expected_version=f.cleaned_data.get("version")),
                 _("The referral has been recorded."),
                 _("The candidate's record in the portal is made now (status \"in recruitment\"): VDAB's advice "
                   "and later the contract belong to it."))


@org_permission_required("inflow.manage")
def advice(request, application_pk):
    application = selectors.application_for(request.membership, application_pk)
    form = AdviceForm(request.POST or None, request.FILES or None, initial={"version": application.version})
    post = submit(request, form, lambda: services.application_advice(
        application=application, actor=request.user, data=form.advice_data(),
        letter=form.cleaned_data.get("letter_upload"), expected_version=form.cleaned_data.get("version")),
        saved=_("The advice has been recorded on the candidate's indication."), conflict=CONFLICT)
    if post:
        return redirect(_vacancy_url(request, application.vacancy))
    intro = _("Referred to VDAB on %(date)s.") % {"date": application.referred_on.strftime("%d/%m/%Y")} \
        if application.referred_on else ""
    return _page(request, form, _("VDAB advice: %(name)s") % {"name": application.candidate.full_name},
                 _vacancy_url(request, application.vacancy), post.conflicts, intro)


@org_permission_required("inflow.manage")
def hire(request, application_pk):
    application = selectors.application_for(request.membership, application_pk)
    vacancy = application.vacancy
    regime = REGIME_FOR_ADVICE.get(application.advice.type, "") if application.advice else ""
    form = HireForm(request.POST or None, coaches=selectors.team_choices(request.organisation), initial={
        "version": application.version, "weekly_hours": vacancy.weekly_hours, "regime": regime,
        "contract_start": timezone.localdate()})
    post = submit(request, form, lambda: services.application_hire(
        application=application, actor=request.user, contract=form.contract(), coach=form.cleaned_data["coach"],
        coach_role=form.cleaned_data["coach_role"], regime=form.cleaned_data["regime"], worker_data={},
        expected_version=form.cleaned_data.get("version")),
        saved=_("Hired: the worker's dossier, contract, coach and trajectory are in place."), conflict=CONFLICT)
    if post:
        return redirect("trajects:worker_detail", org_slug=request.organisation.slug, pk=post.result.pk)
    return _page(request, form, _("Hire: %(name)s") % {"name": application.candidate.full_name},
                 _vacancy_url(request, vacancy), post.conflicts,
                 _("The worker's dossier is made from what the candidate already gave; the contract is for "
                   "%(activity)s.") % {"activity": vacancy.activity.name})


@org_permission_required("inflow.manage")
def drop(request, application_pk):
    return _step(request, application_pk, DropForm, _("Drop-out"), lambda a, f: services.application_drop(
        application=a, actor=request.user, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"],
        expected_version=f.cleaned_data.get("version")), _("The drop-out has been recorded."),
        _("A drop-out leaves the path of this vacancy; it is not an exit of a worker."))


@org_permission_required("inflow.figures")
def lead_time(request):
    form = DashboardForm(request.GET or None, organisation=request.organisation)
    start = end = None
    if form.is_bound and form.is_valid():
        f = form.filters()
        start, end = f.start, f.end
    rows = selectors.hires(request.membership, start, end)
    return render(request, "inflow/lead_time.html", {
        "form": form, "rows": rows, "summary": selectors.lead_time_summary(rows),
        "export_query": urlencode({k: request.GET[k] for k in ("start", "end") if request.GET.get(k)}),
        "dropouts": selectors.dropouts(request.membership, start, end)})


@org_permission_required("inflow.configure")
def settings_edit(request):
    current = services.settings_for(request.organisation)
    form = InflowSettingsForm(request.POST or None, instance=current, initial={"version": current.version})
    post = submit(request, form, lambda: services.settings_save(
        organisation=request.organisation, actor=request.user, data=form.cleaned_data,
        expected_version=form.cleaned_data.get("version")), saved=_("The inflow settings have been saved."),
        conflict=CONFLICT)
    board_url = reverse("inflow:board", kwargs={"org_slug": request.organisation.slug})
    if post:
        return redirect(board_url)
    return _page(request, form, _("Inflow settings"), board_url, post.conflicts)
