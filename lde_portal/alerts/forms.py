from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.concurrency import VersionField
from lde_portal.forms import DateField

from .models import AlertSettings, DigestFrequency
from .registry import MONTHS, PROVIDERS

SCOPES = [("mine", _("Mine")), ("team", _("Team"))]
WHENS = [("", _("Any time")), ("overdue", _("Overdue")), ("week", _("This week")), ("later", _("Later"))]
STATES = [("open", _("Open")), ("snoozed", _("Snoozed")), ("closed", _("Dealt with"))]


class AlertFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Whose"), choices=SCOPES, required=False)
    when = forms.ChoiceField(label=_("When"), choices=WHENS, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    worker = forms.TypedChoiceField(label=_("Worker"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)

    def __init__(self, *args, kinds, workers, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + list(kinds)
        self.fields["worker"].choices = [("", _("All workers"))] + [(pk, f"{last} {first}") for pk, first, last in workers]
        if not team:
            del self.fields["scope"]


class SnoozeForm(forms.Form):
    # The snooze the page showed (empty for an open alert): a snooze someone else set since then is not replaced.
    shown_until = DateField(date_range=dates.DUE, required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    until = DateField(date_range=dates.DUE, label=_("Snooze until"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. waiting for the VDAB decision")}))


class PreferenceForm(forms.Form):
    digest = forms.ChoiceField(label=_("E-mail digest"), choices=[("", _("The organisation's default"))]
                               + list(DigestFrequency.choices), required=False)


def parse_lead_times(value: str) -> list[int]:
    parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise forms.ValidationError(_("Give at least one lead time."))
    try:
        numbers = sorted({int(p) for p in parts}, reverse=True)
    except ValueError:
        raise forms.ValidationError(_("Use whole numbers separated by commas, e.g. 12, 6, 3.")) from None
    if any(n < 0 or n > 730 for n in numbers):
        raise forms.ValidationError(_("Each lead time is between 0 and 730."))
    if len(numbers) > 6:
        raise forms.ValidationError(_("At most six lead times."))
    return numbers


class AlertSettingsForm(forms.ModelForm):
    """The fixed knobs plus one "lead times" field per registered alert kind."""

    version = VersionField()

    class Meta:
        model = AlertSettings
        fields = ["escalation_delay_days", "feedback_grace_days", "default_digest"]
        labels = {
            "escalation_delay_days": _("Escalate to the coordinators after (days overdue)"),
            "feedback_grace_days": _("Weekly feedback grace period (days)"),
            "default_digest": _("Default e-mail digest for new users"),
        }

    def __init__(self, *args, config, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalation_delay_days"].widget.attrs["max"] = 365
        self.kind_fields = []
        for kind, spec in sorted(PROVIDERS.items(), key=lambda kv: str(kv[1].label)):
            name = f"lead_{kind}"
            unit = _("months") if spec.lead_unit == MONTHS else _("days")
            self.fields[name] = forms.CharField(
                label=spec.label, initial=", ".join(str(n) for n in config.lead_times(kind)),
                help_text=_("In %(unit)s before the due date, separated by commas (default: %(default)s).") % {
                    "unit": unit, "default": ", ".join(str(n) for n in spec.lead_times)},
            )
            self.kind_fields.append((kind, name))

    def lead_fields(self):
        return [self[name] for _kind, name in self.kind_fields]

    def clean_escalation_delay_days(self):
        value = self.cleaned_data["escalation_delay_days"]
        if value > 365:
            raise forms.ValidationError(_("At most 365 days."))
        return value

    def clean(self):
        data = super().clean()
        lead_times = {}
        for kind, name in self.kind_fields:
            if name in data:
                try:
                    lead_times[kind] = parse_lead_times(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        data["lead_times"] = lead_times
        return data
