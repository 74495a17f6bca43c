from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.forms import DateField

from .models import AuditAction


class TrailFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Who"), queryset=None, required=False, empty_label=_("Everyone"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    worker = forms.CharField(label=_("Worker (name or number)"), required=False, max_length=100)
    date_from = DateField(date_range=dates.PERIOD, label=_("From"), required=False)
    date_to = DateField(date_range=dates.PERIOD, label=_("Until"), required=False)

    def __init__(self, *args, users, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = users
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]
        self.fields["object_type"].choices = [("", _("All types")), *object_types]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
