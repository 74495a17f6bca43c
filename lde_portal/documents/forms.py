from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lde_portal.concurrency import VersionField

from .models import DocumentSettings


class BaseIssueForm(forms.Form):
    """Every issue form has the document's language; a kind's form adds its own fields.

    Subclasses receive `worker` (a PrintableWorker, or None in a batch) and `membership` and may use
    them to fill initial values (e.g. the role from the current activity)."""

    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES, initial="nl")

    def __init__(self, *args, worker=None, membership=None, **kwargs):
        self.worker = worker
        self.membership = membership
        super().__init__(*args, **kwargs)

    def document_data(self) -> dict:
        """The cleaned values as JSON-ready data for the context builder (and a batch row)."""
        return {k: (str(v) if hasattr(v, "as_tuple") else v) for k, v in self.cleaned_data.items()}


class RecordChoiceForm(BaseIssueForm):
    """An issue form that asks which one of the worker's records the document prints (a training, a POP
    version, an employer's consent). A subclass names the ChoiceField in `record_field`, lists the worker's
    records (primary keys become the values) in `worker_records()` (or, in a batch without a worker, all of
    them in `records()`) and words one in `record_label()`; `blank` is the text of an empty first choice
    (None: none) and `preselect` chooses the first record."""

    record_field = ""
    blank = None
    preselect = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        records = list(self.records())
        field = self.fields[self.record_field]
        blank = [] if self.blank is None else [("", self.blank)]
        field.choices = blank + [(str(r.pk), self.record_label(r)) for r in records]
        if self.preselect and records:
            field.initial = str(records[0].pk)

    def records(self):
        return self.worker_records(self.worker.pk) if self.worker is not None else []

    def worker_records(self, worker_id):
        raise NotImplementedError

    def record_label(self, record) -> str:
        raise NotImplementedError


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept with the document; the public check page only shows the date."))


class BatchForm(forms.Form):
    workers = forms.MultipleChoiceField(label=_("Workers"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].choices = [(str(w.pk), w.full_name) for w in workers]

    def clean_workers(self):
        return [int(pk) for pk in self.cleaned_data["workers"]]


class DocumentSettingsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = DocumentSettings
        fields = ["number_prefix", "signatory_name", "signatory_role"]

    def clean_number_prefix(self):
        value = self.cleaned_data["number_prefix"].strip().upper()
        if value and not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("Use capital letters, digits and hyphens only."))
        return value


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=40,
                             widget=forms.TextInput(attrs={"placeholder": "STROOM-2026-000123", "autocomplete": "off"}))
    code = forms.CharField(label=_("Check code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
