from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lde_portal import dates, uploads
from lde_portal.concurrency import VersionedModelForm
from lde_portal.forms import DateField, DateInput, DateOrder, ServiceValidated

from .models import (
    Advice,
    ComplementarityProfile,
    ContextProblem,
    EvaluationRequest,
    IcfComponent,
    IcfItem,
    Qualifier,
    Referral,
)
from .trajectory_effect import REGIME_FOR_ADVICE

YES_NO = [("", _("Not applicable")), ("yes", _("Favourable")), ("no", _("Not favourable"))]


class _ServiceForm(ServiceValidated, VersionedModelForm):
    def service_data(self):
        return {n: self.cleaned_data[n] for n in self.Meta.fields}


class AdviceForm(DateOrder, _ServiceForm):
    favourable_choice = forms.ChoiceField(label=_("Throughflow decision"), choices=YES_NO, required=False)
    letter_upload = forms.FileField(
        label=_("Decision letter"), required=False,

        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    wage_premium_percent = forms.IntegerField(
        label=_("Wage premium (%)"), required=False, min_value=20, max_value=75,
        help_text=_("IMW only: 20 to 75 percent of the capped reference wage."),
        error_messages={"min_value": _("The wage premium is between 20 and 75 percent."),
                        "max_value": _("The wage premium is between 20 and 75 percent.")},
    )

    class Meta:
        model = Advice
        fields = ["type", "issuing_body", "referred_on", "decision_date", "valid_until", "destination",
                  "wage_premium_percent", "guidance_premium", "consultant_name", "consultant_contact", "status", "note"]
        widgets = {"referred_on": DateInput(), "decision_date": DateInput(), "valid_until": DateInput()}

    date_order = (("decision_date", "valid_until", _("The validity ends before the decision date.")),)

    TRAJECTORY_FIELDS = ["trajectory_action", "trajectory_regime", "trajectory_date", "extension_reason",
                         "extension_months"]

    def __init__(self, *args, trajectory_effect=None, open_trajectory=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trajectory_effect:
            self._add_trajectory_fields(open_trajectory)
        self.fields["letter_upload"].help_text = _(
            "PDF, PNG or JPEG, at most %(limit)s. Stored privately; it can only be opened through the portal."
        ) % {"limit": filesizeformat(settings.PORTAL_LETTER_MAX_BYTES)}
        if not self.instance.pk:
            # A new advice is active; replacing the previous one of its type happens on save.
            del self.fields["status"]
        elif self.instance.favourable is not None:
            self.initial["favourable_choice"] = "yes" if self.instance.favourable else "no"
        self.fields["decision_date"].initial = timezone.localdate

    def _add_trajectory_fields(self, trajectory):
        """"Traject aanpassen": start a trajectory when there is none, otherwise change its regime or extend
        it. Choices come from the trajectory models, so they follow that app."""
        trajectory_model = apps.get_model("trajects", "Trajectory")
        extension_model = apps.get_model("trajects", "Extension")
        actions = [("", _("Leave the trajectory as it is"))]
        actions += [("start", _("Start a trajectory"))] if trajectory is None else [
            ("change_regime", _("Change the regime")), ("extend", _("Extend the trajectory"))]
        self.fields["trajectory_action"] = forms.ChoiceField(label=_("Adjust the trajectory"), choices=actions,
                                                             required=False)
        self.fields["trajectory_regime"] = forms.ChoiceField(
            label=_("Regime"), required=False,
            help_text=_("Empty: the regime of the advice (LDE advice: LDE, IMW attestation: IMW 5 years, "
                        "CMW start package: CMW)."),
            choices=[("", "---------")] + list(trajectory_model._meta.get_field("regime").choices))
        self.fields["trajectory_date"] = DateField(
            date_range=dates.WORKING_LIFE, label=_("Start of employment / date of the change"), required=False,
            help_text=_("Empty: the first contract start for a new trajectory, the decision date for a change."))
        self.fields["extension_reason"] = forms.ChoiceField(
            label=_("Reason for the extension"), required=False,
            choices=[("", "---------")] + list(extension_model._meta.get_field("reason").choices))
        self.fields["extension_months"] = forms.IntegerField(label=_("Extension (months)"), required=False,
                                                             min_value=0, max_value=60)

    def trajectory_action(self):
        if not self.cleaned_data.get("trajectory_action"):
            return None
        return {"action": self.cleaned_data["trajectory_action"], "regime": self.cleaned_data.get("trajectory_regime"),
                "date": self.cleaned_data.get("trajectory_date"), "reason": self.cleaned_data.get("extension_reason"),
                "months": self.cleaned_data.get("extension_months")}

    def _clean_trajectory(self, data):
        action = data.get("trajectory_action")
        # Empty: the regime the advice itself points at (trajectory_effect.REGIME_FOR_ADVICE).
        if action in ("start", "change_regime") and not data.get("trajectory_regime") \
                and data.get("type") not in REGIME_FOR_ADVICE:
            self.add_error("trajectory_regime", _("Choose the regime."))
        if action == "extend":
            if not data.get("extension_reason"):
                self.add_error("extension_reason", _("Choose the reason for the extension."))
            if data.get("extension_months") is None:
                self.add_error("extension_months", _("Enter the number of months."))

    def clean_letter_upload(self):
        letter = self.cleaned_data.get("letter_upload")
        if letter:
            uploads.accept_upload(letter, "letter")
        return letter

    def clean(self):
        data = super().clean()
        data["favourable"] = {"yes": True, "no": False}.get(data.pop("favourable_choice", ""), None)
        type_ = data.get("type")
        if type_ == "imw_attestation" and data.get("wage_premium_percent") is None \
                and "wage_premium_percent" not in self.errors:
            self.add_error("wage_premium_percent", _("An IMW attestation needs the wage-premium percentage."))
        if type_ == "throughflow_decision" and data["favourable"] is None:
            self.add_error("favourable_choice", _("Say whether the throughflow decision is favourable."))
        if "trajectory_action" in self.fields:
            self._clean_trajectory(data)
        return data

    def service_data(self):
        names = [n for n in self.Meta.fields if n in self.cleaned_data] + ["favourable"]
        return {n: self.cleaned_data[n] for n in names}

    def add_error(self, field, error):
        # The service reports model field names; two of them have a differently named form field here.
        field = {"favourable": "favourable_choice", "letter": "letter_upload"}.get(field, field)
        super().add_error(field, error)


class EvaluationRequestForm(_ServiceForm):
    class Meta:
        model = EvaluationRequest
        fields = ["reason", "requested_on", "exception_reason", "planned_visit", "outcome", "decision_date", "note"]
        widgets = {"requested_on": DateInput(), "planned_visit": DateInput(), "decision_date": DateInput()}

    def __init__(self, *args, suggested_reason=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["requested_on"].initial = timezone.localdate
            if suggested_reason:
                self.fields["reason"].initial = suggested_reason

    def clean(self):
        data = super().clean()
        if data.get("outcome") and not data.get("decision_date"):
            self.add_error("decision_date", _("Give the date of VDAB's decision."))
        return data


class IcfItemForm(_ServiceForm):
    class Meta:
        model = IcfItem
        fields = ["component", "code", "label", "order", "active"]

    def clean(self):
        data = super().clean()
        if data.get("component") in ("b", "d", "e") and not data.get("code"):
            self.add_error("code", _("ICF components b, d and e need an ICF code (e.g. d240)."))
        return data


def _qualifier_choices(item):
    choices = [("", "—")] + [(str(v), label) for v, label in Qualifier.choices]
    if item.component == IcfComponent.ENVIRONMENT:
        choices += [(f"+{n}", _("+%(n)s facilitator") % {"n": n}) for n in range(1, 5)]
    return choices


class NeedsAssessmentForm(forms.Form):
    """One row per ICF item: a qualifier (0-4, 8, 9; facilitators +1..+4 for environmental factors) and a
    note; personal and qualification-related factors take a note only."""

    date = DateField(date_range=dates.GUIDANCE, label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(label=_("General note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, items=(), previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        previous = previous or {}
        for item in self.items:
            before = previous.get(item.pk)
            if item.qualified:
                self.fields[f"q_{item.pk}"] = forms.ChoiceField(
                    label=str(item), choices=_qualifier_choices(item), required=False,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                    initial=before.display if before else "")
            self.fields[f"n_{item.pk}"] = forms.CharField(
                label=_("Note on %(item)s") % {"item": item}, max_length=500, required=False,
                initial=before.note if before else "")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("An assessment cannot lie in the future."))
        return date

    def groups(self):
        labels = dict(IcfComponent.choices)
        out = []
        for component in IcfComponent.values:
            rows = [(item, self[f"q_{item.pk}"] if item.qualified else None, self[f"n_{item.pk}"])
                    for item in self.items if item.component == component]
            if rows:
                out.append((labels[component], rows))
        return out

    def scores(self):
        rows = []
        for item in self.items:
            raw = self.cleaned_data.get(f"q_{item.pk}", "") if item.qualified else ""
            qualifier = facilitator = None
            if raw.startswith("+"):
                facilitator = int(raw[1:])
            elif raw:
                qualifier = int(raw)
            rows.append({"item": item, "qualifier": qualifier, "facilitator": facilitator,
                         "note": self.cleaned_data.get(f"n_{item.pk}", "")})
        return rows


class ComplementarityForm(_ServiceForm):
    class Meta:
        model = ComplementarityProfile
        fields = ["working_hours", "mobility", "physical_capacity", "learning_ability", "self_confidence",
                  "autonomy", "poverty_experience", "interests", "languages", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}),
                   "poverty_experience": forms.NullBooleanSelect()}


class ContextProblemForm(DateOrder, _ServiceForm):
    class Meta:
        model = ContextProblem
        fields = ["kind", "description", "noted_on", "resolved_on"]
        widgets = {"noted_on": DateInput(), "resolved_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    date_order = (("noted_on", "resolved_on", _("The problem cannot be resolved before it was noted.")),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate


class ReferralForm(_ServiceForm):
    class Meta:
        model = Referral
        fields = ["service", "service_name", "referred_on", "status", "follow_up_on", "note"]
        widgets = {"referred_on": DateInput(), "follow_up_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_on"].initial = timezone.localdate

