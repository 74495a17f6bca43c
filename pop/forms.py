"""Forms validate input only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal import dates, uploads
from lde_portal.accounts.models import ActivityType
from lde_portal.concurrency import VersionField
from lde_portal.forms import DateField, DateInput

from .models import (
    LEVELS,
    ActionStatus,
    CompetenceKind,
    Presence,
    ProviderType,
    Punctuality,
    Training,
)

LEVEL_CHOICES = [(i, str(i)) for i in LEVELS]


class CompetenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CompetenceKind.choices)
    activity_type = forms.ChoiceField(label=_("Activity type (technical competences)"), required=False,
                                      choices=[("", "—"), *ActivityType.choices])
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    level_1 = forms.CharField(label=_("Level 1 — not yet, needs a lot of help"), max_length=300)
    level_2 = forms.CharField(label=_("Level 2 — with help"), max_length=300)
    level_3 = forms.CharField(label=_("Level 3 — mostly on their own"), max_length=300)
    level_4 = forms.CharField(label=_("Level 4 — on their own, as in a regular job"), max_length=300)


class VersionForm(forms.Form):
    version = VersionField()


class PopForm(forms.Form):
    version = VersionField()
    long_term_goal = forms.CharField(label=_("Long-term goal (in the worker's own words)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    short_term_goal = forms.CharField(label=_("Short-term goal (in the worker's own words)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    job_target = forms.CharField(label=_("Job target"), max_length=300, required=False)


class PopCompetenceForm(forms.Form):
    competence = forms.ModelChoiceField(label=_("Competence"), queryset=None)
    # An empty first choice, so that an untouched extra row stays unchanged (and is ignored).
    current_level = forms.TypedChoiceField(label=_("Now"), choices=[("", "—"), *LEVEL_CHOICES], coerce=int)
    target_level = forms.TypedChoiceField(label=_("Target"), choices=[("", "—"), *LEVEL_CHOICES], coerce=int)
    focus = forms.BooleanField(label=_("In weekly feedback"), required=False)

    def __init__(self, *args, competences=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences
        self.fields["competence"].label_from_instance = (
            lambda c: f"{c.name} ({c.get_kind_display().lower()}{', ' + c.get_activity_type_display() if c.activity_type else ''})")
        if groups is not None:
            # Shown grouped (selectors.competence_groups); the queryset still decides what is valid.
            self.fields["competence"].choices = groups


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    supporter = forms.CharField(label=_("Who supports"), max_length=150, required=False)
    how = forms.CharField(label=_("How"), max_length=300, required=False)
    due_date = DateField(date_range=dates.DUE, label=_("Due by"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN)


ROWS_NOT_AS_SHOWN = _("The rows of this plan were not sent as the page showed them, so nothing has been saved. "
                      "Reload the page and make your changes again.")


class PlanRowFormSet(forms.BaseFormSet):
    """The rows of a stored plan, given as `initial` in their stored order. The hidden management form is the
    browser's word only: it picks which posted rows are read, and never removes a stored row (the view passes
    RowChanges, pop.services.rows_after). Counts no page of ours renders are refused whole: negative ones, fewer
    rows than the stored rows it claims, more stored rows than the plan holds, or no management form at all."""

    default_error_messages = {"missing_management_form": ROWS_NOT_AS_SHOWN}

    def clean(self):
        counts = self.management_form.cleaned_data
        total, initial = counts.get(forms.formsets.TOTAL_FORM_COUNT), counts.get(forms.formsets.INITIAL_FORM_COUNT)
        if total < 0 or initial < 0 or initial > total or initial > len(self.initial or ()):
            raise forms.ValidationError(ROWS_NOT_AS_SHOWN, code="management_form")


# A plan has a few dozen rows at most. Without a ceiling a forged TOTAL_FORMS makes Django build and render
# 2,000 rows (its absolute_max), each with a select of the whole catalogue: seconds of work per request.
MAX_ROWS = 60
CompetenceFormSet = forms.formset_factory(PopCompetenceForm, formset=PlanRowFormSet, extra=2, can_delete=True,
                                          max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)
ActionFormSet = forms.formset_factory(ActionForm, formset=PlanRowFormSet, extra=2, can_delete=True,
                                      max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)


class VdabRegistrationForm(forms.Form):
    version = VersionField()
    on = DateField(date_range=dates.GUIDANCE, label=_("Registered with VDAB on"))


class ReviewForm(forms.Form):
    version = VersionField()
    date = DateField(date_range=dates.GUIDANCE, label=_("Date of the meeting"))
    participants = forms.CharField(label=_("Participants"), max_length=300)
    conclusions = forms.CharField(label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    worker_view = forms.CharField(label=_("The worker's own view"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    signature = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"id": "signature-data"}))
    upload = forms.FileField(label=_("Or upload the signed printout (PDF, PNG or JPEG, max. 5 MB)"), required=False)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            uploads.accept_upload(upload, "document")
        return upload


class TrainingForm(forms.ModelForm):
    version = VersionField()
    certificate_upload = forms.FileField(label=_("Certificate (PDF, PNG or JPEG, max. 5 MB)"), required=False)
    service_field_names = {"certificate": "certificate_upload"}

    class Meta:
        model = Training
        fields = ["course", "provider", "provider_type", "hours", "start_date", "end_date", "cost", "competences",
                  "participants"]
        widgets = {"start_date": DateInput, "end_date": DateInput,
                   "competences": forms.SelectMultiple(attrs={"size": 8}),
                   "participants": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, competences=None, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["competences"].queryset = competences
        self.fields["participants"].queryset = workers
        self.fields["competences"].help_text = _("Hold Ctrl (or Cmd) to choose several.")
        self.fields["participants"].help_text = _("Hold Ctrl (or Cmd) to choose several.")


class TrainingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    provider_type = forms.ChoiceField(label=_("Provider type"), required=False,
                                      choices=[("", _("All")), *ProviderType.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    competence = forms.ModelChoiceField(label=_("Competence"), required=False, queryset=None)

    def __init__(self, *args, competences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences


class TeamWeekForm:
    """The team screen: one row per worker, field names `w<worker id>-<field>` (`-c<competence id>` for a
    rating). Not a Django formset: the rows differ per worker and the whole screen must stay a handful
    of queries. `errors` maps a field name to messages, as the service's ValidationError does."""

    presence_choices = Presence.choices
    punctuality_choices = Punctuality.choices

    def __init__(self, rows, data=None, initial=None):
        self.rows = rows
        self.data = data
        self.initial = initial or {}
        self.errors: dict[str, list] = {}
        self.entries: dict[int, dict] = {}
        # worker id → the version of the stored week the screen showed (0: none), for the rows that post one.
        self.versions: dict[int, str] = {}

    def value(self, name):
        source = self.data if self.data is not None else self.initial
        return source.get(name, "")

    def refuse_null_characters(self) -> bool:
        """True (with the errors set) when a row field holds a NUL character. No keyboard types one, but a
        forged post can, and PostgreSQL refuses it in text and JSON columns (the draft too): a server error
        otherwise. The Django forms do this with their ProhibitNullCharactersValidator."""
        for row in self.rows:
            prefix = f"w{row.worker.pk}-"
            names = ["presence", "punctuality", "observation", "notable", "next_step",
                     *(f"c{c.pk}" for c in row.competences)]
            for name in names:
                if "\x00" in (self.data.get(prefix + name) or ""):
                    self.errors[prefix + name] = [str(_("Null characters are not allowed."))]
        return bool(self.errors)

    def is_valid(self) -> bool:
        if self.refuse_null_characters():
            return False
        for row in self.rows:
            prefix = f"w{row.worker.pk}-"
            get = lambda key, p=prefix: (self.data.get(p + key) or "").strip()  # noqa: E731
            if prefix + "version" in self.data:
                self.versions[row.worker.pk] = get("version")
            ratings = {}
            for competence in row.competences:
                raw = get(f"c{competence.pk}")
                if not raw:
                    continue
                try:
                    ratings[competence.pk] = int(raw)
                except ValueError:
                    self.errors[f"{prefix}c{competence.pk}"] = [str(_("A rating goes from 1 to 4."))]
                    continue
                if not 1 <= ratings[competence.pk] <= 4:
                    self.errors[f"{prefix}c{competence.pk}"] = [str(_("A rating goes from 1 to 4."))]
            entry = {"presence": get("presence"), "punctuality": get("punctuality"), "ratings": ratings,
                     "observation": get("observation")[:500], "notable": bool(get("notable")),
                     "next_step": get("next_step")[:300]}
            if not entry["presence"]:
                if ratings or entry["observation"] or entry["next_step"] or entry["notable"] or entry["punctuality"]:
                    self.errors[prefix + "presence"] = [str(_("Choose the presence, or clear this row."))]
                continue
            self.entries[row.worker.pk] = entry
        return not self.errors

    def add_errors(self, error_dict):
        for name, messages in error_dict.items():
            self.errors.setdefault(name, []).extend(str(m) for m in messages)
