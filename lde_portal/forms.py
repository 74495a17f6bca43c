from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal.dates import InRange


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's locale (a native picker would show the
    browser's own format, often mm/dd/yyyy on shared PCs); numeric keypad on phones."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off",
                    "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "class": "date-input"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A form date with its plausible range (lde_portal.dates), typed as dd/mm/yyyy.

    Every date a form takes is one of these: the range is checked in the field itself, so a form's
    clean() never does deadline arithmetic on 31/12/9999.
    """

    def __init__(self, *, date_range, past_only: bool = False, **kwargs):
        """`past_only`: the form's clean_<field> refuses any date after today with its own, more precise
        message ("a status change cannot be in the future"), so only the range's floor is checked here."""
        self.date_range = date_range
        kwargs.setdefault("widget", DateInput())
        kwargs["validators"] = [*kwargs.get("validators", ()), InRange(date_range, floor_only=past_only)]
        super().__init__(**kwargs)


class ServiceValidated:
    """For a model form whose model validation runs in the service: the service first sets what the form does
    not hold (the organisation, the worker), checks uniqueness within the organisation, and raises field
    errors the view puts back on the form (lde_portal.concurrency.apply_errors)."""

    def _post_clean(self):
        pass


class DateOrder:
    """Refuses two dates in the wrong order, next to the later one. `date_order` lists (earlier field, later
    field, message); a pair with a date missing or already refused by its field is left alone."""

    date_order: tuple = ()

    def clean(self):
        data = super().clean()
        for earlier, later, message in self.date_order:
            if data.get(earlier) and data.get(later) and data[later] < data[earlier]:
                self.add_error(later, message)
        return data
