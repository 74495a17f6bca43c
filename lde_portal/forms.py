from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's locale (a native picker would show the
    browser's own format, often mm/dd/yyyy on shared PCs); numeric keypad on phones."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off",
                    "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "class": "date-input"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")
