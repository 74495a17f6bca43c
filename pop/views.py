import datetime
import re
import uuid
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.concurrency import ConflictError, perform, show_conflict, submit
from lde_portal.dossier import dossier_context, visible_worker
from lde_portal.offline import offline_page
from lde_portal.uploads import serve_private_file

from . import charts, rules, selectors, services
from .forms import (
    ActionFormSet,
    CompetenceForm,
    CompetenceFormSet,
    PopForm,
    ReviewForm,
    TeamWeekForm,
    TrainingFilterForm,
    TrainingForm,
    VdabRegistrationForm,
    VersionForm,
)
from .models import CompetenceKind, OnFeedbackError, Presence, Punctuality, YearlyReview

ROW_FIELD = re.compile(r"^w\d+-(presence|punctuality|observation|next_step|notable|c\d+)$")


def _pop_url(request, worker):
    return reverse("pop:pop_tab", kwargs={"org_slug": request.organisation.slug, "pk": worker.pk})


def _can(request):
    return {p.replace(".", "_"): has_perm(request.membership, p) for p in [
        "pop.edit", "pop.approve", "feedback.edit", "training.manage", "competence.manage", "document.batch", "document.issue"]}


# --------------------------------------------------------------------------- catalogue


@org_permission_required("pop.view")
def competence_list(request):
    competences = list(selectors.catalogue_for(request.organisation))
    groups = [(_("Generic competences"), [c for c in competences if c.kind == CompetenceKind.GENERIC])]
    technical = {}
    for c in competences:
        if c.kind == CompetenceKind.TECHNICAL:
            technical.setdefault(c.get_activity_type_display(), []).append(c)
    groups += [(label, items) for label, items in sorted(technical.items(), key=lambda kv: str(kv[0]))]
    return render(request, "pop/competence_list.html", {"groups": groups, "can": _can(request)})


@org_permission_required("competence.manage")
def competence_add(request):
    form = CompetenceForm(request.POST or None)

    def save():
        data = form.cleaned_data
        return services.competence_create(
            organisation=request.organisation, actor=request.user,
            data={k: data[k] for k in ("name", "kind", "activity_type", "description")},
            levels=[data[f"level_{i}"] for i in range(1, 5)])

    if submit(request, form, save, saved=_("The competence has been added to the catalogue.")):
        return redirect("pop:competence_list", org_slug=request.organisation.slug)
    return render(request, "pop/competence_form.html", {"form": form})


# --------------------------------------------------------------------------- POP


@org_permission_required("pop.view")
def pop_tab(request, pk):
    page = selectors.pop_page(request.membership, pk)
    context = dossier_context(request, page.worker, "pop")
    context.update(page=page, can_pop=_can(request), today=timezone.localdate(),
                   register_form=VdabRegistrationForm(initial={"on": timezone.localdate()}))
    return render(request, "pop/pop_tab.html", context)


@require_POST
@org_permission_required("pop.edit")
def pop_start(request, pk):
    worker = visible_worker(request.membership, pk)
    version = services.pop_start(worker=worker, actor=request.user)
    messages.success(request, _("The draft is ready: check the levels and write the new actions with the worker."))
    return redirect("pop:pop_edit", org_slug=request.organisation.slug, pk=worker.pk, version_pk=version.pk)


def _row_changes(formset, stored) -> services.RowChanges:
    """The posted rows as changes to the `stored` rows the formset was given as its initial rows (same order;
    PlanRowFormSet refuses a count beyond them). Only a row's own DELETE removes it."""
    changed, removed, added = {}, set(), []
    for i, form in enumerate(formset.forms):
        values = {k: v for k, v in (form.cleaned_data or {}).items() if k != "DELETE"}
        if i < formset.initial_form_count():
            if formset._should_delete_form(form):
                removed.add(stored[i].pk)
            else:
                changed[stored[i].pk] = values
        elif values and not formset._should_delete_form(form):
            added.append(values)
    return services.RowChanges(changed=changed, removed=frozenset(removed), added=added)


@org_permission_required("pop.edit")
def pop_edit(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    catalogue = selectors.competence_choices(request.organisation)
    stored_c, stored_a = list(version.competences.all()), list(version.actions.all())
    initial_c = [{k: getattr(pc, k) for k in services.COMPETENCE_ROW_FIELDS} for pc in stored_c]
    initial_a = [{k: getattr(a, k) for k in services.ACTION_ROW_FIELDS} for a in stored_a]
    data = request.POST if request.method == "POST" else None
    form = PopForm(data, initial={"version": version.version, "long_term_goal": version.long_term_goal,
                                  "short_term_goal": version.short_term_goal, "job_target": version.job_target})
    groups = selectors.competence_groups(request.organisation, selectors.worker_activity_type(worker))
    formset_c = CompetenceFormSet(data, prefix="comp", initial=initial_c,
                                  form_kwargs={"competences": catalogue, "groups": groups})
    formset_a = ActionFormSet(data, prefix="action", initial=initial_a)
    conflicts = None
    if request.method == "POST" and form.is_valid() & formset_c.is_valid() & formset_a.is_valid():
        competences, actions = _row_changes(formset_c, stored_c), _row_changes(formset_a, stored_a)
        try:
            saved = services.pop_update(
                version=version, actor=request.user,
                data={k: form.cleaned_data[k] for k in ("long_term_goal", "short_term_goal", "job_target")},
                competences=competences, actions=actions, expected_version=form.cleaned_data["version"])
        except ConflictError as conflict:
            def compare(form, _stored):
                current = selectors.pop_version_for(request.membership, pk, version_pk)[1]
                # Yours: the plan as this person's changes make it of the rows they were shown.
                yours = services.version_snapshot(
                    SimpleNamespace(**{k: form.cleaned_data[k] for k in ("long_term_goal", "short_term_goal",
                                                                         "job_target")}),
                    competences=[SimpleNamespace(**c) for c in services.rows_after(
                        competences, stored=stored_c, fields=services.COMPETENCE_ROW_FIELDS, key="competence")],
                    actions=[SimpleNamespace(**a) for a in services.rows_after(
                        actions, stored=stored_a, fields=services.ACTION_ROW_FIELDS)])
                return services.snapshot_diff(services.version_snapshot(current), yours)

            conflicts = show_conflict(form, conflict, _(
                "Someone else changed this plan in the meantime. Nothing was overwritten: check the differences "
                "below and save again to keep your version."), compare=compare)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for _key, errors in error.error_dict.items():
                    form.add_error(None, errors)
            else:
                form.add_error(None, error)
        else:
            if saved.pk != version.pk:
                messages.success(request, _("The approved plan stays as it was; your changes are in a new draft "
                                            "version %(number)s.") % {"number": saved.number})
            else:
                messages.success(request, _("The plan has been saved."))
            return redirect("pop:pop_tab", org_slug=request.organisation.slug, pk=worker.pk)
    context = dossier_context(request, worker, "pop")
    context.update(form=form, formset_c=formset_c, formset_a=formset_a, version=version, conflicts=conflicts,
                   preparation=_preparation_view(version))
    return render(request, "pop/pop_edit.html", context)


def _preparation_view(version):
    prep = version.preparation or {}
    if not prep:
        return None
    previous = prep.get("previous_levels", {})
    averages = []
    for cid, info in prep.get("averages", {}).items():
        before = previous.get(cid)
        averages.append({"name": info["name"], "average": info["average"], "count": info["count"],
                         "before": before, "after": services._round_level(info["average"])})
    averages.sort(key=lambda a: a["name"])
    return {**prep, "average_rows": averages,
            "notable_rows": [{"date": datetime.date.fromisoformat(n["date"]), "text": n["text"]}
                             for n in prep.get("notable", [])],
            "overdue_rows": [{"what": a["what"], "due": datetime.date.fromisoformat(a["due"])}
                             for a in prep.get("actions_overdue", [])],
            "since_date": datetime.date.fromisoformat(prep["since"]) if prep.get("since") else None}


def _workflow(request, pk, version_pk, action, done):
    """A step of the plan's review (submit, approve) posted as a button: the version the page showed goes with it."""
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    form = VersionForm(request.POST)
    form.is_valid()  # a VersionField never fails; a missing or garbled version comes out as NOT_POSTED
    perform(request, lambda: action(version=version, actor=request.user, expected_version=form.cleaned_data["version"]),
            done=done, conflict=_("Someone else changed this plan in the meantime. Check it and try again."))
    return redirect(_pop_url(request, worker))


@require_POST
@org_permission_required("pop.edit")
def pop_submit(request, pk, version_pk):
    return _workflow(request, pk, version_pk, services.pop_submit,
                     done=_("The plan is ready for review by a coordinator."))


@require_POST
@org_permission_required("pop.approve")
def pop_approve(request, pk, version_pk):
    return _workflow(request, pk, version_pk, services.pop_approve,
                     done=_("The plan is approved. Register it with VDAB and record the date here."))


@require_POST
@org_permission_required("pop.approve")
def pop_return(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    perform(request, lambda: services.pop_return_to_draft(version=version, actor=request.user))
    return redirect(_pop_url(request, worker))


@require_POST
@org_permission_required("pop.edit")
def pop_register(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    form = VdabRegistrationForm(request.POST)
    if form.is_valid():
        perform(request, lambda: services.pop_register_vdab(version=version, actor=request.user,
                                                            on=form.cleaned_data["on"],
                                                            expected_version=form.cleaned_data["version"]),
                done=_("The registration with VDAB has been recorded."),
                conflict=_("Someone else changed this plan in the meantime. Check it and try again."))
    else:
        messages.error(request, _("Enter the registration date as dd/mm/yyyy."))
    return redirect(_pop_url(request, worker))


@org_permission_required("pop.view")
def pop_history(request, pk):
    worker, versions = selectors.pop_history(request.membership, pk)
    entries, previous = [], None
    for version in versions:
        snap = services.version_snapshot(version)
        changes = services.snapshot_diff(previous, snap) if previous is not None else None
        entries.append({"version": version, "changes": changes})
        previous = snap
    entries.reverse()
    context = dossier_context(request, worker, "pop")
    context.update(entries=entries)
    return render(request, "pop/pop_history.html", context)


@org_permission_required("pop.view")
def pop_print(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    plain = selectors.plain_pop(version)
    return render(request, "pop/pop_print.html", {"worker": worker, "version": version,
                                                  "competences": plain["competences"], "actions": plain["actions"]})


@org_permission_required("pop.edit")
def review_edit(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    review = selectors.review_for(version)
    initial = {"date": timezone.localdate(), "participants": f"{worker.full_name}, {request.user.get_full_name()}"}
    if review:
        initial = {"version": review.version, "date": review.date, "participants": review.participants,
                   "conclusions": review.conclusions, "worker_view": review.worker_view}
    form = ReviewForm(request.POST or None, request.FILES or None, initial=initial)
    if submit(request, form, lambda: services.review_save(
            version=version, actor=request.user,
            data={k: form.cleaned_data[k] for k in ("date", "participants", "conclusions", "worker_view")},
            signature=form.cleaned_data["signature"], upload=form.cleaned_data["upload"],
            expected_version=form.cleaned_data.get("version")),
            saved=_("The review has been saved."), offer_current=False,
            conflict=_("Someone else saved this review in the meantime. Reload the page to see it.")):
        return redirect(_pop_url(request, worker))
    context = dossier_context(request, worker, "pop")
    context.update(form=form, version=version, review=review)
    return render(request, "pop/review_form.html", context)


def _serve(request, fieldfile, worker_id, obj):
    # Shown in the browser (a signed printout, a certificate), under a name that reveals nothing.
    ext = fieldfile.name.rsplit(".", 1)[-1] if fieldfile else ""
    return serve_private_file(request, fieldfile, filename=f"document.{ext}", worker_id=worker_id, obj=obj,
                              summary="", as_attachment=False)


@org_permission_required("pop.view")
def review_file(request, pk, version_pk):
    worker, version = selectors.pop_version_for(request.membership, pk, version_pk)
    review = get_object_or_404(YearlyReview, pop_version=version)
    return _serve(request, review.ack_file, worker.pk, review)


@org_permission_required("pop.review_list")
def review_list(request):
    today = timezone.localdate()
    schedules = list(selectors.review_list(request.membership, today=today))
    # The coordinator dashboard's three figures each open the part of this list they count.
    parts = {"overdue": [s for s in schedules if s.next_due < today],
             "due": [s for s in schedules if s.next_due >= today], "draft": [s for s in schedules if s.has_open]}
    show = request.GET.get("show")
    return render(request, "pop/review_list.html", {
        "schedules": parts.get(show, schedules), "today": today, "show": show if show in parts else "",
        "counts": {"all": len(schedules), **{k: len(v) for k, v in parts.items()}}})


# --------------------------------------------------------------------------- weekly feedback


# The team screen repeats a presence and a punctuality select and a 1–4 button group per competence for
# every worker of the caseload. Each variant is built once per request and reused (issue #10 benchmark:
# the same loops in the template were most of the page's time); field names are generated from ids.


def _options_by_value(choices) -> dict:
    """{current value: the <option>s with that value selected}; None: nothing selected."""
    base = [("", "—"), *((value, str(label)) for value, label in choices)]

    def build(current):
        return mark_safe("".join(  # noqa: S308 — every value and label is escaped here
            f'<option value="{escape(v)}"{" selected" if v == current and v else ""}>{escape(label)}</option>'
            for v, label in base))
    return {None: build(None), **{v: build(v) for v, _label in base if v}}


NAME = "\x00"


def _radios_by_value(not_rated, levels: dict) -> dict:
    """{current value: the button group with that level checked, NAME standing for the field name}.
    Each level carries its competence's descriptor: read with the number (hidden text in the label) and
    shown as the hint under the group once chosen, so 1–4 mean something on a phone too."""
    def build(current):
        parts = [f'<input type="radio" class="btn-check" data-hint="" name="{NAME}" id="{NAME}-0" value=""'
                 f'{" checked" if not current else ""}><label class="btn btn-outline-secondary" for="{NAME}-0" '
                 f'title="{escape(not_rated)}">–<span class="visually-hidden"> {escape(not_rated)}</span></label>']
        for level in "1234":
            descriptor = levels.get(int(level), "")
            hint = f"{level} · {descriptor}" if descriptor else ""
            parts.append(
                f'<input type="radio" class="btn-check" data-hint="{escape(hint)}" name="{NAME}" id="{NAME}-{level}" '
                f'value="{level}"{" checked" if current == level else ""}>'
                f'<label class="btn btn-outline-primary" for="{NAME}-{level}">{level}'
                + (f'<span class="visually-hidden"> – {escape(descriptor)}</span>' if descriptor else "")
                + "</label>")
        return "".join(parts)
    return {None: build("None"), **{v: build(v) for v in ("", "1", "2", "3", "4")}}


def _radios(variants, name, value):
    return mark_safe(variants.get(value, variants[None]).replace(NAME, name))  # noqa: S308 — name is w<id>-c<id>


def _team_rows_view(rows, form, week_end, org_slug):
    view = []
    presence_options = _options_by_value(form.presence_choices)
    punctuality_options = _options_by_value(form.punctuality_choices)
    not_rated = _("not rated")
    radios_of = {}
    feedback_url = reverse("pop:feedback_tab", kwargs={"org_slug": org_slug, "pk": 0}).replace("/workers/0/", "/workers/{}/")
    card_url = reverse("pop:worker_card", kwargs={"org_slug": org_slug, "pk": 0}).replace("/workers/0/", "/workers/{}/")
    for row in rows:
        p = f"w{row.worker.pk}-"
        presence, punctuality = form.value(p + "presence"), form.value(p + "punctuality")
        competences = []
        for c in row.competences:
            if c.pk not in radios_of:
                radios_of[c.pk] = (_radios_by_value(not_rated, {lv.level: lv.descriptor for lv in c.levels.all()}),
                                   {str(lv.level): f"{lv.level} · {lv.descriptor}" for lv in c.levels.all()})
            variants, hints = radios_of[c.pk]
            name, value = f"{p}c{c.pk}", str(form.value(f"{p}c{c.pk}"))
            competences.append({"c": c, "name": name, "value": value, "radios": _radios(variants, name, value),
                                "hint": hints.get(value, ""), "errors": form.errors.get(name, [])})
        view.append({
            "row": row, "prefix": p, "feedback_url": feedback_url.format(row.worker.pk),
            "card_url": card_url.format(row.worker.pk),
            "not_employed": row.hire_date is None or row.hire_date > week_end,
            "presence": presence, "punctuality": punctuality,
            "presence_options": presence_options.get(presence, presence_options[None]),
            "punctuality_options": punctuality_options.get(punctuality, punctuality_options[None]),
            "observation": form.value(p + "observation"), "next_step": form.value(p + "next_step"),
            "notable": bool(form.value(p + "notable")),
            "competences": competences,
            "presence_errors": form.errors.get(p + "presence", []),
            "punctuality_errors": form.errors.get(p + "punctuality", []),
            "observation_errors": form.errors.get(p + "observation", []),
            "next_step_errors": form.errors.get(p + "next_step", []),
            "has_errors": any(k.startswith(p) for k in form.errors),
        })
    return view


def _initial_from(rows, draft):
    """What the screen shows: the stored feedback, and for every row the draft holds, the draft's row
    instead (a row at a time: an unticked box is absent from a draft, so keys cannot be merged)."""
    initial = {}
    drafted = {name.split("-", 1)[0] + "-" for name in (draft.data if draft is not None else {})}
    for row in rows:
        p = f"w{row.worker.pk}-"
        if p in drafted:
            initial.update({k: v for k, v in draft.data.items() if k.startswith(p)})
            continue
        if row.feedback is None:
            continue
        f = row.feedback
        initial.update({p + "presence": f.presence, p + "punctuality": f.punctuality,
                        p + "observation": f.observation, p + "next_step": f.next_step,
                        p + "notable": "1" if f.notable else ""})
        initial.update({f"{p}c{cid}": str(v) for cid, v in row.ratings.items()})
    return initial


def _draft_errors(rows, draft) -> dict:
    if draft is None or not draft.errors:
        return {}
    prefixes = tuple(f"w{row.worker.pk}-" for row in rows)
    return {name: list(messages) for name, messages in draft.errors.items() if name.startswith(prefixes)}


@org_permission_required("feedback.edit")
@offline_page
def team_feedback(request):
    today = timezone.localdate()
    current = rules.monday_of(today)
    raw_week = request.POST.get("week") if request.method == "POST" else request.GET.get("week")
    week_start = rules.parse_iso_week(raw_week) if raw_week else current
    week_error = None
    if week_start is None:
        week_error, week_start = _("This is not a valid week."), current
    # A save redirects; only the screen shown needs the level descriptors (one query: see below).
    rows, draft = selectors.team_week(request.membership, week_start, with_levels=request.method != "POST")
    # The page posts the choice it showed next to the one made, so a save reads the stored choice only when
    # the browser sent none, and writes it only when the coach changed it: the save stays within its budget.
    chosen = request.POST.get("on_error") if request.method == "POST" else None
    on_error = chosen if chosen in OnFeedbackError.values else selectors.feedback_on_error(request.membership)
    url = reverse("pop:team_feedback", kwargs={"org_slug": request.organisation.slug})
    week_url = f"{url}?week={rules.iso_week_label(week_start)}"
    if request.method == "POST":
        form = TeamWeekForm(rows, data=request.POST)
        if chosen in OnFeedbackError.values and chosen != request.POST.get("on_error_shown"):
            services.feedback_preference_set(membership=request.membership, on_error=chosen)
        typed = {k: v for k, v in request.POST.items() if ROW_FIELD.match(k)}
        if "save_draft" in request.POST and not week_error:
            if week_start > current:
                form.errors["week"] = [_("This week is in the future: feedback can only be given for this week "
                                         "or earlier weeks.")]
            elif form.refuse_null_characters():
                pass
            else:
                services.feedback_draft_save(author=request.membership, week_start=week_start, data=typed)
                if request.headers.get("X-Autosave"):
                    # pop.js saves the draft in the background while the coach types (and keeps the
                    # session alive), so a bell or an idle time-out loses nothing.
                    return HttpResponse(status=204)
                messages.info(request, _("Draft saved. Nothing is final yet: come back and press Save."))
                return redirect(week_url)
        elif week_error:
            form.errors["week"] = [week_error]
        elif not form.refuse_null_characters():
            form.is_valid()
            try:
                result = services.feedback_submit_week(
                    author=request.membership, week_start=week_start, rows=rows, entries=form.entries,
                    errors=form.errors, data=typed, keep_all=on_error == OnFeedbackError.KEEP_ALL, today=today,
                    versions=form.versions)
            except ValidationError as error:
                form.errors = {}
                form.add_errors(error.error_dict if hasattr(error, "error_dict") else {"week": error.messages})
            else:
                # Redirect in every case: the refused rows are in the draft now, so a reload, a new login
                # or reopening the week shows them with their errors instead of posting again.
                if not result.failed:
                    messages.success(request, _("Feedback saved for %(count)s workers.") % {"count": result.saved})
                elif on_error == OnFeedbackError.KEEP_ALL:
                    messages.error(request, ngettext(
                        "Nothing has been saved: %(failed)s worker has an error. The whole screen is kept as a "
                        "draft.", "Nothing has been saved: %(failed)s workers have an error. The whole screen "
                        "is kept as a draft.", len(result.failed)) % {"failed": len(result.failed)})
                else:
                    saved = ngettext("%(count)s worker saved", "%(count)s workers saved",
                                     result.saved) % {"count": result.saved}
                    failed = ngettext("%(count)s still has an error", "%(count)s still have an error",
                                      len(result.failed)) % {"count": len(result.failed)}
                    messages.warning(request, _("%(saved)s, %(failed)s.") % {"saved": saved, "failed": failed})
                return redirect(week_url)
    else:
        form = TeamWeekForm(rows, initial=_initial_from(rows, draft))
        form.errors = _draft_errors(rows, draft)
        if week_error:
            form.errors["week"] = [week_error]
    if request.method == "POST":
        prefetch_related_objects(list({c.pk: c for row in rows for c in row.competences}.values()), "levels")
    week_end = week_start + datetime.timedelta(days=6)
    view_rows = _team_rows_view(rows, form, week_end, request.organisation.slug)
    missing = [r["row"] for r in view_rows if r["row"].feedback is None and not r["not_employed"]]
    context = {
        "rows": view_rows, "form": form, "week_start": week_start, "week_end": week_end,
        "week_label": rules.iso_week_label(week_start), "draft": draft, "missing": missing,
        "done": sum(1 for r in rows if r.feedback is not None),
        "total": sum(1 for r in view_rows if not r["not_employed"] or r["row"].feedback is not None),
        "prev_week": rules.iso_week_label(week_start - datetime.timedelta(days=7)),
        "next_week": rules.iso_week_label(week_start + datetime.timedelta(days=7)) if week_start < current else None,
        "is_current": week_start == current, "week_errors": form.errors.get("week", []),
        "error_count": len(form.errors), "error_rows": [r for r in view_rows if r["has_errors"]],
        "on_error": on_error, "on_error_choices": OnFeedbackError.choices,
        "offline_warm": _offline_warm(request.organisation.slug, week_start, current, rows),
    }
    return render(request, "pop/team_feedback.html", context)


def _offline_warm(org_slug, week_start, current, rows) -> list[str]:
    """The pages a phone keeps besides the one open (lde_portal/offline.py): home, this week's and last week's
    team screen and each worker's card, so the screen and what it links to open without a network."""
    if week_start not in (current, current - datetime.timedelta(days=7)):
        return []
    screen = reverse("pop:team_feedback", kwargs={"org_slug": org_slug})
    card = reverse("pop:worker_card", kwargs={"org_slug": org_slug, "pk": 0}).replace("/0/", "/{}/")
    weeks = [f"{screen}?week={rules.iso_week_label(w)}" for w in (current, current - datetime.timedelta(days=7))]
    return [reverse("trajects:home", kwargs={"org_slug": org_slug}), screen, *weeks,
            *(card.format(row.worker.pk) for row in rows)]


@require_POST
@org_permission_required("feedback.edit")
def feedback_queued(request):
    """One worker's week from the phone's offline queue (static/js/offline.js), answered in JSON: `saved`,
    `conflict` (409, with what is saved now next to the entry, and the version to overwrite consciously) or
    `refused` (422, with the message; the phone keeps the entry until the coach discards it)."""
    week_start = rules.parse_iso_week(request.POST.get("week", ""))
    worker_id = request.POST.get("worker", "")
    submission = request.POST.get("submission", "")
    if week_start is None or not worker_id.isdigit() or not _is_uuid(submission):
        return _refused(_("This entry cannot be read. Discard it and fill in the week again."))
    rows, _draft = selectors.team_week(request.membership, week_start, with_levels=False, worker_id=int(worker_id))
    if not rows:
        return _refused(_("This worker is no longer assigned to you, so this week cannot be saved. Note what it "
                          "says, then discard it."))
    form = TeamWeekForm(rows, data=request.POST)
    form.is_valid()
    entry = form.entries.get(rows[0].worker.pk)
    if entry is None and not form.errors:
        return _refused(_("This entry is empty: there is nothing to send."))
    try:
        result = services.feedback_submit_queued(
            author=request.membership, submission_id=submission, week_start=week_start, row=rows[0],
            entry=entry, errors=form.errors, version=form.versions.get(rows[0].worker.pk))
    except ConflictError as conflict:
        html = render_to_string("pop/_queued_conflict.html", {
            "conflicts": _queued_conflicts(rows[0], entry, conflict.current)}, request=request)
        return JsonResponse({"status": "conflict", "version": conflict.current.version, "html": html}, status=409)
    except ValidationError as error:
        return _refused(" ".join(error.messages))
    return JsonResponse({"status": "saved", "duplicate": result.duplicate})


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError):
        return False
    return True


def _refused(message):
    return JsonResponse({"status": "refused", "message": str(message)}, status=422)


def _queued_conflicts(row, entry, current) -> list[dict]:
    """The rows of includes/conflicts.html for a queued week: what is saved now next to the entry."""
    presence, punctuality = dict(Presence.choices), dict(Punctuality.choices)
    stored_ratings = {r.competence_id: r.rating for r in current.ratings.all()}
    pairs = [(_("Presence"), current.get_presence_display(), presence.get(entry["presence"], entry["presence"])),
             (_("Punctuality"), current.get_punctuality_display(),
              punctuality.get(entry["punctuality"], entry["punctuality"])),
             *((c.name, stored_ratings.get(c.pk), entry["ratings"].get(c.pk)) for c in row.competences),
             (_("Observation"), current.observation, entry["observation"]),
             (_("Next step"), current.next_step, entry["next_step"]),
             (_("Notable for the review"), _("Yes") if current.notable else _("No"),
              _("Yes") if entry["notable"] else _("No"))]
    return [{"label": label, "stored": stored, "yours": yours} for label, stored, yours in pairs
            if (stored or "") != (yours or "")]


@org_permission_required("feedback.view")
@offline_page
def worker_card(request, pk):
    worker, competences = selectors.worker_card(request.membership, pk)
    return render(request, "pop/worker_card.html", {"worker": worker, "competences": competences})


@org_permission_required("feedback.view")
def feedback_tab(request, pk):
    worker, entries = selectors.feedback_history(request.membership, pk)
    context = dossier_context(request, worker, "feedback")
    context.update(entries=entries, charts=charts.trend_charts(entries), can_feedback=has_perm(request.membership,
                                                                                             "feedback.edit"))
    return render(request, "pop/feedback_tab.html", context)


# --------------------------------------------------------------------------- trainings


@org_permission_required("training.view")
def training_list(request):
    catalogue = selectors.competence_choices(request.organisation)
    form = TrainingFilterForm(request.GET or None, competences=catalogue)
    filters = form.cleaned_data if form.is_valid() else {}
    trainings = list(selectors.training_list(
        request.membership, q=filters.get("q", ""), provider_type=filters.get("provider_type") or None,
        year=filters.get("year"), competence=filters.get("competence")))
    return render(request, "pop/training_list.html", {
        "form": form, "trainings": trainings, "can": _can(request), "today": timezone.localdate(),
        "total_hours": sum(t.hours for t in trainings), "total_cost": sum(t.cost for t in trainings)})


@org_permission_required("training.manage")
def training_form(request, training_pk=None):
    training = selectors.training_for(request.membership, training_pk) if training_pk else None
    form = TrainingForm(request.POST or None, request.FILES or None, instance=training,
                        competences=selectors.competence_choices(request.organisation),
                        workers=selectors.trainable_workers(request.membership))

    def save():
        data = {k: form.cleaned_data[k] for k in ("course", "provider", "provider_type", "hours", "start_date",
                                                  "end_date", "cost")}
        # Participants a coach cannot see stay on the training.
        hidden = [w for w in training.participants.all() if w not in form.fields["participants"].queryset] \
            if training is not None else []
        return services.training_save(organisation=request.organisation, actor=request.user, data=data,
                                      competences=form.cleaned_data["competences"],
                                      participants=list(form.cleaned_data["participants"]) + hidden,
                                      certificate=form.cleaned_data.get("certificate_upload"), training=training,
                                      expected_version=form.cleaned_data.get("version"))

    post = submit(request, form, save, saved=_("The training has been saved."),
                  conflict=_("Someone else has changed this training in the meantime. Check the differences "
                             "below and save again to keep your version."))
    if post:
        return redirect("pop:training_list", org_slug=request.organisation.slug)
    return render(request, "pop/training_form.html", {"form": form, "training": training, "can": _can(request),
                                                      "today": timezone.localdate(), "conflicts": post.conflicts})


@org_permission_required("training.view")
def training_certificate(request, training_pk):
    training = selectors.training_for(request.membership, training_pk)
    return _serve(request, training.certificate, None, training)
