"""Registry of exporters: how the domain apps offer their data as spreadsheets (docs/reports.md).

A plain dict filled by the domain apps in their `AppConfig.ready()` (docs/architecture.md: the platform never
imports the domain). An exporter is a small class with a documented column list (Dutch headers: the
files go to Belgian funders and the training fund as they are) and a `rows()` generator that yields one
tuple per row, scoped through `workers_visible_to(membership)`. The renderer (rendering.py) writes the
rows to CSV or XLSX without holding them all in memory.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise

from lde_portal.accounts.access import has_perm

# The files go to Flemish funders and the training fund as they are, so they are written in Dutch whatever the
# language of the member who exports or of the portal (the column headers are Dutch too): docs/reports.md.
EXPORT_LANGUAGE = "nl"
EXPORT_CONTEXT = "export"


def choice_words(choices) -> dict:
    """{value: the word the exported files use} for a TextChoices class, from the catalogues: the label in
    EXPORT_LANGUAGE, unless the catalogue gives the files their own word (msgctxt "export": the funders'
    forms say "Ontwerp" where the pages say "Klad")."""
    words = {}
    for value, label in choices.choices:
        with translation.override(None):
            msgid = str(label)
        with translation.override(EXPORT_LANGUAGE):
            word = translation.pgettext(EXPORT_CONTEXT, msgid)
            words[value] = word if word != msgid else str(label)
    return words


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Dutch, as it appears in the header row
    help: str = ""  # what the column holds, for docs/reports.md and the exports page


@dataclass(frozen=True)
class ExportFilters:
    """The filters of the exports page: a period (inclusive, either end open) and one activity."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    activity_id: int | None = None
    # An exporter's own narrowing, as (parameter, value) pairs it declares in `subset_choices` (a dashboard
    # bar's part: the workers of one regime, the overdue POPs). The figure list and the export both apply it.
    subset: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        return dict(self.subset).get(key, default)


class Exporter:
    key: str = ""
    label: str | Promise = ""
    description: str | Promise = ""
    permission: str = "reports.export"
    columns: tuple[Column, ...] = ()
    order: int = 100
    # Column keys summed under the figure list (the dashboard's "VTE" or "Kostprijs" is that sum).
    totals: tuple[str, ...] = ()
    # A file that is not one list (the import's organisation workbook): the exports page links to this URL
    # name (taking only org_slug) instead of rendering the rows.
    url_name: str = ""

    def subset_choices(self) -> dict[str, dict[str, str]]:
        """{parameter: {value: label}}: the parts of the rows a link may ask for (see ExportFilters.subset)."""
        return {}

    def subset_from(self, query) -> tuple[tuple[str, str], ...]:
        """The valid subset parameters of a query string; anything else is ignored (the whole list shows)."""
        return tuple((key, query[key]) for key, choices in self.subset_choices().items()
                     if query.get(key) in choices)

    def rows(self, organisation, membership, filters: ExportFilters) -> Iterator[tuple]:
        raise NotImplementedError

    def count(self, organisation, membership, filters: ExportFilters) -> int:
        """How many rows `rows()` will yield; decides between a direct download and a background job.
        Override with a COUNT query where the rows come from one queryset."""
        return sum(1 for _ in self.rows(organisation, membership, filters))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(cls):
    """Register (or replace, so reloading an app is harmless) an exporter class; usable as a decorator."""
    exporter = cls()
    if not exporter.key or not exporter.columns:
        raise ValueError("An exporter needs a key and columns")
    EXPORTERS[exporter.key] = exporter
    return cls


def unregister_exporter(key: str) -> None:
    EXPORTERS.pop(key, None)


def exporters_for(membership):
    return sorted((e for e in EXPORTERS.values() if has_perm(membership, e.permission)),
                  key=lambda e: (e.order, str(e.label)))
