"""Build the spreadsheets real organisations send: workbooks with title rows, merged headers, hidden columns,
stored formula values; CSV files in UTF-8 (with or without BOM) or Windows-1252, with ; or ,."""

import re
import zipfile

import openpyxl


def xlsx(path, sheets: dict[str, list[list]], *, merged=(), hidden=(), formulas=()):
    """`sheets`: title → rows. `merged`: (title, "A1:A2") ranges; `hidden`: (title, "C") columns;
    `formulas`: (title, "B3", "=1+1", "2") cells given a formula with the value Excel stored."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    for title, cells in merged:
        workbook[title].merge_cells(cells)
    for title, column in hidden:
        workbook[title].column_dimensions[column].hidden = True
    workbook.save(path)
    if formulas:
        _store_formulas(path, workbook, formulas)
    return path


def _store_formulas(path, workbook, formulas):
    """openpyxl writes no stored value for a formula; Excel does. Write the cells as Excel would."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    titles = [ws.title for ws in workbook.worksheets]
    for title, ref, formula, value in formulas:
        name = f"xl/worksheets/sheet{titles.index(title) + 1}.xml"
        xml = contents[name].decode()
        cell = f'<c r="{ref}"><f>{formula.lstrip("=")}</f><v>{value}</v></c>'
        xml, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml)
        assert n == 1, (ref, xml)
        contents[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def csv_file(path, rows: list[list], *, delimiter=";", encoding="utf-8", bom=False):
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
