"""Document kinds that need only the worker register: the experience attestation and the reference
letter. Registered in TrajectsConfig.ready(); the platform (lde_portal.documents) renders, numbers and
verifies them.

The builders read only the worker's name and birth date (through PrintableWorker), the employments
(activity, dates, hours) and coach assignments, plus what the coach typed on the form: nothing else of
the worker can reach a PDF.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lde_portal.documents.forms import BaseIssueForm
from lde_portal.documents.registry import DocumentDataError, register_kind

from .models import CoachAssignment, Employment

EXPERIENCE_FIELDS = ("worker_name", "worker_birth_date", "role", "activities", "period_start", "period_end",
                     "main_tasks", "hours_per_week")
REFERENCE_FIELDS = ("worker_name", "addressee", "paragraphs", "activities", "period_start", "period_end",
                    "author_name", "author_role")


def _employments(worker_pk):
    return list(Employment.objects.filter(worker_id=worker_pk).select_related("activity")
                .order_by("contract_start", "id"))


def _default_role(employments) -> str:
    if not employments:
        return ""
    latest = max(employments, key=lambda e: (e.contract_start, e.id))
    return _("Employee, %(activity)s") % {"activity": latest.activity.get_type_display().lower()}


def _runs_after(end, today) -> bool:
    # A contract that ends today (the exit day: the exit sets contract_end to its date) has ended as of
    # this attestation: the period is start → end date, never "still working here" or "– today".
    return end is None or end > today


def _period(employments, today):
    """The span of all employments, from the first contract start to the last contract end (the exit date
    after an exit); open (None) only while a contract runs beyond today."""
    start = min(e.contract_start for e in employments)
    ends = [e.contract_end for e in employments]
    end = None if any(_runs_after(x, today) for x in ends) else max(ends)
    return start, end


def _activities(employments, today):
    rows = {}
    for e in employments:
        row = rows.setdefault(e.activity_id, {"name": e.activity.name, "start": e.contract_start, "end": e.contract_end,
                                              "open": False})
        row["start"] = min(row["start"], e.contract_start)
        if _runs_after(e.contract_end, today):
            row["open"] = True
        elif row["end"] is None or e.contract_end > row["end"]:
            row["end"] = e.contract_end
    return [{"name": r["name"], "start": r["start"], "end": None if r["open"] else r["end"]} for r in rows.values()]


def _lines(text) -> list[str]:
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


def _paragraphs(text) -> list[str]:
    blocks = [" ".join(block.split()) for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def _require_employment(worker, employments):
    if not employments:
        raise DocumentDataError(_("%(name)s has no employment: add one in the dossier first.")
                                % {"name": worker.full_name})


def build_experience(worker, membership, data) -> dict:
    employments = _employments(worker.pk)
    _require_employment(worker, employments)
    today = timezone.localdate()
    start, end = _period(employments, today)
    latest = max(employments, key=lambda e: (e.contract_start, e.id))
    hours = data.get("hours_per_week") or latest.weekly_hours
    return {
        "worker_name": worker.full_name,
        "worker_birth_date": worker.birth_date,
        "role": (data.get("role") or "").strip() or _default_role(employments),
        "activities": _activities(employments, today),
        "period_start": start,
        "period_end": end,
        "main_tasks": _lines(data.get("main_tasks")),
        "hours_per_week": Decimal(str(hours)).normalize(),
    }


def build_reference(worker, membership, data) -> dict:
    employments = _employments(worker.pk)
    _require_employment(worker, employments)
    today = timezone.localdate()
    start, end = _period(employments, today)
    assignment = (CoachAssignment.objects.filter(worker_id=worker.pk, coach_id=membership.pk)
                  .order_by("-start", "-id").first())
    return {
        "worker_name": worker.full_name,
        "addressee": (data.get("addressee") or "").strip(),
        "paragraphs": _paragraphs(data.get("text")),
        "activities": _activities(employments, today),
        "period_start": start,
        "period_end": end,
        "author_name": membership.user.get_full_name() or membership.user.email,
        "author_role": str(assignment.get_role_display()) if assignment else str(membership.get_role_display()),
    }


class ExperienceBatchForm(BaseIssueForm):
    role = forms.CharField(label=pgettext_lazy("job title", "Role"), max_length=120, required=False,
                           help_text=gettext_lazy("Empty: derived from each worker's current activity."))
    main_tasks = forms.CharField(
        label=gettext_lazy("Main tasks"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One task per line, in short and simple words."))


class ExperienceForm(ExperienceBatchForm):
    hours_per_week = forms.DecimalField(label=gettext_lazy("Hours per week"), min_value=Decimal("1"),
                                        max_value=Decimal("50"), max_digits=4, decimal_places=1, localize=True)

    field_order = ["role", "main_tasks", "hours_per_week", "language"]

    def __init__(self, *args, worker=None, membership=None, **kwargs):
        super().__init__(*args, worker=worker, membership=membership, **kwargs)
        self.fields["role"].help_text = gettext_lazy("Suggested from the current activity; change it if needed.")
        self.fields["main_tasks"].required = True
        if worker is not None:
            employments = _employments(worker.pk)
            if employments:
                latest = max(employments, key=lambda e: (e.contract_start, e.id))
                self.fields["role"].initial = _default_role(employments)
                self.fields["hours_per_week"].initial = latest.weekly_hours


class ReferenceForm(BaseIssueForm):
    addressee = forms.CharField(label=gettext_lazy("Addressed to"), max_length=200, required=False,
                                help_text=gettext_lazy("Empty: “To whom it may concern”."))
    text = forms.CharField(
        label=gettext_lazy("Your text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=6000,
        help_text=gettext_lazy("Leave an empty line between paragraphs. Write only what the worker agrees "
                               "to show an employer: never health or personal problems."))

    field_order = ["addressee", "text", "language"]


def register():
    register_kind(
        "experience_attestation", label=gettext_lazy("Experience attestation"),
        description=gettext_lazy("Role, activity, period, main tasks and hours: proof of work experience."),
        template="pdf/experience_attestation.html", context_builder=build_experience,
        permission="document.issue", fields=EXPERIENCE_FIELDS, form_class=ExperienceForm,
        batch_form_class=ExperienceBatchForm, order=30,
    )
    register_kind(
        "reference_letter", label=gettext_lazy("Reference letter"),
        description=gettext_lazy("A letter for job applications, in the coach's own words, on the "
                                 "organisation's letterhead."),
        template="pdf/reference_letter.html", context_builder=build_reference,
        permission="document.issue", fields=REFERENCE_FIELDS, form_class=ReferenceForm, order=60,
    )
