from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal import dates
from lde_portal.accounts.models import Activity
from lde_portal.forms import DateField, DateOrder

from .registry import ExportFilters


class ExportForm(DateOrder, forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV (;)")],
                               initial="xlsx", required=False)
    start = DateField(date_range=dates.PERIOD, label=_("From"), required=False)
    end = DateField(date_range=dates.PERIOD, label=_("Until"), required=False)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none(), required=False,
                                      empty_label=_("All activities"))

    date_order = (("start", "end", _("The end of the period is before its start.")),)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(organisation=organisation).order_by("name")

    def clean_format(self):
        return self.cleaned_data.get("format") or "xlsx"

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(start=data.get("start"), end=data.get("end"),
                             activity_id=data["activity"].pk if data.get("activity") else None)


class DashboardForm(ExportForm):
    """The dashboard's filters: the export filters without the format."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["format"]

    def clean_format(self):
        return None
