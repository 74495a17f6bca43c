"""A small import context for the sheets' tests: what the import engine hands a sheet (registry.Sheet.apply)."""

import dataclasses
import datetime

from django.db import transaction

from lde_portal.imports.registry import SHEETS, Outcome, RowError


@dataclasses.dataclass
class Context:
    organisation: object
    membership: object
    today: datetime.date
    cache: dict = dataclasses.field(default_factory=dict)


def apply(context, sheet_key, values) -> Outcome:
    """One row through its sheet in a savepoint, as the engine does: a refused row leaves nothing behind."""
    sheet = SHEETS[sheet_key]
    with transaction.atomic():
        return sheet.apply(context, dict(values))


def refused(context, sheet_key, values) -> RowError:
    try:
        apply(context, sheet_key, values)
    except RowError as error:
        return error
    raise AssertionError(f"{sheet_key} accepted {values}")
