"""Write an exporter's rows as CSV or XLSX, streaming.

CSV: semicolon-separated, UTF-8 with a byte-order mark, decimal commas and dd/mm/yyyy dates: Excel with
Belgian regional settings opens such a file in columns with the accents intact (without the BOM it reads
Windows-1252; with commas it puts everything in column A). XLSX: XlsxWriter in `constant_memory` mode,
which flushes each row to a temporary file as soon as the next one starts (about twice openpyxl's
write-only speed, issue #10). Every text value passes through `neutralise_cell` (formula injection) and is
written with `write_string`, so XlsxWriter never turns it into a formula, a URL or a number.
"""

import contextlib
import csv
import datetime
import io
from decimal import Decimal

import xlsxwriter

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


# Never let XlsxWriter guess a type from text: a value that looks like a formula, a URL or a number is
# written as the text it is (the formula prefix is already neutralised; this is the second lock).
XLSX_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False, "default_date_format": "DD/MM/YYYY"}
# Wide enough for a dd/mm/yyyy date or a name without Excel's ### or a cut-off; a longer header sets its own.
MIN_COLUMN_WIDTH = 12


def write_xlsx(headers, rows, fileobj, *, title="Export", progress=None):
    """Write a workbook to `fileobj` (a path or a binary file opened for writing, seekable: a zip's
    directory is written at the end)."""
    workbook = xlsxwriter.Workbook(fileobj, XLSX_OPTIONS)
    try:
        date_format = workbook.add_format({"num_format": "DD/MM/YYYY"})
        datetime_format = workbook.add_format({"num_format": "DD/MM/YYYY HH:MM"})
        sheet = workbook.add_worksheet(title[:31])
        for col, header in enumerate(headers):
            sheet.set_column(col, col, max(MIN_COLUMN_WIDTH, len(str(header)) + 2))
            sheet.write_string(0, col, str(neutralise_cell(header)))
        # Typed writes instead of `write_row`: its per-cell type guessing is most of XlsxWriter's time.
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        for n, row in enumerate(rows, 1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    write_string(n, col, neutralise_cell(value))
                elif isinstance(value, bool):
                    write_string(n, col, "ja" if value else "nee")
                elif isinstance(value, (int, float, Decimal)):
                    write_number(n, col, float(value) if isinstance(value, Decimal) else value)
                elif isinstance(value, datetime.datetime):
                    write_datetime(n, col, value.replace(tzinfo=None), datetime_format)
                elif isinstance(value, datetime.date):
                    write_datetime(n, col, value, date_format)
                else:  # a lazy translation or another object with a text form
                    write_string(n, col, neutralise_cell(str(value)))
            if progress:
                progress(n)
    except BaseException:
        # constant_memory keeps the rows in a mkstemp file that only close() deletes: close even when a
        # row fails, so no personal data stays behind in /tmp, and let the row's error through.
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    workbook.close()
