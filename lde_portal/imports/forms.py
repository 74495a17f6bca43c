from django import forms
from django.utils.translation import gettext_lazy as _

from .mapping import IGNORE, fold
from .registry import sheets


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Workbook or CSV file"),
                           help_text=_("An Excel workbook (.xlsx) in the layout of the import workbook, or a CSV "
                                       "file with one kind of record."))
    sheet = forms.ChoiceField(label=_("Kind of records (CSV only)"), required=False,
                              help_text=_("Leave on 'recognise' to let the portal tell it from the headers."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [("", _("Recognise from the headers"))] + [
            (s.key, s.label) for s in sheets()]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.txt"


class MappingForm(forms.Form):
    """One select per header the portal could not map: which column it is, or leave it out."""

    remember = forms.BooleanField(label=_("Remember these answers for the next import"), required=False,
                                  initial=True)

    def __init__(self, *args, unmapped, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = []
        for sheet, table_name, headers in unmapped:
            for position, header in headers:
                name = f"m_{sheet.key}_{position}"
                self.fields[name] = forms.ChoiceField(
                    label=_("Column '%(header)s' of sheet %(sheet)s") % {"header": header, "sheet": table_name},
                    required=False,
                    choices=[(IGNORE, _("Leave this column out"))] + [(c.key, c.header) for c in sheet.columns])
                self.questions.append((name, sheet, table_name, fold(header)))
        self.order_fields([q[0] for q in self.questions] + ["remember"])

    def answers(self):
        out: dict[str, dict[str, str]] = {}
        for name, sheet, _table, folded in self.questions:
            out.setdefault(sheet.key, {})[folded] = self.cleaned_data.get(name) or IGNORE
        return out


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to import"), widget=forms.RadioSelect, initial="all",
        choices=[("all", _("All or nothing: import only if no row is refused")),
                 ("valid", _("Import the valid rows and leave the refused ones"))])
