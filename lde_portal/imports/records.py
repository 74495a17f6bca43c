"""What the sheets share: the run's lookups, the comparison of a row with its record, a service's refusal as a
refused row, and `RecordSheet`, the shape of a sheet whose row is one record matched on its natural key.

Most sheets do the same: find the row's record in an index of the organisation's records the run loads once
(`context.cache`), compare the row with it, then create it or write what changed through the app's services, and
refuse the row with the service's own message. `RecordSheet` is that shape; a sheet declares its index, its
natural key, what it compares and the two service calls.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from .registry import Outcome, RowError, Sheet


def cached(context, key, load):
    """A per-run lookup shared between rows (context.cache), loaded once."""
    if key not in context.cache:
        context.cache[key] = load()
    return context.cache[key]


def actor_of(context):
    return context.membership.user if context.membership is not None else None


def spellings(choices, extra: dict | None = None):
    """A `Column.choices` callable: every code and label (Dutch and English) of a TextChoices → its value."""

    def mapping(organisation=None):
        accepted = {}
        for value, label in choices.choices:
            accepted[str(value)] = value
            for language in ("nl", "en"):
                with translation.override(language):
                    accepted[str(label)] = value
        for spelling, value in (extra or {}).items():
            accepted[spelling] = value
        return accepted

    return mapping


def changed(current: dict, wanted: dict) -> dict:
    """{column: (old, new)} for the wanted values that differ; None or "" in `wanted` means 'not given'."""
    changes = {}
    for key, new in wanted.items():
        if new is None or new == "":
            continue
        old = current.get(key)
        if isinstance(new, Decimal) and old is not None:
            if Decimal(old) == new:
                continue
        elif old == new:
            continue
        changes[key] = (old, new)
    return changes


def row_error(exc: ValidationError, columns: Mapping[str, str], default: str | None = None, sheet=None) -> RowError:
    """A service's ValidationError as a refused row: its (translated) message, on the column of its field
    (`columns` renames a model field to its column; a field that is a column of `sheet` keeps its name)."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        messages = [m for e in errors for m in e.messages]
        keys = {c.key for c in sheet.columns} if sheet is not None else set(columns.values())
        column = columns.get(field) or (field if field in keys else default)
    else:
        messages, column = exc.messages, default
    return RowError(" ".join(str(m) for m in messages), column=column)


def nl_date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def plain(value) -> str:
    if isinstance(value, datetime.date):
        return nl_date(value)
    return "—" if value in (None, "") else str(value)


def known_list(names) -> str:
    return ", ".join(sorted(names, key=str.lower)) or "—"


def changes_refused(message, changes: dict, **params) -> RowError:
    """A row that matches a record the import does not change: `message` names the first difference with
    %(column)s, %(old)s and %(new)s, on that column."""
    column = next(iter(changes))
    old, new = changes[column]
    return RowError(message % {**params, "column": column, "old": plain(old), "new": plain(new)}, column=column)


class RecordSheet(Sheet):
    """A sheet whose row is one record: found on its natural key, compared, then created or updated.

    `apply` finds the row's key (`key_of`, which refuses a row naming an unknown worker, coach …), looks it up in
    the run's index of the organisation's records (`load`, read once under `cache_key` and kept up to date as
    rows are written), and then creates the record (`create`), leaves it (nothing in `wanted` differs from
    `current`) or writes the changes (`update`, which may refuse a change the import does not make). A service's
    ValidationError refuses the row, on the column `errors_on` gives its field (else `default_column`).
    """

    cache_key = ""
    compared: tuple[str, ...] = ()  # the columns an update compares with the record
    errors_on: Mapping[str, str] = {}
    default_column = ""

    def load(self, context) -> dict:
        """natural key → record, for the organisation."""
        raise NotImplementedError

    def key_of(self, context, values):
        raise NotImplementedError

    def current(self, record) -> dict[str, Any]:
        return {f: getattr(record, f) for f in self.compared}

    def wanted(self, context, values) -> dict[str, Any]:
        return {f: values.get(f) for f in self.compared if f in values}

    def create(self, context, values):
        """Write the new record through the app's service and return it."""
        raise NotImplementedError

    def update(self, context, record, changes: dict, values):
        """Write `changes` ({column: (old, new)}) to the record through the app's service, return it."""
        raise NotImplementedError

    def brought(self, record) -> list:
        """The records a created row brought (the undo deletes them): the record, and what its service made."""
        return [record]

    def index(self, context) -> dict:
        return cached(context, self.cache_key or f"imports.{self.key}", lambda: self.load(context))

    def apply(self, context, values):
        key = self.key_of(context, values)
        index = self.index(context)
        record = index.get(key)
        try:
            if record is None:
                index[key] = record = self.create(context, values)
                return Outcome("created", created=self.brought(record))
            changes = changed(self.current(record), self.wanted(context, values))
            if not changes:
                return Outcome("unchanged")
            index[key] = record = self.update(context, record, changes, values)
            return Outcome("updated", changes=changes, updated=[record])
        except ValidationError as exc:
            raise row_error(exc, self.errors_on, default=self.default_column, sheet=self) from None

