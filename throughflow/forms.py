from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.concurrency import VersionField
from lde_portal.forms import DateField
from lde_portal.reports.forms import DashboardForm

from .models import (
    SENSITIVE_DETERMINANTS,
    ApplicationChannel,
    ApplicationResult,
    Assessment,
    ConsentScope,
    Determinant,
    Employer,
    ExitContractType,
    ExitReason,
    InternshipResult,
    Rating,
    ReadinessDecision,
    SupportAfterExit,
    TrackPhase,
    WorkType,
)
from .services import followup_too_early

YES_NO = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


def _yes_no(label, required=False):
    return forms.TypedChoiceField(label=label, choices=YES_NO, required=required,
                                  coerce=lambda v: v == "true", empty_value=None)


class ExitForm(forms.Form):
    date = DateField(date_range=dates.GUIDANCE, label=_("Exit date"), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ExitReason.choices])
    employer = forms.ModelChoiceField(label=_("Employer in the directory"), queryset=Employer.objects.none(), empty_label="—",
                                      required=False)
    destination_employer = forms.CharField(label=_("Destination employer"), max_length=200, required=False,
                                           help_text=_("Leave empty to use the employer chosen in the directory."))
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=[("", "—"), *ExitContractType.choices],
                                      required=False)
    weekly_hours = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1, required=False,
                                      min_value=0.5, max_value=50)
    support_after = forms.ChoiceField(label=_("Support after exit"), choices=SupportAfterExit.choices,
                                      initial=SupportAfterExit.NONE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers

    def clean(self):
        data = super().clean()
        if data.get("reason") in (ExitReason.EXTERNAL, ExitReason.INTERNAL) and not data.get("destination_employer") \
                and not data.get("employer"):
            self.add_error("destination_employer", _("Name the employer the worker moves to."))
        return data


class FollowUpForm(forms.Form):
    version = VersionField()
    done_on = DateField(date_range=dates.GUIDANCE, label=_("Date of contact"), initial=timezone.localdate)
    still_employed = _yes_no(_("Still employed"), required=True)
    same_employer = _yes_no(_("With the same employer"))
    support_needed = _yes_no(_("Support needed"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, due=None, months=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due, self.months = due, months
        if due is not None:
            self.fields["done_on"].help_text = _("From %(due)s on.") % {"due": due.strftime("%d/%m/%Y")}

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if self.due is not None and done_on is not None and done_on < self.due:
            raise forms.ValidationError(followup_too_early(self.due, self.months))
        return done_on


class ExitListForm(DashboardForm):
    """The exit list's filters: the dashboard's period and activity, plus the reason."""

    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", _("All reasons")), *ExitReason.choices])
    throughflow = forms.BooleanField(label=_("Throughflow only"), required=False)
    durable = forms.BooleanField(label=_("Durable throughflow only"), required=False)


class EmployerForm(forms.Form):
    version = VersionField()
    name = forms.CharField(label=_("Name"), max_length=200)
    enterprise_number = forms.CharField(label=_("Enterprise number"), max_length=20, required=False,
                                        help_text=_("10 digits, e.g. 0123.456.749"))
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    contacts = forms.CharField(label=_("Contacts"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("Contact persons with their role, phone and email, one per line."))


class TrackForm(forms.Form):
    decision_date = DateField(date_range=dates.LDE_ERA, label=_("Date of the favourable VDAB decision"))
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=100, required=False)
    start = DateField(date_range=dates.LDE_ERA, label=_("Start of the track"),
                      help_text=_("At the latest 3 months after the decision."))
    late_start_reason = forms.CharField(label=_("Reason for a late start"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text=_("Only needed when the track starts more than 3 months after "
                                                    "the decision."))
    coach_name = forms.CharField(label=_("Throughflow coach"), max_length=150,
                                 help_text=_("The coach mandated by VDAB (outside the organisation)."))
    coach_organisation = forms.CharField(label=_("Organisation of the throughflow coach"), max_length=150,
                                         required=False)
    coach_contact = forms.CharField(label=_("Phone or email of the throughflow coach"), max_length=150,
                                    required=False)


class PhaseForm(forms.Form):
    version = VersionField()
    phase = forms.ChoiceField(label=_("Phase"), choices=TrackPhase.choices)
    since = DateField(date_range=dates.GUIDANCE, label=_("Since"), initial=timezone.localdate)


class HoursForm(forms.Form):
    date = DateField(date_range=dates.GUIDANCE, label=_("Date"), initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=2, min_value=0.25, max_value=12)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# --------------------------------------------------------------------------- placement

RATING_CHOICES = [("", "—"), *[(str(v), label) for v, label in Rating.choices]]


def _rating(label):
    return forms.TypedChoiceField(label=label, choices=RATING_CHOICES, coerce=int, empty_value=None, required=False)


class _EmployerChoiceMixin:
    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers


class JobTargetForm(forms.Form):
    version = VersionField()
    occupation = forms.CharField(label=_("Occupation"), max_length=150)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    weekly_hours = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1, required=False,
                                      min_value=1, max_value=50, localize=True)
    region = forms.CharField(label=_("Region"), max_length=150, required=False,
                             help_text=_("Municipalities or area where the worker wants to work."))
    max_commute_minutes = forms.IntegerField(label=_("Maximum commute (minutes, one way)"), required=False,
                                             min_value=5, max_value=240)
    work_type = forms.ChoiceField(label=_("Type of work"), choices=WorkType.choices, initial=WorkType.REGULAR)
    childcare = forms.CharField(label=_("Childcare"), max_length=300, required=False,
                                help_text=_("What must be arranged, e.g. hours the children need to be picked up."))
    pay_expectation = forms.CharField(label=_("Pay expectation"), max_length=200, required=False)
    other_conditions = forms.CharField(label=_("Other conditions"), widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)
    set_on = DateField(date_range=dates.GUIDANCE, label=_("Set on"), initial=timezone.localdate)


class ApplicationForm(_EmployerChoiceMixin, forms.Form):
    version = VersionField()
    employer = forms.ModelChoiceField(label=_("Employer in the directory"), queryset=Employer.objects.none(),
                                      empty_label="—", required=False)
    employer_name = forms.CharField(label=_("Or the employer's name"), max_length=200, required=False,
                                    help_text=_("For an employer that is not in the directory."))
    date = DateField(date_range=dates.GUIDANCE, label=_("Date of application"), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *ApplicationChannel.choices])
    position = forms.CharField(label=_("Vacancy or position"), max_length=200, required=False)
    result = forms.ChoiceField(label=_("Result"), choices=ApplicationResult.choices, initial=ApplicationResult.PENDING)
    result_date = DateField(date_range=dates.GUIDANCE, label=_("Date of the result"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InternshipForm(_EmployerChoiceMixin, forms.Form):
    version = VersionField()
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.none(), empty_label="—",
                                      help_text=_("From the employer directory; add the employer there first if "
                                                  "needed."))
    start = DateField(date_range=dates.GUIDANCE, label=_("Start date"))
    end = DateField(date_range=dates.GUIDANCE, label=_("End date"), help_text=_("Planned or actual last day."))
    tasks = forms.CharField(label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 3}))
    weekly_hours = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1, min_value=1,
                                      max_value=50, localize=True)
    mentor = forms.CharField(label=_("Mentor at the employer"), max_length=200, required=False,
                             help_text=_("Name, phone or email."))
    employer_evaluation = forms.CharField(label=_("Evaluation by the employer"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    employer_rating = _rating(_("Rating by the employer"))
    worker_evaluation = forms.CharField(label=_("Evaluation by the worker"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    worker_rating = _rating(_("Rating by the worker"))
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *InternshipResult.choices], required=False,
                               help_text=_("Once the internship has ended."))


class HandoverNoteForm(forms.Form):
    version = VersionField()
    works_well = forms.CharField(label=_("What works well"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    support_tips = forms.CharField(label=_("Support tips"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_moments = forms.CharField(label=_("Agreed contact moments"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("E.g. a phone call after the first week, a visit after a month."))


class ConsentForm(_EmployerChoiceMixin, forms.Form):
    employer = forms.ModelChoiceField(label=_("Next employer"), queryset=Employer.objects.none(), empty_label="—",
                                      help_text=_("From the employer directory; add the employer there first if "
                                                  "needed."))
    given_on = DateField(date_range=dates.GUIDANCE, label=_("Consent given on"), initial=timezone.localdate)
    scope = forms.MultipleChoiceField(label=_("What may be shared"), choices=ConsentScope.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      initial=list(ConsentScope.values))


class WithdrawConsentForm(forms.Form):
    withdrawn_on = DateField(date_range=dates.GUIDANCE, label=_("Withdrawn on"), initial=timezone.localdate)


# --------------------------------------------------------------------------- readiness, pauses, settings


class ReadinessForm(forms.Form):
    """One field pair per determinant (`<key>_assessment`, `<key>_note`); the template lays them out as rows."""

    version = VersionField()
    date = DateField(date_range=dates.GUIDANCE, label=_("Date of the check"), initial=timezone.localdate)
    worker_took_part = forms.BooleanField(label=_("The worker took part in the check"), required=False,
                                          initial=True)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Readable by everyone who sees the dossier: keep health, family and "
                                          "money details in the notes of those determinants."))
    decision = forms.ChoiceField(label=_("Decision"), choices=ReadinessDecision.choices, widget=forms.RadioSelect)
    next_check = DateField(date_range=dates.DUE, label=_("Next check"), required=False,
                           help_text=_("Needed when the decision is \"not yet\"."))
    requested_on = DateField(date_range=dates.GUIDANCE, label=_("Evaluation requested on"), required=False,
                             help_text=_("Leave empty to use the date of the check."))
    planned_visit = DateField(date_range=dates.DUE, label=_("Planned VDAB visit"), required=False)
    exception_reason = forms.CharField(label=_("Exception reason"), max_length=300, required=False,
                                       help_text=_("Only needed when the request is earlier than the rules allow."))

    def __init__(self, *args, request_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Determinant.choices:
            self.fields[f"{key}_assessment"] = forms.ChoiceField(
                label=label, choices=[("", "—"), *Assessment.choices])
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Note on %(determinant)s") % {"determinant": label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        if request_locked:
            for name in ("requested_on", "planned_visit", "exception_reason"):
                del self.fields[name]

    def determinant_rows(self):
        """Rendered by hand (readiness_form.html): the fieldset's legend names the determinant once, so the
        two fields get short visible labels instead of crispy's repeated ones."""
        rows = []
        for key, label in Determinant.choices:
            assessment, note = self[f"{key}_assessment"], self[f"{key}_note"]
            for bound, css in ((assessment, "form-select"), (note, "form-control")):
                invalid = " is-invalid" if self.is_bound and bound.errors else ""
                bound.field.widget.attrs["class"] = css + invalid
            rows.append({"key": key, "label": label, "sensitive": key in SENSITIVE_DETERMINANTS,
                         "assessment": assessment, "note": note})
        return rows

    def service_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if not k.endswith(("_assessment", "_note"))}
        data["answers"] = {key: {"assessment": self.cleaned_data.get(f"{key}_assessment"),
                                 "note": self.cleaned_data.get(f"{key}_note", "")}
                           for key in Determinant.values}
        return data

    @staticmethod
    def initial_from(check):
        initial = {k: getattr(check, k) for k in ("version", "date", "worker_took_part", "summary", "decision",
                                                   "next_check")}
        for a in check.answers.all():
            initial[f"{a.determinant}_assessment"], initial[f"{a.determinant}_note"] = a.assessment, a.note
        return initial


class PauseForm(forms.Form):
    version = VersionField()
    paused_from = DateField(date_range=dates.GUIDANCE, label=_("Paused from"), initial=timezone.localdate,
                            help_text=_("The first day without coaching."))
    reason = forms.CharField(label=_("Reason for the pause"), max_length=300,
                             help_text=_("E.g. illness, a family situation, a training abroad. Keep health "
                                         "details out: name the kind of reason only."))


class ResumeForm(forms.Form):
    version = VersionField()
    resumed_on = DateField(date_range=dates.GUIDANCE, label=_("Resumed on"), initial=timezone.localdate,
                           help_text=_("The first day of coaching again."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


FOLLOWUP_MONTH_CHOICES = [(m, m) for m in (1, 2, 3, 4, 6, 9, 12, 18, 24, 36)]


class ThroughflowSettingsForm(forms.Form):
    version = VersionField()
    followup_months = forms.TypedMultipleChoiceField(
        label=_("Aftercare follow-ups (months after exit)"), choices=FOLLOWUP_MONTH_CHOICES, coerce=int,
        widget=forms.CheckboxSelectMultiple, required=False)
