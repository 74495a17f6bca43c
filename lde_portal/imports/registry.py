"""Registry of import sheets: how the domain apps take in an organisation's records from its spreadsheets.

A plain dict filled by the domain apps in their `AppConfig.ready()`, like the exporters (the platform never
imports the domain). A sheet declares its columns (Dutch header, the header variants real spreadsheets use,
the kind of value) and applies one parsed row through the app's own services, so an imported record is
validated, audited and given its stored deadlines exactly as a typed one. The platform does the rest: it
reads the file, maps the headers, parses every value, runs the sheets in their dependency order, turns a
`RowError` into a refused row, keeps the run for the result page and the undo, and writes the workbook
(template and export) from the same declarations, so an export imports back unchanged.

A dry run is the real import inside a transaction that is rolled back: its counts and messages are the
services' own, and a row may refer to a worker created by an earlier sheet of the same file.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise

# The kinds of value a column holds; the platform parses each into a Python value before `apply` sees it:
# text → str (stripped, "" for empty), date → datetime.date, insz → the 11 digits (checksum verified),
# decimal → decimal.Decimal (decimal comma accepted), integer → int, boolean → bool (ja/nee, yes/no, 1/0, x),
# choice → the stored value the `choices` mapping gives, email → str (lower-cased), phone → str.
# An empty cell is None for every kind but text.
KINDS = ("text", "date", "insz", "decimal", "integer", "boolean", "choice", "email", "phone")


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise  # Dutch, as the template workbook and the export write it
    kind: str = "text"
    required: bool = False
    # Other headers spreadsheets use for this column. Headers are compared folded (case, accents, spaces,
    # punctuation), so list only real variants: ("Rijksregisternummer", "RRN") for INSZ.
    aliases: tuple[str, ...] = ()
    # kind "choice": the accepted spellings (codes and labels, any case) → the stored value. A callable of
    # the organisation, for the choices that are the organisation's own (its activities, its coaches).
    choices: Callable[[Any], Mapping[str, str]] | None = None
    help: str | Promise = ""  # for the instructions sheet: what the column holds, the accepted values
    example: str = ""  # the example row of the template

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")
        if self.kind == "choice" and self.choices is None:
            raise ValueError(f"Choice column {self.key!r} needs choices")


class RowError(Exception):
    """A row the sheet refuses: a Dutch message that says how to fix it, naming the column when it is one."""

    def __init__(self, message: str | Promise, *, column: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.column = column


@dataclass
class Outcome:
    """What applying one row did: created, updated (with old → new per column key) or left unchanged."""

    action: Literal["created", "updated", "unchanged"]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # The records this row created, for the undo and for each record's link back to its import.
    created: list[Any] = field(default_factory=list)
    # The records this row changed: the import rescans their workers' alerts before it commits.
    updated: list[Any] = field(default_factory=list)


class Sheet:
    key: str = ""  # stable, in URLs and the command's --sheet
    label: str | Promise = ""  # the sheet's name in the workbook (Dutch)
    description: str | Promise = ""  # one line on the instructions sheet
    order: int = 100  # dependency order: workers before contracts before trajectories …
    columns: tuple[Column, ...] = ()
    # Other worksheet names this sheet is recognised by (compared folded, like the headers).
    aliases: tuple[str, ...] = ()
    # Optional `undo_record(membership, record)`: how the undo of an import removes a record this sheet
    # created (through a service). Without it the undo deletes the record and what cascades from it.
    undo_record = None

    def apply(self, context, values: dict[str, Any]) -> Outcome:
        """Write one parsed row through the services, matched on its natural key; raise RowError to refuse.

        `context` carries the organisation, the acting membership, `today` and a per-run `cache` dict
        (lookups shared between rows). Called inside the import's transaction, one savepoint per row.
        """
        raise NotImplementedError

    def export_rows(self, organisation) -> Iterator[dict[str, Any]]:
        """The organisation's records as rows of this sheet (column key → Python value), for the round trip."""
        raise NotImplementedError


SHEETS: dict[str, Sheet] = {}


def register_sheet(cls):
    """Register (or replace, so reloading an app is harmless) an import sheet class; usable as a decorator."""
    sheet = cls()
    if not sheet.key or not sheet.columns:
        raise ValueError("An import sheet needs a key and columns")
    SHEETS[sheet.key] = sheet
    return cls


def sheets() -> list[Sheet]:
    return sorted(SHEETS.values(), key=lambda s: (s.order, s.key))
