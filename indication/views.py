from functools import wraps

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.accounts.access import can_read_confidential, has_perm, org_permission_required
from lde_portal.concurrency import submit
from lde_portal.dossier import dossier_context, dossier_page, visible_worker
from lde_portal.reports.forms import DashboardForm
from lde_portal.uploads import serve_private_file
from trajects.models import Regime
from trajects.selectors import ruleset

from . import selectors, services, trajectory_effect
from .forms import (
    AdviceForm,
    ComplementarityForm,
    ContextProblemForm,
    EvaluationRequestForm,
    IcfItemForm,
    NeedsAssessmentForm,
    ReferralForm,
)
from .models import ComplementarityProfile, ContextProblem, Referral
from .rules import rule_numbers, suggested_reason

# One message for every record of the Indicering and confidential tabs.
CONFLICT_MESSAGE = gettext_lazy("Someone else changed this record in the meantime. Check the differences below "
                                "and save again to keep your version.")


def _tab_url(request, worker, name="indication:worker_indication"):
    return redirect(name, org_slug=request.organisation.slug, pk=worker.pk)


# --------------------------------------------------------------------------- indication tab


@org_permission_required("indication.view")
def worker_indication(request, pk):
    today = timezone.localdate()
    tab = selectors.indication_tab(request.membership, pk, today)
    context = dossier_context(request, tab.worker, "indication")
    context.update(tab=tab, today=today, can_edit=has_perm(request.membership, "indication.edit"))
    return render(request, "indication/tab.html", context)


@org_permission_required("indication.edit")
def advice_form(request, pk, advice_pk=None):
    worker, context = dossier_page(request, pk, "indication")
    advice = selectors.advice_for(worker, advice_pk) if advice_pk else None
    effect = trajectory_effect.available()
    trajectory = trajectory_effect.open_trajectory(worker) if effect else None
    form = AdviceForm(request.POST or None, request.FILES or None, instance=advice, trajectory_effect=effect,
                      open_trajectory=trajectory)

    def save():
        letter = form.cleaned_data.get("letter_upload")
        action = form.trajectory_action() if effect else None
        if advice:
            return services.advice_update(advice=advice, actor=request.user, data=form.service_data(), letter=letter,
                                          expected_version=form.cleaned_data.get("version"), trajectory_action=action)
        return services.advice_create(worker=worker, actor=request.user, data=form.service_data(), letter=letter,
                                      trajectory_action=action)

    post = submit(request, form, save, saved=_("The advice has been saved."), conflict=CONFLICT_MESSAGE)
    if post:
        return _tab_url(request, worker)
    context.update(form=form, conflicts=post.conflicts, advice=advice, trajectory=trajectory,
                   trajectory_fields=AdviceForm.TRAJECTORY_FIELDS if effect else [],
                   title=_("Edit advice or decision") if advice else _("Add an advice or decision"),
                   cancel_url="indication:worker_indication")
    return render(request, "indication/advice_form.html", context)


@org_permission_required("indication.edit")
def advice_letter(request, pk, advice_pk):
    worker = visible_worker(request.membership, pk)
    advice = selectors.advice_for(worker, advice_pk)
    # The decision letter is personal data: every download is on the audit trail.
    return serve_private_file(request, advice.letter, filename=advice.letter_name, worker_id=advice.worker_id,
                              obj=advice)


@org_permission_required("indication.edit")
def evaluation_form(request, pk, evaluation_pk=None):
    worker, context = dossier_page(request, pk, "indication")
    evaluation = selectors.evaluation_for(worker, evaluation_pk) if evaluation_pk else None
    today = timezone.localdate()
    rule_set = ruleset()
    basis = selectors.worker_evaluation_basis(worker, list(worker.advices.all()), rule_set)
    form = EvaluationRequestForm(request.POST or None, instance=evaluation,
                                 suggested_reason=suggested_reason(basis, today))

    def save():
        if evaluation:
            return services.evaluation_request_update(request=evaluation, actor=request.user,
                                                      data=form.service_data(),
                                                      expected_version=form.cleaned_data.get("version"))
        return services.evaluation_request_create(worker=worker, actor=request.user, data=form.service_data())

    post = submit(request, form, save, saved=_("The evaluation request has been saved."), conflict=CONFLICT_MESSAGE)
    if post:
        return _tab_url(request, worker)
    context.update(form=form, conflicts=post.conflicts, basis=basis, suggested=suggested_reason(basis, today),
                   # The regime as users call it ("LDE → IMW-overgang"), never its code ("TRANSITION").
                   regime_label=Regime(basis.regime).label if basis.regime in Regime.values else basis.regime,
                   numbers=rule_numbers(rule_set, basis.regime, basis.start, today),
                   title=_("Edit evaluation request") if evaluation else _("Request a VDAB evaluation"),
                   cancel_url="indication:worker_indication")
    return render(request, "indication/evaluation_form.html", context)


@org_permission_required("indication.view")
def due_list(request):
    today = timezone.localdate()
    days = settings.PORTAL_INDICATION_HORIZON_DAYS
    # Coaches work with their own workers; the organisation-wide aggregates are for the others.
    with_counts = has_perm(request.membership, "worker.view_all")
    due = selectors.indication_due(request.membership, today, days, with_counts=with_counts)
    return render(request, "indication/due_list.html", {
        "due": due, "today": today, "days": days, "can_manage_icf": has_perm(request.membership, "icf.manage")})


@org_permission_required("indication.view")
def lead_time(request):
    """The recruitment lead time per worker: the list behind the manager dashboard's panel."""
    form = DashboardForm(request.GET or None, organisation=request.organisation)
    filters = selectors.LeadTimeFilters()
    if form.is_bound and form.is_valid():
        f = form.filters()
        filters = selectors.LeadTimeFilters(f.start, f.end, f.activity_id)
    rows = selectors.lead_times(request.membership, filters)
    return render(request, "indication/lead_time.html", {
        "form": form, "rows": rows, "median_total": selectors.median_days(r.total for r in rows),
        "median_to_advice": selectors.median_days(r.to_advice for r in rows),
        "median_to_start": selectors.median_days(r.to_start for r in rows)})


# --------------------------------------------------------------------------- ICF catalogue


@org_permission_required("icf.manage")
def icf_catalogue(request):
    form = IcfItemForm(request.POST or None)
    if submit(request, form, lambda: services.icf_item_create(organisation=request.organisation, actor=request.user,
                                                              data=form.cleaned_data),
              saved=_("The item has been added to the catalogue.")):
        return redirect("indication:icf_catalogue", org_slug=request.organisation.slug)
    items = selectors.icf_items(request.organisation, active_only=False)
    return render(request, "indication/icf_catalogue.html", {"form": form, "items": items})


@org_permission_required("icf.manage")
def icf_item_edit(request, item_pk):
    # Only the organisation's own items: the shared catalogue is the same for everyone.
    item = selectors.icf_item_for(request.membership, item_pk)
    form = IcfItemForm(request.POST or None, instance=item)
    post = submit(request, form, lambda: services.icf_item_update(item=item, actor=request.user, data=form.cleaned_data,
                                                                  expected_version=form.cleaned_data.get("version")),
                  saved=_("The item has been saved."), conflict=CONFLICT_MESSAGE)
    if post:
        return redirect("indication:icf_catalogue", org_slug=request.organisation.slug)
    return render(request, "indication/icf_item_form.html", {"form": form, "item": item, "conflicts": post.conflicts})


# --------------------------------------------------------------------------- confidential section


def confidential(what):
    """The worker's confidential section: guidance staff only (access.can_read_confidential), and each
    page view that shows it writes exactly one READ_CONFIDENTIAL audit entry (docs/domain.md §7)."""

    def decorator(view):
        @org_permission_required("confidential.view")
        @wraps(view)
        def wrapped(request, pk, **kwargs):
            worker = visible_worker(request.membership, pk)
            if not can_read_confidential(request.membership, worker):
                raise PermissionDenied
            # Written once the response is known: a saved form redirects and showed nothing.
            services.confidential_read(reader=request.user, worker=worker, what=what, request=request)
            return view(request, worker, **kwargs)

        return wrapped

    return decorator


CONFIDENTIAL_MODELS = {"indication.complementarityprofile": ComplementarityProfile,
                       "indication.contextproblem": ContextProblem, "indication.referral": Referral}
PAGE_LABELS = {
    "tab": gettext_lazy("Confidential tab"), "assessment": gettext_lazy("New needs assessment"),
    "complementarity": gettext_lazy("Complementarity traits"), "context problem": gettext_lazy("Context problem"),
    "referral": gettext_lazy("Referral"),
}


def _confidential_context(request, worker):
    context = dossier_context(request, worker, "confidential")
    context.update(can_audit=has_perm(request.membership, "confidential.audit"))
    return context


@confidential("tab")
def confidential_tab(request, worker):
    ids = None
    try:
        ids = (int(request.GET["a"]), int(request.GET["b"]))
    except (KeyError, ValueError):
        pass
    context = _confidential_context(request, worker)
    context.update(c=selectors.confidential_dossier(worker, compare_ids=ids))
    return render(request, "indication/confidential.html", context)


@confidential("assessment")
def assessment_add(request, worker):
    items = list(selectors.icf_items(worker.organisation))
    latest = selectors.latest_assessment(worker)
    previous = {s.item_id: s for s in latest.scores.all()} if latest else {}
    form = NeedsAssessmentForm(request.POST or None, items=items, previous=previous)
    if submit(request, form, lambda: services.needs_assessment_create(
            worker=worker, actor=request.user, date=form.cleaned_data["date"], note=form.cleaned_data["note"],
            scores=form.scores()), saved=_("The needs assessment has been saved.")):
        return _tab_url(request, worker, "indication:confidential")
    context = _confidential_context(request, worker)
    context.update(form=form, latest=latest)
    return render(request, "indication/assessment_form.html", context)


def _confidential_form(request, worker, form_class, save, *, instance=None, title, form_kwargs=None):
    form_kwargs = {"instance": instance, **(form_kwargs or {})}
    form = form_class(request.POST or None, **form_kwargs)
    post = submit(request, form, lambda: save(form), saved=_("Saved."), conflict=CONFLICT_MESSAGE)
    if post:
        return _tab_url(request, worker, "indication:confidential")
    context = _confidential_context(request, worker)
    context.update(form=form, conflicts=post.conflicts, title=title, confidential=True,
                   cancel_url="indication:confidential")
    return render(request, "indication/form.html", context)


@confidential("complementarity")
def complementarity_edit(request, worker):
    profile = selectors.complementarity_for(worker)
    return _confidential_form(
        request, worker, ComplementarityForm, instance=profile, title=_("Complementarity traits"),
        save=lambda form: services.complementarity_save(worker=worker, actor=request.user, data=form.service_data(),
                                                        expected_version=form.cleaned_data.get("version")))


@confidential("context problem")
def problem_form(request, worker, problem_pk=None):
    problem = selectors.problem_for(worker, problem_pk) if problem_pk else None
    return _confidential_form(
        request, worker, ContextProblemForm, instance=problem,
        title=_("Edit context problem") if problem else _("Add a context problem"),
        save=lambda form: services.context_problem_save(worker=worker, actor=request.user, data=form.service_data(),
                                                        problem=problem,
                                                        expected_version=form.cleaned_data.get("version")))


@confidential("referral")
def referral_form(request, worker, problem_pk, referral_pk=None):
    problem = selectors.problem_for(worker, problem_pk)
    referral = selectors.referral_for(worker, referral_pk) if referral_pk else None
    if referral and referral.problem_id != problem.pk:
        raise Http404("Referral of another problem")
    return _confidential_form(
        request, worker, ReferralForm, instance=referral,
        title=(_("Edit referral") if referral else _("Add a referral")) + f" — {problem.get_kind_display()}",
        save=lambda form: services.referral_save(problem=problem, actor=request.user, data=form.service_data(),
                                                 referral=referral,
                                                 expected_version=form.cleaned_data.get("version")))


def _field_labels(entry):
    """Changes are logged by field name (never content); show them as the form labels users know."""
    model = CONFIDENTIAL_MODELS.get(entry.object_type)
    if model is None or not entry.summary or " " in entry.summary.replace(", ", ","):
        return ""
    try:
        return ", ".join(str(model._meta.get_field(n).verbose_name) for n in entry.summary.split(", "))
    except FieldDoesNotExist:  # an old entry naming a removed field keeps its raw text
        return ""


@org_permission_required("confidential.audit")
def access_log(request, pk):
    worker = visible_worker(request.membership, pk)
    context = _confidential_context(request, worker)
    entries = selectors.confidential_access_log(worker)
    for entry in entries:
        entry.label = PAGE_LABELS.get(entry.summary) or _field_labels(entry) or entry.summary or entry.object_type
    context.update(entries=entries)
    return render(request, "indication/access_log.html", context)
