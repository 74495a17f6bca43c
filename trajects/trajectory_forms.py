"""Forms of the Traject tab and the organisation's trajectory pages: they validate input only;
the services apply the legal rules and put their refusals back on these fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.concurrency import VersionedModelForm, VersionField
from lde_portal.forms import DateField, DateOrder

from .models import ExtensionReason, PhaseDefinition, Regime, SuspensionReason

IMW_HELP = _("IMW only: the date of the DWSE decision; the term starts on the first day of its quarter.")


class VersionedForm(forms.Form):
    """Carries the trajectory version the form was opened with (optimistic concurrency)."""

    version = VersionField()


class _ImwDecision:
    """An IMW term starts from the quarter of the DWSE decision, so a form choosing an IMW regime needs its date."""

    def clean(self):
        data = super().clean()
        if data.get("regime") in ("IMW_5Y", "IMW_2Y") and not data.get("decision_date") \
                and "decision_date" not in self.errors:
            self.add_error("decision_date", _("IMW needs the date of the DWSE decision."))
        return data


class TrajectoryStartForm(_ImwDecision, forms.Form):
    regime = forms.ChoiceField(label=_("Regime"), choices=Regime.choices)
    start = DateField(date_range=dates.WORKING_LIFE, label=_("Start of employment"),
                      help_text=_("The legal term counts from this day (LDE: from 01/04/2015 for earlier hires)."))
    decision_date = DateField(date_range=dates.LDE_ERA, label=_("Decision date (DWSE)"), required=False,
                              help_text=IMW_HELP)
    phase = forms.ModelChoiceField(label=_("First phase"), queryset=PhaseDefinition.objects.none(), required=False)

    def __init__(self, *args, phases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if phases is not None:
            self.fields["phase"].queryset = phases
            self.fields["phase"].initial = next(iter(phases), None)


class SuspensionForm(DateOrder, VersionedForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=SuspensionReason.choices)
    start = DateField(date_range=dates.GUIDANCE, label=_("From"))
    end = DateField(date_range=dates.GUIDANCE, label=_("To (inclusive)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    date_order = (("start", "end", _("The suspension ends before it starts.")),)


class ExtensionForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *ExtensionReason.choices],
                               error_messages={"required": _("An extension needs a reason.")})
    months = forms.IntegerField(label=_("Months"), min_value=0, max_value=120,
                                help_text=_("55+: leave 0, the end moves to the next 5-year boundary."))
    decision_date = DateField(date_range=dates.LDE_ERA, label=_("Decision date"), initial=timezone.localdate)
    document = forms.FileField(label=_("Decision document"), required=False,
                               help_text=_("PDF, PNG or JPEG, at most 5 MB."),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PhaseChangeForm(VersionedForm):
    phase = forms.ModelChoiceField(label=_("New phase"), queryset=PhaseDefinition.objects.none())
    since = DateField(date_range=dates.WORKING_LIFE, label=_("Since"), initial=timezone.localdate)

    def __init__(self, *args, phases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if phases is not None:
            self.fields["phase"].queryset = phases


class RegimeChangeForm(_ImwDecision, VersionedForm):
    regime = forms.ChoiceField(label=_("New regime"), choices=Regime.choices)
    change_date = DateField(date_range=dates.LDE_ERA, label=_("New regime from"),
                            help_text=_("The current trajectory closes the day before."))
    start = DateField(date_range=dates.WORKING_LIFE, label=_("Start of employment"), required=False,
                      help_text=_("Leave empty: the transition keeps the LDE hire date; "
                      "IMW and collective custom work start on the change date."))
    decision_date = DateField(date_range=dates.LDE_ERA, label=_("Decision date (DWSE)"), required=False,
                              help_text=IMW_HELP)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if allowed:
            self.fields["regime"].choices = [(v, label) for v, label in Regime.choices if v in allowed]


class MilestoneForm(VersionedForm):
    date = DateField(date_range=dates.GUIDANCE, label=_("Date"), initial=timezone.localdate)
    label = forms.CharField(label=_("Milestone"), max_length=150)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SineForm(forms.Form):
    start = DateField(date_range=dates.GUIDANCE, label=_("SINE from"),
                      help_text=_("The end follows from the phase-out of SINE (at most until 30/06/2025)."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


HORIZONS = [("3", _("3 months")), ("6", _("6 months")), ("12", _("12 months"))]


class TrajectoryEndsFilterForm(forms.Form):
    months = forms.ChoiceField(label=_("Ending within"), choices=HORIZONS, required=False, initial="12")
    activity = forms.ChoiceField(label=_("Activity"), required=False)
    coach = forms.ChoiceField(label=_("Coach"), required=False)

    def __init__(self, *args, activities=(), coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("All activities"))] + [(str(a.pk), a.name) for a in activities]
        self.fields["coach"].choices = [("", _("All coaches"))] + [
            (str(m.pk), m.user.get_full_name() or m.user.email) for m in coaches
        ]


class PhaseForm(VersionedModelForm):
    class Meta:
        model = PhaseDefinition
        fields = ["name", "order", "expected_months", "active"]

    def _post_clean(self):
        # Copy the input onto the instance but leave model validation to the service, which sets the
        # organisation first (uniqueness of names within it is also checked by the formset).
        self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)


class BasePhaseFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        names = [f.cleaned_data.get("name", "").strip().lower() for f in self.forms
                 if f.has_changed() or f.instance.pk]
        names = [n for n in names if n]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Two phases have the same name."))


PhaseFormSet = forms.modelformset_factory(PhaseDefinition, form=PhaseForm, formset=BasePhaseFormSet, extra=1,
                                         can_delete=False)
