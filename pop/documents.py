"""Document kinds drawn from the POP: the competence attestation, the training attestation and the POP
printout. Registered in PopConfig.ready(); the platform (lde_portal.documents) renders, numbers and
verifies them (docs/documents.md).

The builders read, by the worker's id, only the POP's printable columns (competence names and levels,
approval dates, goals and actions in the worker's words) and the trainings' course facts. Weekly
feedback, observations, review conclusions and anything of the confidential section are never read.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.documents.forms import BaseIssueForm, RecordChoiceForm
from lde_portal.documents.registry import DocumentDataError, register_kind

from . import selectors
from .models import PopSchedule, PopStatus, Training

COMPETENCE_FIELDS = ("worker_name", "competences", "period_start", "period_end")
TRAINING_FIELDS = ("worker_name", "course", "provider", "hours", "start", "end", "certificate")
PRINTOUT_FIELDS = ("worker_name", "year", "version_date", "goals", "competences", "actions", "next_review")

# Level 1 means "does not manage yet without a lot of help" (pop/catalogue_data.py): an attestation
# proves what the worker can do, so by default it starts at level 2.
DEFAULT_MIN_LEVEL = 2
LEVEL_CHOICES = [(str(n), str(n)) for n in (1, 2, 3, 4)]


# --------------------------------------------------------------------------- competence attestation


def _competence_label(row):
    return _("%(name)s: level %(level)s of 4 (confirmed on %(date)s)") % {
        "name": row["name"], "level": row["level"], "date": row["confirmed_on"].strftime("%d/%m/%Y")}


def build_competences(worker, membership, data) -> dict:
    confirmed = selectors.confirmed_competences(worker.pk)
    if not confirmed:
        raise DocumentDataError(_("%(name)s has no competence confirmed in an approved POP yet.")
                                % {"name": worker.full_name})
    chosen = data.get("competences")
    if chosen is None:
        # A batch (or a caller without a selection): every competence from the minimum level up.
        minimum = int(data.get("min_level") or DEFAULT_MIN_LEVEL)
        rows = [r for r in confirmed if r["level"] >= minimum]
        if not rows:
            raise DocumentDataError(_("%(name)s has no competence confirmed at level %(level)s or higher.")
                                    % {"name": worker.full_name, "level": minimum})
    else:
        wanted = {int(pk) for pk in chosen}
        rows = [r for r in confirmed if r["id"] in wanted]
        if not rows:
            raise DocumentDataError(_("Tick at least one competence."))
    competences = [{"name": r["name"], "kind": r["kind"], "level": r["level"], "level_label": r["level_label"],
                    "confirmed_on": r["confirmed_on"]} for r in rows]
    dates = [r["confirmed_on"] for r in rows]
    return {
        "worker_name": worker.full_name,
        "competences": competences,
        "period_start": min(dates),
        "period_end": max(dates),
    }


class CompetenceBatchForm(BaseIssueForm):
    min_level = forms.TypedChoiceField(
        label=gettext_lazy("Print competences from level"), choices=LEVEL_CHOICES, coerce=int,
        initial=str(DEFAULT_MIN_LEVEL),
        help_text=gettext_lazy("For each worker: every competence confirmed in an approved POP at this level "
                               "or higher."))

    field_order = ["min_level", "language"]


class CompetenceForm(BaseIssueForm):
    competences = forms.MultipleChoiceField(
        label=gettext_lazy("Competences to print"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The highest level confirmed in an approved POP, with the date it was confirmed."))

    field_order = ["competences", "language"]

    def __init__(self, *args, worker=None, membership=None, **kwargs):
        super().__init__(*args, worker=worker, membership=membership, **kwargs)
        confirmed = selectors.confirmed_competences(worker.pk) if worker is not None else []
        self.fields["competences"].choices = [(str(r["id"]), _competence_label(r)) for r in confirmed]
        self.fields["competences"].initial = [str(r["id"]) for r in confirmed if r["level"] >= DEFAULT_MIN_LEVEL]

    def clean_competences(self):
        value = self.cleaned_data["competences"]
        if self.fields["competences"].choices and not value:
            raise forms.ValidationError(_("Tick at least one competence."))
        return value


# --------------------------------------------------------------------------- training attestation


def build_training(worker, membership, data) -> dict:
    training_id = data.get("participation") or data.get("course")
    training = None
    if training_id and str(training_id).isdigit():
        training = (Training.objects.filter(pk=int(training_id), organisation_id=worker.organisation_id,
                                            participants__pk=worker.pk)
                    .only("course", "provider", "hours", "start_date", "end_date", "certificate").first())
    if training is None:
        raise DocumentDataError(_("%(name)s did not take part in this training.") % {"name": worker.full_name})
    if (training.end_date or training.start_date) > timezone.localdate():
        raise DocumentDataError(_("This training is not finished yet."))
    return {
        "worker_name": worker.full_name,
        "course": training.course,
        "provider": training.provider,
        "hours": _plain_hours(training.hours),
        "start": training.start_date,
        "end": training.end_date or training.start_date,
        "certificate": bool(training.certificate),
    }


def _plain_hours(hours):
    # 8.0 prints as "8" and 7.5 as "7,5"; normalize() alone would turn 10 into 1E+1.
    hours = Decimal(hours)
    return hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()


class _TrainingChoice(RecordChoiceForm):
    blank = "---------"

    def record_label(self, training):
        start = training.start_date.strftime("%d/%m/%Y")
        return f"{training.course} ({training.provider}, {start})"


class TrainingForm(_TrainingChoice):
    participation = forms.ChoiceField(label=gettext_lazy("Training"),
                                      help_text=gettext_lazy("The finished trainings this worker took part in."))

    field_order = ["participation", "language"]
    record_field = "participation"

    def worker_records(self, worker_id):
        return selectors.finished_trainings(worker_id)


class TrainingBatchForm(_TrainingChoice):
    course = forms.ChoiceField(label=gettext_lazy("Training"))

    field_order = ["course", "language"]
    record_field = "course"

    def records(self):
        if self.membership is None:
            return []
        return Training.objects.filter(organisation_id=self.membership.organisation_id).order_by("-start_date", "-id")


# --------------------------------------------------------------------------- POP printout


def build_printout(worker, membership, data) -> dict:
    version = None
    if str(data.get("version") or "").isdigit():
        version = selectors.printable_pop_version(worker.pk, int(data["version"]))
    if version is None:
        raise DocumentDataError(_("%(name)s has no approved POP with this version.") % {"name": worker.full_name})
    plain = selectors.plain_pop(version)
    next_review = None
    if version.status == PopStatus.APPROVED:
        next_review = (PopSchedule.objects.filter(worker_id=worker.pk).values_list("review_due", flat=True)
                       .first())
    return {
        "worker_name": worker.full_name,
        "year": version.pop.year,
        "version_date": version.approved_on,
        "goals": plain["goals"],
        "competences": plain["competences"],
        "actions": plain["actions"],
        "next_review": next_review,
    }


class PrintoutForm(RecordChoiceForm):
    version = forms.ChoiceField(label=gettext_lazy("POP version"),
                                help_text=gettext_lazy("Only approved versions can be issued."))

    field_order = ["version", "language"]
    record_field = "version"
    preselect = True

    def worker_records(self, worker_id):
        return selectors.approved_versions(worker_id)

    def record_label(self, v):
        return _("POP %(year)s, version %(number)s, approved on %(date)s") % {
            "year": v.pop.year, "number": v.number, "date": v.approved_on.strftime("%d/%m/%Y")}


def register():
    register_kind(
        "competence_attestation", label=gettext_lazy("Competence attestation"),
        description=gettext_lazy("The competences the worker reached, with the level and the date it was "
                                 "confirmed in the POP."),
        template="pdf/competence_attestation.html", context_builder=build_competences,
        permission="document.issue", fields=COMPETENCE_FIELDS, form_class=CompetenceForm,
        batch_form_class=CompetenceBatchForm, order=10,
    )
    register_kind(
        "training_attestation", label=gettext_lazy("Training attestation"),
        description=gettext_lazy("Course, provider, hours and dates of one finished training."),
        template="pdf/training_attestation.html", context_builder=build_training,
        permission="document.issue", fields=TRAINING_FIELDS, form_class=TrainingForm,
        batch_form_class=TrainingBatchForm, order=20,
    )
    register_kind(
        "pop_printout", label=gettext_lazy("Personal development plan (POP)"),
        description=gettext_lazy("The approved POP in plain language: goals, competences now and later, "
                                 "and what the worker will do."),
        template="pdf/pop_printout.html", context_builder=build_printout,
        permission="document.issue", fields=PRINTOUT_FIELDS, form_class=PrintoutForm, order=40,
    )
