"""Reading an uploaded workbook or CSV: refuse what is not a spreadsheet before parsing it, then stream rows.

A file is judged by its content, never by its name or the browser's content type, by the upload check of a
spreadsheet (`lde_portal.uploads.spreadsheet_kind`: zip bombs, macros, password-protected workbooks). Rows are
read one at a time (openpyxl in read-only mode, with the value Excel stored for a formula, never evaluated), so
memory stays flat in the file's size.
"""

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lde_portal.uploads import spreadsheet_kind

from .mapping import fold

# How far down a sheet the header row is looked for (title rows and empty rows above it).
HEADER_SEARCH_ROWS = 20
CSV_SAMPLE_BYTES = 64 * 1024


class FileRefused(Exception):
    """The file itself is unusable (exit code 2 of the command): a Dutch message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def inspect_file(path, filename: str) -> str:
    """"xlsx" or "csv", or raise FileRefused: the upload check of a spreadsheet (uploads.spreadsheet_kind)."""
    with open(path, "rb") as f:
        try:
            return spreadsheet_kind(f, filename)
        except ValidationError as exc:
            raise FileRefused(exc.messages[0]) from None


@dataclass
class Table:
    """One worksheet (or the CSV): its name, where the header is and the header cells as written."""

    name: str
    header_row: int  # 1-based, as Excel numbers rows
    headers: list[str]
    estimated_rows: int = 0
    _reader: "Reader" = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as Excel shows it, cell values) for each non-empty row below the header."""
        yield from self._reader.rows(self)

    def raw_rows(self, start: int | None = None) -> Iterator[tuple[int, list]]:
        """Every row from the header (or `start`) on, empty ones included (the error file starts at 1)."""
        yield from self._reader.raw_rows(self, start)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pick_header(head_rows: list[list], known: set[str]) -> tuple[int, list[str]]:
    """The header row among the first rows: the one with the most known headers, else the first non-empty row.

    A header cell merged over two rows keeps its text in the upper row only, so two rows read as one (the
    lower cell's text, else the upper's) compete too, and win when they hold more known headers."""
    def score(row):
        return sum(1 for v in row if not _blank(v) and fold(v) in known)

    def combined(upper, lower):
        width = max(len(upper), len(lower))
        upper, lower = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
        return [lo if not _blank(lo) else up for up, lo in zip(upper, lower, strict=True)]

    best, best_row, best_score = None, None, 0
    for i, row in enumerate(head_rows):
        candidates = [(row, i)]
        if i > 0:
            candidates.append((combined(head_rows[i - 1], row), i))
        for cells, index in candidates:
            s = score(cells)
            if s > best_score:
                best, best_row, best_score = index, cells, s
    if best is None:
        best = next((i for i, row in enumerate(head_rows) if any(not _blank(v) for v in row)), None)
        if best is None:
            return 0, []
        best_row = head_rows[best]
    headers = ["" if _blank(v) else str(v).strip() for v in best_row]
    while headers and not headers[-1]:
        headers.pop()
    return best + 1, headers


class Reader:
    """Open once, read many: a context manager over the workbook or CSV file."""

    kind = ""

    def __init__(self, path, filename=""):
        self.path, self.filename = path, filename

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        pass

    def tables(self, known_headers: set[str]) -> list[Table]:
        raise NotImplementedError

    def _limited(self, rows):
        limit = settings.PORTAL_IMPORT_MAX_ROWS
        for n, item in enumerate(rows, 1):
            if n > limit:
                raise FileRefused(_("The file has more than %(max)s rows in one sheet; split it into several "
                                    "files.") % {"max": limit})
            yield item

    def rows(self, table):
        for number, cells in self.raw_rows(table):
            if number > table.header_row and any(not _blank(v) for v in cells):
                yield number, cells


class XlsxReader(Reader):
    kind = "xlsx"

    def __init__(self, path, filename=""):
        super().__init__(path, filename)
        # A file object, not the path: openpyxl judges a path by its extension, the portal by the content.
        self.handle = open(path, "rb")  # noqa: SIM115 — closed in close()
        try:
            # data_only: a formula cell gives the value Excel stored when it saved the file, never evaluated.
            self.workbook = openpyxl.load_workbook(self.handle, read_only=True, data_only=True, keep_links=False)
        except Exception:
            self.handle.close()
            raise FileRefused(_("The workbook is damaged: it cannot be opened. Save it again in Excel.")) from None

    def close(self):
        self.workbook.close()
        self.handle.close()

    def tables(self, known_headers):
        tables = []
        for ws in self.workbook.worksheets:
            head = [list(r) for r in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)]
            header_row, headers = _pick_header(head, known_headers)
            if not headers:
                continue
            try:
                estimated = max(0, (ws.max_row or 0) - header_row)
            except Exception:
                estimated = 0
            tables.append(Table(ws.title, header_row, headers, estimated, self))
        return tables

    def raw_rows(self, table, start=None):
        ws = self.workbook[table.name]
        first = start or table.header_row
        rows = ws.iter_rows(min_row=first, values_only=True)
        yield from self._limited((n, list(r)) for n, r in enumerate(rows, first))


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such, else what charset-normalizer finds among the
    encodings Belgian spreadsheets are saved in (Excel's 'CSV' is Windows-1252)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=["cp1252", "iso8859_15", "cp850"]).best()
    return best.encoding if best is not None else "cp1252"


class CsvReader(Reader):
    kind = "csv"

    def __init__(self, path, filename=""):
        super().__init__(path, filename)
        with open(path, "rb") as f:
            sample = f.read(CSV_SAMPLE_BYTES)
        self.encoding = detect_encoding(sample)
        text = sample.decode(self.encoding, errors="ignore")
        try:
            self.delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
        except csv.Error:
            first = text.splitlines()[0] if text else ""
            self.delimiter = ";" if first.count(";") >= first.count(",") else ","
        self.size = os.path.getsize(path)
        self.sample_lines = max(1, text.count("\n"))
        self.sample_len = len(sample)

    def _open(self):
        return open(self.path, encoding=self.encoding, newline="", errors="replace")

    def tables(self, known_headers):
        with self._open() as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), reader, strict=False)]
        header_row, headers = _pick_header(head, known_headers)
        if not headers:
            return []
        estimated = int(self.sample_lines * self.size / max(self.sample_len, 1)) - header_row
        name = os.path.splitext(os.path.basename(self.filename or "import.csv"))[0]
        return [Table(name, header_row, headers, max(estimated, 0), self)]

    def raw_rows(self, table, start=None):
        first = start or table.header_row
        with self._open() as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            rows = ((n, row) for n, row in enumerate(reader, 1) if n >= first)
            yield from self._limited(rows)


def open_reader(path, kind: str, filename: str = "") -> Reader:
    return XlsxReader(path, filename) if kind == "xlsx" else CsvReader(path, filename)


def csv_dialect_of(reader: Reader) -> tuple[str, str]:
    return getattr(reader, "delimiter", ";"), getattr(reader, "encoding", "utf-8")


__all__ = ["FileRefused", "Table", "inspect_file", "open_reader", "detect_encoding"]
