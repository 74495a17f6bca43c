"""Which worksheet is which sheet, and which column is which: headers compared folded.

Folding drops case, accents, spaces and punctuation, so "E-mailadres", "e-mail adres" and "EMAILADRES" are
one header. What cannot be mapped this way is asked once in the mapping step, and the answer may be saved
per organisation (ImportMapping) for the next file from the same payroll system.
"""

import unicodedata
from dataclasses import dataclass, field

from .registry import Sheet, sheets

# Headers that are never data: the column the error file adds.
IGNORED_HEADERS = {"fout", "fouten", "error"}
IGNORE = ""  # the mapping's value for "leave this column out"


def fold(value) -> str:
    text = unicodedata.normalize("NFKD", "" if value is None else str(value))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def column_names(sheet: Sheet) -> dict[str, str]:
    """folded header or alias → column key."""
    names = {}
    for column in sheet.columns:
        for name in (column.key, column.header, *column.aliases):
            names.setdefault(fold(name), column.key)
    return names


def sheet_names(sheet: Sheet) -> set[str]:
    return {fold(sheet.key), fold(sheet.label), *(fold(a) for a in getattr(sheet, "aliases", ()))}


def known_headers() -> set[str]:
    known = set()
    for sheet in sheets():
        known |= set(column_names(sheet))
    return known


@dataclass
class SheetPlan:
    """One table of the file read as one sheet: which position holds which column key."""

    sheet: Sheet
    table: object
    columns: dict[int, str] = field(default_factory=dict)  # position → column key
    unmapped: list[tuple[int, str]] = field(default_factory=list)  # (position, header as written)
    missing: list[str] = field(default_factory=list)  # required column keys not found

    @property
    def key(self):
        return self.sheet.key


def match_sheet(table, *, forced: str | None = None) -> Sheet | None:
    """The sheet a table holds: by the worksheet's name, else by its headers (most recognised, at least two)."""
    registered = sheets()
    if forced:
        return next((s for s in registered if s.key == forced), None)
    name = fold(table.name)
    for sheet in registered:
        if name in sheet_names(sheet):
            return sheet
    folded = {fold(h) for h in table.headers if h}
    best, best_score = None, 1
    for sheet in registered:
        score = len(folded & set(column_names(sheet)))
        if score > best_score:
            best, best_score = sheet, score
    return best


def plan_table(sheet: Sheet, table, saved: dict[str, str]) -> SheetPlan:
    """Map the table's headers: the user's saved answers first, then the sheet's names and aliases."""
    names = column_names(sheet)
    valid = {c.key for c in sheet.columns}
    plan = SheetPlan(sheet, table)
    taken = set()
    for position, header in enumerate(table.headers):
        folded = fold(header)
        if not folded or folded in IGNORED_HEADERS:
            continue
        key = saved.get(folded)
        if key is None:
            key = names.get(folded)
        elif key != IGNORE and key not in valid:
            key = names.get(folded)
        if key == IGNORE:
            continue
        if key is None or key in taken:
            plan.unmapped.append((position, header))
            continue
        plan.columns[position] = key
        taken.add(key)
    plan.missing = [c.key for c in sheet.columns if c.required and c.key not in taken]
    return plan
