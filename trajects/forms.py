from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn

from lde_portal import dates
from lde_portal.accounts.validators import normalise_insz
from lde_portal.concurrency import VersionedModelForm
from lde_portal.forms import DateField, DateInput, DateOrder, ServiceValidated

from .models import CoachAssignment, CoachRole, Employment, Worker, WorkerStatus

WORKER_FIELDS = [
    "first_name", "last_name", "insz", "birth_date", "gender", "street", "postal_code", "municipality",
    "phone", "email", "preferred_language", "education_level", "interpreter_needed",
    "emergency_contact_name", "emergency_contact_phone",
]


class WorkerForm(ServiceValidated, VersionedModelForm):
    # Typed as printed on the eID (85.07.30-033.28); stored as 11 digits.
    insz = forms.CharField(
        label=_("INSZ (national register number)"), max_length=20, help_text=_("11 digits, e.g. 85.07.30-033.28"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Worker
        fields = WORKER_FIELDS
        widgets = {"birth_date": DateInput()}
        help_texts = {"birth_date": _("Leave empty: derived from the INSZ number.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = False
        if self.instance.pk:
            self.initial["insz"] = self.instance.insz_display

    def clean_insz(self):
        return normalise_insz(self.cleaned_data["insz"])

    def clean(self):
        data = super().clean()
        insz, birth_date = data.get("insz"), data.get("birth_date")
        derived = nn.get_birth_date(insz) if insz else None
        if derived and birth_date and derived != birth_date:
            self.add_error(
                "birth_date",
                _("The date of birth does not match the INSZ number (%(date)s).")
                % {"date": derived.strftime("%d/%m/%Y")},
            )
        elif derived and not birth_date:
            data["birth_date"] = derived
        return data


class WorkerCreateForm(WorkerForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(WorkerStatus.RECRUITMENT, WorkerStatus.RECRUITMENT.label), (WorkerStatus.ACTIVE, WorkerStatus.ACTIVE.label)],
        initial=WorkerStatus.ACTIVE,
    )
    status_date = DateField(date_range=dates.WORKING_LIFE, label=_("Status since"), initial=timezone.localdate)


class EmploymentFieldsForm(DateOrder, ServiceValidated, forms.ModelForm):
    """The contract's fields; EmploymentForm adds the version for editing a stored contract."""

    class Meta:
        model = Employment
        fields = ["activity", "contract_start", "contract_end", "contract_type", "weekly_hours", "fte"]
        localized_fields = ["weekly_hours", "fte"]
        widgets = {"contract_start": DateInput(), "contract_end": DateInput()}
        help_texts = {"fte": _("Leave empty: hours ÷ full-time schedule.")}

    date_order = (("contract_start", "contract_end", _("The end of the contract is before its start.")),)

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["activity"].queryset = activities
        self.fields["fte"].required = False


class EmploymentForm(EmploymentFieldsForm, VersionedModelForm):
    pass


class OptionalEmploymentForm(EmploymentFieldsForm):
    """The first contract on the create screen: optional for a candidate still in recruitment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["activity", "contract_start", "weekly_hours"]:
            self.fields[name].required = False

    def is_empty(self):
        return not any(self.cleaned_data.get(n) for n in ["activity", "contract_start", "weekly_hours"])

    def clean(self):
        data = super().clean()
        if not self.is_empty():
            for name in ["activity", "contract_start", "weekly_hours"]:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Fill this in for the contract, or leave the whole contract empty."))
        return data


class AssignmentForm(DateOrder, ServiceValidated, forms.ModelForm):
    class Meta:
        model = CoachAssignment
        fields = ["coach", "role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    date_order = (("start", "end", _("The end date is before the start date.")),)

    def __init__(self, *args, coaches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if coaches is not None:
            self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})"
        self.fields["role"].initial = CoachRole.JOB_COACH
        self.fields["start"].initial = timezone.localdate


class EndAssignmentForm(forms.Form):
    end = DateField(date_range=dates.WORKING_LIFE, label=_("Up to and including"), initial=timezone.localdate)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=WorkerStatus.choices)
    date = DateField(date_range=dates.WORKING_LIFE, past_only=True, label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A status change cannot be in the future."))
        return date


# The workers a coach still guides: the dashboards' "my workers" and "caseload per coach" open this list.
CURRENT_WORKERS = "current"


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or INSZ"), required=False)
    activity = forms.ChoiceField(label=_("Activity"), required=False)
    coach = forms.ChoiceField(label=_("Coach"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All statuses")), (CURRENT_WORKERS, _("All but exited")), *WorkerStatus.choices])
    sort = forms.ChoiceField(
        label=_("Sort"), required=False,
        choices=[("name", _("Name A-Z")), ("-name", _("Name Z-A")), ("activity", _("Activity")),
                 ("status", _("Status")), ("start", _("Contract start (oldest first)")), ("-start", _("Contract start (most recent first)"))],
    )

    def __init__(self, *args, activities=(), coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("All activities"))] + [(str(a.pk), a.name) for a in activities]
        self.fields["coach"].choices = [("", _("All coaches"))] + [
            (str(m.pk), m.user.get_full_name() or m.user.email) for m in coaches
        ]
