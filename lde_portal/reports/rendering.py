"""Write an exporter's rows as CSV or XLSX, streaming.

CSV: semicolon-separated, UTF-8 with a byte-order mark, decimal commas and dd/mm/yyyy dates: Excel with
Belgian regional settings opens such a file in columns with the accents intact (without the BOM it reads
Windows-1252; with commas it puts everything in column A). XLSX: one sheet streamed into the zip by
xlsx.py. Every text value passes through `neutralise_cell` (formula injection) and is written as an inline
string, never as a formula, a URL or a number.
"""

import csv
import datetime
import io
from decimal import Decimal

from lde_portal.safety import neutralise_cell

from . import xlsx

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    return neutralise_cell(str(value))


def iter_csv(headers, rows, *, progress=None):
    """Yield the CSV text chunk by chunk (one row per chunk, header first, BOM in front)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise_cell(h) for h in headers])
    yield BOM + flush()
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_value(v) for v in row])
        yield flush()
        if progress:
            progress(n)


def csv_bytes_chunks(headers, rows, *, progress=None):
    for chunk in iter_csv(headers, rows, progress=progress):
        yield chunk.encode("utf-8")


# Wide enough for a dd/mm/yyyy date or a name without Excel's ### or a cut-off; a longer header sets its own.
MIN_COLUMN_WIDTH = 12


def write_xlsx(headers, rows, fileobj, *, title="Export", progress=None):
    """Write a one-sheet workbook to `fileobj` (a path or a binary file opened for writing), row by row."""
    xlsx.write_workbook(fileobj, headers, rows, title=title, progress=progress,
                        widths=[max(MIN_COLUMN_WIDTH, len(str(h)) + 2) for h in headers])
