"""Views of the Traject tab and the organisation's trajectory pages (thin: selectors read, services write)."""

import collections
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.concurrency import ConflictError, conflicting_fields, submit
from lde_portal.dossier import dossier_context, visible_worker
from lde_portal.uploads import serve_private_file
from lde_portal.urls_util import object_url

from . import rules, selectors, services, timeline
from .models import Extension, Trajectory
from .trajectory_forms import (
    HORIZONS,
    ExtensionForm,
    MilestoneForm,
    PhaseChangeForm,
    PhaseFormSet,
    RegimeChangeForm,
    SineForm,
    SuspensionForm,
    TrajectoryEndsFilterForm,
    TrajectoryStartForm,
)


def _tab_url(request, worker):
    return redirect("trajects:trajectory", org_slug=request.organisation.slug, pk=worker.pk)


def _can(membership):
    return {p.replace(".", "_"): has_perm(membership, p) for p in ["trajectory.manage", "trajectory.track"]}


@org_permission_required("worker.view")
def trajectory(request, pk):
    d = selectors.trajectory_dossier(request.membership, pk)
    today = timezone.localdate()
    context = dossier_context(request, d.worker, "trajectory")
    current = d.current
    deadlines = []
    if current is not None:
        # The rule's Dutch label comes from the rule table, the reason is rendered in the reader's language;
        # the stored technical trace ("LDE.term_years: ...") is not for people.
        labels = selectors.rule_labels()
        deadlines = [
            {"kind": x.kind, "label": timeline.deadline_label(x.kind), "due": x.due,
             "rule_label": labels.get(x.rule_ref, ""), "explanation": x.explanation, "source": x.source,
             "days": (x.due - today).days}
            for x in current.deadlines.all()
        ]
    context.update(
        dossier=d, current=current, today=today, deadlines=deadlines,
        days_left=(current.planned_end - today).days if current and current.planned_end else None,
        days_overdue=(today - current.planned_end).days if current and current.planned_end else None,
        timeline=timeline.build(d.trajectories, today, d.sine_statuses),
        history=[t for t in d.trajectories if t is not current],
        tcan=_can(request.membership),
    )
    return render(request, "trajects/trajectory.html", context)


def _form_page(request, worker, form, title, current=None, intro=""):
    context = dossier_context(request, worker, "trajectory")
    context.update(form=form, title=title, current=current, intro=intro)
    return render(request, "trajects/trajectory_form.html", context)


def _conflict_message(conflict):
    current = conflict.current
    return _("Someone else changed this trajectory in the meantime (planned end now %(end)s). "
             "Check the trajectory and save again to add your entry.") % {
        "end": current.planned_end.strftime("%d/%m/%Y") if current.planned_end else "—"}


def _versioned(request, pk, form_class, service, title, success, form_kwargs=None, intro=""):
    """Shared flow of the forms that edit the open trajectory: version check, field errors, no lost input."""
    worker, current = selectors.open_trajectory_for(request.membership, pk)
    if current is None:
        messages.warning(request, _("This worker has no open trajectory: start one first."))
        return _tab_url(request, worker)
    form_kwargs = form_kwargs(current) if callable(form_kwargs) else (form_kwargs or {})
    form = form_class(request.POST or None, request.FILES or None, initial={"version": current.version}, **form_kwargs)

    def save():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return service(trajectory=current, actor=request.user, expected_version=form.cleaned_data.get("version"),
                       **data)

    if submit(request, form, save, saved=success, conflict=_conflict_message, compare=None):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, title, current, intro)


@org_permission_required("trajectory.manage")
def trajectory_start(request, pk):
    worker, current = selectors.open_trajectory_for(request.membership, pk)
    if current is not None:
        messages.warning(request, _("This worker already has an open trajectory."))
        return _tab_url(request, worker)
    phases = selectors.phases_for(request.organisation)
    latest = worker.employments.order_by("-contract_start").first()
    form = TrajectoryStartForm(request.POST or None, phases=phases,
                               initial={"start": latest.contract_start if latest else None})
    if submit(request, form, lambda: services.trajectory_start(worker=worker, actor=request.user, **form.cleaned_data),
              saved=_("The trajectory has been started.")):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, _("Start a trajectory"))


@org_permission_required("trajectory.manage")
def suspension_add(request, pk):
    return _versioned(request, pk, SuspensionForm, services.trajectory_suspend, _("Add a suspension"),
                      _("The suspension has been recorded; the end and deadlines are recalculated."),
                      intro=_("A suspension stops the trajectory clock: the end moves by the suspended days "
                              "(not for the start package of collective custom work)."))


@org_permission_required("trajectory.manage")
def extension_add(request, pk):
    return _versioned(request, pk, ExtensionForm, services.trajectory_extend, _("Add an extension"),
                      _("The extension has been recorded; the end and deadlines are recalculated."))


@org_permission_required("trajectory.track")
def phase_change(request, pk):
    return _versioned(request, pk, PhaseChangeForm, services.trajectory_change_phase, _("Change phase"),
                      _("The phase has been changed."),
                      form_kwargs={"phases": selectors.phases_for(request.organisation)})


@org_permission_required("trajectory.manage")
def regime_change(request, pk):
    return _versioned(request, pk, RegimeChangeForm, services.trajectory_change_regime, _("Change regime"),
                      _("The regime has been changed: the previous trajectory is closed and kept in the history."),
                      form_kwargs=lambda t: {"allowed": services.REGIME_CHANGES.get(t.regime, ())},
                      intro=_("A regime change closes the current trajectory and opens the next one."))


@org_permission_required("trajectory.track")
def milestone_add(request, pk):
    return _versioned(request, pk, MilestoneForm, services.milestone_add, _("Add a milestone"),
                      _("The milestone has been added."))


@org_permission_required("trajectory.manage")
def sine_add(request, pk):
    worker = visible_worker(request.membership, pk)
    form = SineForm(request.POST or None)
    if submit(request, form, lambda: services.sine_status_add(worker=worker, actor=request.user, **form.cleaned_data),
              saved=_("The SINE status has been recorded.")):
        return _tab_url(request, worker)
    return _form_page(request, worker, form, _("Record a SINE status"))


@org_permission_required("worker.view")
def extension_document(request, pk, extension_pk):
    """Extension documents can hold health information: only for members who may see the worker."""
    worker = visible_worker(request.membership, pk)
    extension = get_object_or_404(Extension, pk=extension_pk, trajectory__worker=worker)
    extension_by_type = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
    return serve_private_file(
        request, extension.document, worker_id=worker.pk, obj=extension, summary="",
        filename=f"verlenging-{extension.pk}.{extension_by_type.get(extension.document_type, 'bin')}")


ENDS_PER_PAGE = 25


def _quarter(d):
    return d.year, (d.month - 1) // 3 + 1


@org_permission_required("trajectory.ends")
def trajectory_ends(request):
    membership = request.membership
    activities = list(selectors.activities_for(request.organisation))
    # Coaches see only their own workers, so the coach filter is for the other roles.
    view_all = has_perm(membership, "worker.view_all")
    coaches = list(selectors.coaches_for(request.organisation)) if view_all else []
    data = request.GET.copy()
    # The select must show the horizon that is listed: 12 months when none or an unknown one (?months=24)
    # is asked for.
    if data.get("months") not in {value for value, _label in HORIZONS}:
        data["months"] = "12"
    form = TrajectoryEndsFilterForm(data, activities=activities, coaches=coaches)
    # A forged value in another filter drops only that filter; the valid ones still apply.
    form.is_valid()
    filters = form.cleaned_data
    if not view_all:
        form.fields.pop("coach")
    months = int(filters.get("months") or 12)
    today = timezone.localdate()
    criteria = {"today": today, "months": months, "activity": filters.get("activity") or None,
                "coach": filters.get("coach") or None}
    # 25 rows a page (issue #10: a large organisation has dozens of ends a year); the totals per quarter
    # come from one grouped query, so the page still shows the whole horizon.
    quarters = selectors.trajectory_ends_per_quarter(membership, **criteria)
    paginator = Paginator(selectors.trajectory_ends(membership, **criteria), ENDS_PER_PAGE)
    paginator.count = sum(n for *_, n in quarters)  # the same rows: spares the paginator its COUNT query
    page = paginator.get_page(request.GET.get("page"))
    totals = {(year, quarter): n for year, quarter, n in quarters}
    query = request.GET.copy()
    query.pop("page", None)
    groups = collections.OrderedDict()
    trajectory_url = object_url("trajects:trajectory", org_slug=request.organisation.slug)
    overdue = _("overdue")
    in_3_months, in_6_months = rules.add_months(today, 3), rules.add_months(today, 6)
    regimes = dict(Trajectory._meta.get_field("regime").flatchoices)
    for t in page.object_list:
        t.url = trajectory_url(t.worker_id)
        t.days_left = (t.planned_end - today).days
        # Display strings built here, not per row in the template (issue #10: dozens of rows at sector scale).
        t.days_text = ngettext("%(n)s day", "%(n)s days", t.days_left) % {"n": t.days_left} \
            if t.days_left >= 0 else overdue
        t.coach_names = ", ".join(a.coach.user.get_full_name() or a.coach.user.email
                                  for a in t.worker.current_assignments)
        t.band = 0 if t.days_left < 0 else 3 if t.planned_end <= in_3_months else 6 if t.planned_end <= in_6_months else 12
        t.name = f"{t.worker.last_name}, {t.worker.first_name}"
        t.end_text = t.planned_end.strftime("%d/%m/%Y")
        t.regime_text = regimes.get(t.regime, t.regime)
        groups.setdefault(None if t.days_left < 0 else _quarter(t.planned_end), []).append(t)
    return render(request, "trajects/trajectory_ends.html", {
        "form": form, "months": months, "page": page, "query": query.urlencode(), "quarters": quarters,
        "groups": [(key[0] if key else None, key[1] if key else None, items,
                    totals.get(key or (None, None), len(items))) for key, items in groups.items()],
        "count": page.paginator.count, "today": today,
    })


UNIT_LABELS = {"years": ngettext_lazy("%(n)s year", "%(n)s years", "n"),
               "months": ngettext_lazy("%(n)s month", "%(n)s months", "n"),
               "weeks": ngettext_lazy("%(n)s week", "%(n)s weeks", "n"),
               "days": ngettext_lazy("%(n)s day", "%(n)s days", "n"),
               "hours": ngettext_lazy("%(n)s hour", "%(n)s hours", "n")}


def rule_value_display(rule) -> str:
    """The value of a rule as a person reads it: "5 jaar", "01/04/2015", "ja", "12, 6 en 3 maanden"."""
    value = rule.value
    try:
        if rule.unit == "date":
            return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        if rule.unit == "bool":
            return _("yes") if value else _("no")
        if rule.unit == "months_list":
            return _("%(list)s months") % {"list": ", ".join(str(v) for v in value)}
        if rule.unit in UNIT_LABELS:
            return UNIT_LABELS[rule.unit] % {"n": value}
    except (TypeError, ValueError):
        pass
    return f"{value} {rule.unit}"


@org_permission_required("rules.view")
def regime_rules(request):
    groups = selectors.regime_rules_grouped()
    for _label, rows in groups:
        for row in rows:
            row.value_display = rule_value_display(row)
    return render(request, "trajects/regime_rules.html", {"groups": groups})


@org_permission_required("phases.manage")
def phase_settings(request):
    queryset = selectors.phases_for(request.organisation, active_only=False)
    next_order = max((p.order for p in queryset), default=0) + 1
    formset = PhaseFormSet(request.POST or None, queryset=queryset, initial=[{"order": next_order}])
    conflicts = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.phases_save(organisation=request.organisation, actor=request.user, formset=formset)
        except ConflictError as conflict:
            row = next(f for f in formset.forms if f.instance.pk == conflict.current.pk)
            conflicts = [{**c, "label": f"{conflict.current.name}: {c['label']}"}
                         for c in conflicting_fields(row, conflict.current)]
            # What was typed stays; the row's new version lets the admin save again knowingly.
            post = request.POST.copy()
            post[row.add_prefix("version")] = conflict.current.version
            formset = PhaseFormSet(post, queryset=queryset, initial=[{"order": next_order}])
            formset.is_valid()
            formset._non_form_errors = formset.error_class([_(
                "Someone else has changed the phases in the meantime. Check the differences below and save again "
                "to keep your version.")])
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The phases have been saved."))
            return redirect("trajects:phase_settings", org_slug=request.organisation.slug)
    return render(request, "trajects/phase_settings.html", {"formset": formset, "conflicts": conflicts})
