"""Write an exporter's rows as CSV or XLSX, streaming.

CSV: semicolon-separated, UTF-8 with a byte-order mark, decimal commas and dd/mm/yyyy dates: Excel with
Belgian regional settings opens such a file in columns with the accents intact (without the BOM it reads
Windows-1252; with commas it puts everything in column A). XLSX: openpyxl's write-only mode, which keeps
one row in memory at a time. Every text value passes through `neutralise_cell` (formula injection).
"""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from lde_portal.safety import neutralise_cell

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


def _xlsx_cell(sheet, value):
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, datetime.datetime) else "DD/MM/YYYY"
        return cell
    return neutralise_cell(value)


def write_xlsx(headers, rows, fileobj, *, title="Export", progress=None):
    """Write a workbook to `fileobj` (a path or a binary file opened for writing)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise_cell(h) for h in headers])
    for n, row in enumerate(rows, 1):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        if progress:
            progress(n)
    workbook.save(fileobj)
