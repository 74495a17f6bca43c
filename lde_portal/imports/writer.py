"""Workbooks in the import's layout: the blank template, the organisation's full export, the error file.

One worksheet per registered sheet, named by its label, the Dutch headers on row 1. The export writes the
rows of each `Sheet.export_rows`, so importing it into an empty organisation reproduces the records. Text is
written as text cells, so a value starting with "=" is never a formula (and reads back as it was).
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from stdnum.be import nn

from .registry import sheets
from .values import DATE_FORMATS_HELP

DATE_FORMAT = "DD/MM/YYYY"
KIND_HELP = {
    "text": "tekst", "date": f"datum ({DATE_FORMATS_HELP})", "insz": "INSZ (11 cijfers, punten en streepjes mogen)",
    "decimal": "getal (19,5)", "integer": "geheel getal", "boolean": "ja of nee", "choice": "een van de waarden",
    "email": "e-mailadres", "phone": "telefoonnummer",
}


def _cell(ws, value, *, bold=False):
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, (datetime.date, datetime.datetime)):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _plain(value, column):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if column.kind == "insz" and isinstance(value, str) and len(value) == 11:
        return nn.format(value)
    return value


def _choice_help(column, organisation):
    if column.kind != "choice" or organisation is None:
        return ""
    try:
        spellings = list(dict.fromkeys(str(s) for s in dict(column.choices(organisation))))
    except Exception:
        return ""
    return ", ".join(spellings[:30]) + (" …" if len(spellings) > 30 else "")


def write_workbook(fileobj, *, organisation=None, with_rows=False, only=None):
    """The template (an example row per sheet and the instructions) or, `with_rows`, the organisation's
    records. Returns {sheet key: rows written}."""
    workbook = Workbook(write_only=True)
    counts = {}
    chosen = [s for s in sheets() if only is None or s.key in only]
    if not with_rows:
        ws = workbook.create_sheet(_("Instructions"))
        ws.append([_cell(ws, _("Import workbook of the LDE portal"), bold=True)])
        ws.append([_cell(ws, _("Fill in one sheet per kind of record; leave sheets you do not need empty or delete "
                                "them. Keep the headers on the first row. Dates: %(formats)s.")
                             % {"formats": DATE_FORMATS_HELP})])
        ws.append([])
        ws.append([_cell(ws, h, bold=True) for h in (_("Sheet"), _("Column"), _("Required"), _("Kind of value"),
                                                     _("Explanation and accepted values"))])
        for sheet in chosen:
            for column in sheet.columns:
                accepted = " ".join(x for x in (str(column.help), _choice_help(column, organisation)) if x)
                ws.append([_cell(ws, str(sheet.label)), _cell(ws, str(column.header)),
                           _cell(ws, _("yes") if column.required else _("no")),
                           _cell(ws, KIND_HELP.get(column.kind, column.kind)), _cell(ws, accepted)])
    for sheet in chosen:
        ws = workbook.create_sheet(str(sheet.label)[:31])
        ws.append([_cell(ws, str(c.header), bold=True) for c in sheet.columns])
        n = 0
        if with_rows:
            for row in sheet.export_rows(organisation):
                ws.append([_cell(ws, _plain(row.get(c.key), c)) for c in sheet.columns])
                n += 1
        else:
            ws.append([_cell(ws, c.example) for c in sheet.columns])
        counts[sheet.key] = n
    workbook.save(fileobj)
    return counts


def write_error_file(fileobj, *, reader, plans_by_table, messages, kind):
    """The user's own rows from the header on, with a *Fout* column saying what to fix (empty when the row
    was fine), in the format they uploaded. `messages`: {(table name, row number): message}."""
    fout = _("Error")
    if kind == "csv":
        delimiter, encoding = getattr(reader, "delimiter", ";"), getattr(reader, "encoding", "utf-8")
        text = io.TextIOWrapper(fileobj, encoding="utf-8-sig" if encoding.startswith("utf") else encoding,
                                errors="replace", newline="")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        for table in plans_by_table:
            for number, cells in table.raw_rows(1):
                extra = fout if number == table.header_row else messages.get((table.name, number), "")
                writer.writerow(["" if c is None else c for c in cells] + [extra])
        text.flush()
        text.detach()
        return
    workbook = Workbook(write_only=True)
    for table in plans_by_table:
        ws = workbook.create_sheet(table.name[:31])
        width = len(table.headers)
        for number, cells in table.raw_rows(1):
            cells = list(cells) + [None] * max(0, width - len(cells))
            extra = fout if number == table.header_row else messages.get((table.name, number), "")
            ws.append([_cell(ws, c) for c in cells] + [_cell(ws, extra, bold=number == table.header_row)])
    workbook.save(fileobj)
