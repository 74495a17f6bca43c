from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indication.models import Advice
from lde_portal import dates
from lde_portal.accounts.validators import normalise_insz
from lde_portal.concurrency import VersionField
from lde_portal.forms import DateField, DateInput
from trajects.forms import EmploymentFieldsForm
from trajects.models import CoachRole, Gender, Regime

from .models import Candidate, DropoutReason, InflowSettings, InfoSession, Outcome, SelectionRound, Vacancy


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.email


class VacancyForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Vacancy
        fields = ["title", "activity", "places", "entry_competences", "weekly_hours", "schedule", "wanted_hours",
                  "wanted_mobility", "wanted_physical", "wanted_languages", "wanted_interests", "opens_on",
                  "closes_on", "status", "team"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(),
                   "entry_competences": forms.CheckboxSelectMultiple, "team": forms.CheckboxSelectMultiple}
        field_classes = {"team": MemberChoiceField}
        localized_fields = ["weekly_hours"]

    def __init__(self, *args, activities, competences, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["entry_competences"].queryset = competences
        self.fields["team"].queryset = team
        self.fields["team"].help_text = _("They see this vacancy and its candidates.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["status"]
            self.fields["opens_on"].initial = timezone.localdate

    def _post_clean(self):
        # The service cleans the model (the form only validates input).
        pass


class CandidateForm(forms.ModelForm):
    version = VersionField()
    applied_on = DateField(date_range=dates.GUIDANCE, label=_("Applied on"), initial=timezone.localdate)

    class Meta:
        model = Candidate
        fields = ["first_name", "last_name", "phone", "email", "postal_code", "municipality", "preferred_language",
                  "referrer", "referrer_detail", "needs_interpreter", "needs_childcare", "other_needs",
                  "reserve_until"]
        widgets = {"reserve_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["applied_on"]

    def _post_clean(self):
        pass


class ApplyForm(forms.Form):
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=Vacancy.objects.none())
    applied_on = DateField(date_range=dates.GUIDANCE, label=_("Applied on"), initial=timezone.localdate)

    def __init__(self, *args, vacancies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = vacancies


class SessionForm(forms.ModelForm):
    class Meta:
        model = InfoSession
        fields = ["date", "start_time", "location"]
        widgets = {"date": DateInput(), "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def _post_clean(self):
        pass


class AttendanceForm(forms.Form):
    """One tick box per invited candidate."""

    version = VersionField()

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        for invitation in invitations:
            self.fields[f"a{invitation.application_id}"] = forms.BooleanField(
                label=invitation.application.candidate.full_name, required=False,
                initial=bool(invitation.attended))

    def attended_ids(self):
        return [int(name[1:]) for name, value in self.cleaned_data.items() if name.startswith("a") and value]


class RoundForm(forms.ModelForm):
    """The round and each candidate's outcome (empty: did not take part in this round)."""

    class Meta:
        model = SelectionRound
        fields = ["name", "date", "criteria"]
        widgets = {"date": DateInput(), "criteria": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        for application in applications:
            self.fields[f"o{application.pk}"] = forms.ChoiceField(
                label=application.candidate.full_name, required=False,
                choices=[("", _("— did not take part"))] + list(Outcome.choices))

    def outcomes(self):
        return {int(name[1:]): value for name, value in self.cleaned_data.items()
                if name.startswith("o") and name[1:].isdigit() and value}

    def round_data(self):
        return {k: self.cleaned_data[k] for k in ("name", "date", "criteria")}

    def _post_clean(self):
        pass


class RankingForm(forms.Form):
    version = VersionField()
    ranked_on = DateField(date_range=dates.GUIDANCE, label=_("Ranked on"), initial=timezone.localdate)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        for application in applications:
            self.fields[f"r{application.pk}"] = forms.IntegerField(
                label=application.candidate.full_name, required=False, min_value=1, max_value=999,
                initial=application.rank)

    def ranks(self):
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("r")
                and name[1:].isdigit()}

    def clean(self):
        data = super().clean()
        given = [v for k, v in data.items() if k.startswith("r") and k[1:].isdigit() and v]
        if len(given) != len(set(given)):
            raise forms.ValidationError(_("Two candidates have the same rank."))
        return data


class ContactForm(forms.Form):
    version = VersionField()
    contacted_on = DateField(date_range=dates.GUIDANCE, label=_("Contacted on"), initial=timezone.localdate)


class ReferralForm(forms.Form):
    version = VersionField()
    referred_on = DateField(date_range=dates.GUIDANCE, label=_("Referred to VDAB on"), initial=timezone.localdate)
    insz = forms.CharField(label=_("INSZ (national register number)"), max_length=20,
                           help_text=_("VDAB needs it for the indication: 11 digits, e.g. 85.07.30-033.28"),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—")] + list(Gender.choices), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)

    def clean_insz(self):
        return normalise_insz(self.cleaned_data["insz"])

    def worker_data(self):
        return {k: self.cleaned_data[k] for k in ("insz", "gender", "street")}


class AdviceForm(forms.ModelForm):
    version = VersionField()
    letter_upload = forms.FileField(
        label=_("Decision letter"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}))
    service_field_names = {"letter": "letter_upload"}

    class Meta:
        model = Advice
        fields = ["type", "issuing_body", "decision_date", "valid_until", "destination", "wage_premium_percent",
                  "guidance_premium", "consultant_name", "note"]
        widgets = {"decision_date": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].initial = timezone.localdate

    def advice_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "letter_upload")}

    def _post_clean(self):
        pass


class HireForm(EmploymentFieldsForm):
    """The contract (trajects' fields; the activity is the vacancy's), the coach and the trajectory regime."""

    version = VersionField()
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None)
    coach_role = forms.ChoiceField(label=_("Coach role"), choices=CoachRole.choices)
    regime = forms.ChoiceField(label=_("Trajectory regime"), required=False,
                               choices=[("", _("— no trajectory yet"))] + list(Regime.choices),
                               help_text=_("Proposed from VDAB's advice."))

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["activity"]
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email

    def contract(self):
        return {k: self.cleaned_data[k] for k in ("contract_start", "contract_end", "contract_type", "weekly_hours",
                                                  "fte")}


class DropForm(forms.Form):
    version = VersionField()
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—")] + list(DropoutReason.choices))
    on = DateField(date_range=dates.GUIDANCE, label=_("Date"), initial=timezone.localdate)


class InflowSettingsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = InflowSettings
        fields = ["advice_wait_days", "contact_days", "retention_months"]

    def _post_clean(self):
        pass
