"""The plausible range of every date the portal accepts, in one place.

A date outside its range is a typing error (01/01/0001, 31/12/9999) that would otherwise be stored
and then break the deadline arithmetic (a five-year term from 9999 does not exist). Each range names
its reason; forms, services, management commands and imports all refuse with the same message:

- forms: every model date field is a `DateField` below (its form field carries the validator) and
  every plain form uses `lde_portal.forms.DateField`;
- services: `full_clean()` runs the model field's validator; services that compute with a date before
  saving call `require()` first, so a command or an import gets the same field-keyed ValidationError;
- commands: `check_option()` turns the refusal into a CommandError.

The ceilings move with the calendar (today + N years) so they never need a yearly edit; the floors
are fixed facts of law or of a working life.
"""

import dataclasses
import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Decreet LDE 22/11/2013, BVR 19/12/2014: in force 1 April 2015.
LDE_IN_FORCE = datetime.date(2015, 4, 1)


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


@dataclasses.dataclass(frozen=True)
class DateRange:
    """[earliest, latest] inclusive. The floor is a fixed date or an age (`years_back` from today);
    the ceiling is `years_ahead` from today, or `years_back_latest` before today (birth dates)."""

    key: str
    reason: str | Promise
    earliest: datetime.date | None = None
    years_back: int | None = None
    years_ahead: int | None = None
    years_back_latest: int | None = None

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        earliest = self.earliest if self.earliest is not None else _shift_years(today, -self.years_back)
        if self.years_back_latest is not None:
            latest = _shift_years(today, -self.years_back_latest)
        else:
            latest = _shift_years(today, self.years_ahead)
        return earliest, latest

    def message(self, today: datetime.date | None = None) -> str:
        earliest, latest = self.bounds(today)
        return _("Enter a date between %(earliest)s and %(latest)s: %(reason)s.") % {
            "earliest": date_format(earliest, "d/m/Y"), "latest": date_format(latest, "d/m/Y"),
            "reason": self.reason}

    def contains(self, value: datetime.date, today: datetime.date | None = None) -> bool:
        earliest, latest = self.bounds(today)
        return earliest <= value <= latest

    def validate(self, value: datetime.date | None, today: datetime.date | None = None) -> None:
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not self.contains(value, today):
            raise ValidationError(self.message(today), code="date_out_of_range")


# A worker is of working age: 15 is the end of full-time compulsory schooling (the youngest a
# contract is signed), 100 is beyond any working life still on file.
BIRTH = DateRange("birth", _("a worker is at least 15 and at most 100 years old"),
                  years_back=100, years_back_latest=15)

# A worker's employment history (contracts, start of employment, status, coaches, SINE): it may
# predate LDE (workers hired under the earlier schemes keep their hire date, LDE.count_from), but a
# working life still on file began in 1970 at the earliest (hired at 15, pension at 65-67).
WORKING_LIFE = DateRange("working_life", _("no working life still on file began before 1970, and nothing is "
                                           "planned more than 10 years ahead"),
                         earliest=datetime.date(1970, 1, 1), years_ahead=10)

# Guidance records (advices, evaluations, POPs, feedback, trainings, throughflow, exits, problems):
# the oldest carried-over files are SINE statuses and the schemes before LDE (SINE: KB 3/5/1999,
# in force 2000).
GUIDANCE = DateRange("guidance", _("the oldest guidance records date from 2000, and nothing is planned more "
                                   "than 10 years ahead"),
                     earliest=datetime.date(2000, 1, 1), years_ahead=10)

# Decisions and changes that exist only under the LDE decree and its successors (IMW, CMW): a
# regime change, a DWSE decision, an extension decision, a throughflow decision.
LDE_ERA = DateRange("lde_era", _("the LDE decree came into force on 01/04/2015, and nothing is planned more "
                                 "than 10 years ahead"),
                    earliest=LDE_IN_FORCE, years_ahead=10)

# A due date or a next appointment set by hand: at most one full five-year term ahead.
DUE = DateRange("due", _("a due date lies at most 5 years (one full term) ahead"),
                earliest=datetime.date(2000, 1, 1), years_ahead=5)

# Validity of a rule of law in the rule table: the tables carry the law since 2000 and an amendment
# is not announced more than 50 years ahead.
RULE_TABLE = DateRange("rule_table", _("rules of law in the table date from 2000 and are not set more than 50 "
                                       "years ahead"),
                       earliest=datetime.date(2000, 1, 1), years_ahead=50)

# A period chosen in a report or audit filter: the portal holds nothing outside these years.
PERIOD = DateRange("period", _("the portal holds no records before 2000 or more than 10 years ahead"),
                   earliest=datetime.date(2000, 1, 1), years_ahead=10)

RANGES = (BIRTH, WORKING_LIFE, GUIDANCE, LDE_ERA, DUE, RULE_TABLE, PERIOD)


class InRange:
    """Validator (form and model field) for one DateRange, evaluated on the day it runs."""

    def __init__(self, date_range: DateRange, *, floor_only: bool = False):
        self.date_range = date_range
        self.floor_only = floor_only

    def __call__(self, value):
        if self.floor_only:
            if value is not None and value < self.date_range.bounds()[0]:
                raise ValidationError(self.date_range.message(), code="date_out_of_range")
            return
        self.date_range.validate(value)

    def __eq__(self, other):
        return (isinstance(other, InRange) and other.date_range == self.date_range
                and other.floor_only == self.floor_only)


def require(**values: tuple[DateRange, datetime.date | None]) -> None:
    """Service-level check: `require(start=(WORKING_LIFE, start), ...)` raises a ValidationError keyed
    on each field whose date lies outside its range (None is left to the caller's own checks)."""
    errors = {}
    for field, (date_range, value) in values.items():
        try:
            date_range.validate(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)


def _model(model):
    if isinstance(model, str):
        return apps.get_model(model)
    return model


def require_model(model, **values: datetime.date | None) -> None:
    """`require()` with the ranges declared on `model`'s date fields (a class or "app.Model")."""
    model = _model(model)
    require(**{name: (model._meta.get_field(name).date_range, value) for name, value in values.items()})


def require_fields(model, data: dict) -> None:
    """`require()` for every ranged date field of `model` present in `data` (a service's input dict),
    before the service computes anything with them."""
    ranged = {f.name: f.date_range for f in _model(model)._meta.get_fields()
              if isinstance(f, DateField) and f.date_range is not None}
    require(**{name: (ranged[name], value) for name, value in data.items() if name in ranged})


def check_option(value: datetime.date, *, option: str, date_range: DateRange,
                 today: datetime.date | None = None) -> datetime.date:
    """A management command's date option: outside its range it is a CommandError with the message."""
    try:
        date_range.validate(value, today)
    except ValidationError as exc:
        raise CommandError(f"{option}: {exc.messages[0]}") from None
    return value


class DateField(models.DateField):
    """A model date field with its plausible range.

    The range is validation, not schema: it moves with the calendar and would otherwise write a new
    migration for every field, so it is left out of the migration state (`deconstruct` reports a
    plain DateField). full_clean() runs it and the model form's field carries it, so a form shows
    the message next to the field before any form-level arithmetic runs.
    """

    def __init__(self, *args, date_range: DateRange | None = None, **kwargs):
        # None only in the migration state's copies (Field.clone() goes through deconstruct()); every
        # field in a model names its range (tests/test_date_ranges.py).
        self.date_range = date_range
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        extra = [InRange(self.date_range)] if self.date_range is not None else []
        return [*super().validators, *extra]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs

    def formfield(self, **kwargs):
        # lde_portal.forms imports this module (InRange).
        from lde_portal.forms import DateField as FormDateField  # noqa: PLC0415

        if self.date_range is None:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": FormDateField, "date_range": self.date_range, **kwargs})
