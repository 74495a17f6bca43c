"""The streaming XLSX writer: a package Excel opens, cells that read back as written, flat memory."""

import datetime
import io
import tracemalloc
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from django.utils.translation import gettext_lazy

from lde_portal.reports import xlsx

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def workbook_bytes(headers, rows, **kwargs):
    buffer = io.BytesIO()
    xlsx.write_workbook(buffer, headers, iter(rows), **kwargs)
    return buffer.getvalue()


def read_back(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_the_package_has_every_part_its_content_types_and_relationships_name():
    data = workbook_bytes(["Naam", "Datum"], [("Janssens", datetime.date(2026, 1, 5))], title="Werknemers")
    package = zipfile.ZipFile(io.BytesIO(data))
    assert package.testzip() is None
    names = set(package.namelist())
    # Every part is well-formed XML (our own output, not untrusted input).
    parts = {name: ElementTree.fromstring(package.read(name)) for name in names}  # noqa: S314
    overrides = {o.get("PartName").lstrip("/") for o in parts["[Content_Types].xml"].iter(f"{CONTENT_TYPES_NS}Override")}
    assert overrides == names - {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"}
    root_targets = {r.get("Target") for r in parts["_rels/.rels"].iter(f"{RELS_NS}Relationship")}
    assert root_targets == {"xl/workbook.xml", "docProps/core.xml", "docProps/app.xml"}
    book_targets = {"xl/" + r.get("Target") for r in parts["xl/_rels/workbook.xml.rels"].iter(f"{RELS_NS}Relationship")}
    assert book_targets == {"xl/worksheets/sheet1.xml", "xl/styles.xml"}
    assert all(package.getinfo(n).compress_type == zipfile.ZIP_DEFLATED for n in names)


@pytest.mark.parametrize("value, expected", [
    ("Janssens", "Janssens"),
    ("Ségolène & <Zoë> \"'", "Ségolène & <Zoë> \"'"),
    ("  leading and trailing  ", "  leading and trailing  "),
    ("line one\nline two\ttab", "line one\nline two\ttab"),
    # XML cannot carry these control characters: Excel's _xHHHH_ escape, which Excel shows as the character
    # (openpyxl shows it as stored), and a literal text of that shape protected by escaping its underscore.
    ("bell\x07 and vertical tab\x0b", "bell_x0007_ and vertical tab_x000B_"),
    ("literal _x0041_ stays", "literal _x005F_x0041_ stays"),
    ("🙂 emoji", "🙂 emoji"),
    ("=1+1", "'=1+1"), ("+32 470", "'+32 470"), ("@SUM(A1)", "'@SUM(A1)"),  # formula injection neutralised
    ("\uff1dHYPERLINK(\"http://x\")", "'\uff1dHYPERLINK(\"http://x\")"),  # full-width = too
    ("0123", "0123"), ("http://evil.example", "http://evil.example"),  # text stays text
    ("x" * 40000, "x" * xlsx.MAX_CELL_TEXT),
    (7, 7), (-12, -12), (Decimal("30.4"), 30.4), (Decimal("0.125"), 0.125), (2.5, 2.5),
    (Decimal("NaN"), None), (float("inf"), None), (None, None), ("", None),
    (True, "ja"), (False, "nee"),
    (gettext_lazy("Workers"), "Werknemers"),
    (datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29)),
    (datetime.datetime(2026, 11, 23, 14, 5), datetime.datetime(2026, 11, 23, 14, 5)),
])
def test_cells_read_back_as_written(value, expected):
    sheet = read_back(workbook_bytes(["Kolom", "Volgende"], [(value, "next")]))
    assert sheet.cell(row=2, column=1).value == expected
    assert sheet.cell(row=2, column=2).value == "next"


@pytest.mark.parametrize("value, serial, number_format", [
    # Excel's own serials: day 61 is 01/03/1900, after the phantom 29/02/1900.
    (datetime.date(1900, 3, 1), 61, "DD/MM/YYYY"),
    (datetime.date(2000, 1, 1), 36526, "DD/MM/YYYY"),
    (datetime.date(2024, 2, 29), 45351, "DD/MM/YYYY"),
    (datetime.datetime(2026, 11, 23, 12, 0), 46349.5, "DD/MM/YYYY HH:MM"),
    # The wall-clock time as given: Excel has no time zones.
    (datetime.datetime(2026, 3, 29, 2, 30, tzinfo=datetime.UTC), 46110 + 2.5 / 24, "DD/MM/YYYY HH:MM"),
])
def test_dates_are_excel_serials_under_a_dutch_date_format(value, serial, number_format):
    data = workbook_bytes(["Datum"], [(value,)])
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    stored = float(sheet_xml.split('<c r="A2"')[1].split("<v>")[1].split("</v>")[0])
    assert stored == pytest.approx(serial, abs=1e-9)
    assert read_back(data).cell(row=2, column=1).number_format == number_format


def test_header_row_is_bold_and_frozen_columns_are_wide_enough_and_the_sheet_is_named():
    data = workbook_bytes(["Naam", "=Kost"], [("a", 1)], title="Opleidingen: fonds [2026]/Q1 met een lange naam",
                          widths=[12, 20])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Opleidingen  fonds  2026  Q1 met"[:31].strip()
    assert sheet.cell(row=1, column=1).font.b and not sheet.cell(row=2, column=1).font.b
    assert sheet.cell(row=1, column=2).value == "'=Kost"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["B"].width == 20


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA"),
                                            (16383, "XFD")])
def test_column_letters(index, letters):
    assert xlsx.column_letters(index) == letters


def test_many_columns_and_an_empty_export():
    headers = [f"k{i}" for i in range(30)]
    sheet = read_back(workbook_bytes(headers, [tuple(range(30))]))
    assert [c.value for c in sheet[2]] == list(range(30)) and sheet["AD1"].value == "k29"
    empty = read_back(workbook_bytes(headers, []))
    assert empty.max_row == 1 and empty["A1"].value == "k0"


def test_a_row_wider_than_the_header_is_refused():
    with pytest.raises(ValueError):
        workbook_bytes(["a"], [("x", "y")])


def test_progress_counts_the_data_rows():
    seen = []
    workbook_bytes(["a"], [("x",)] * 5, progress=seen.append)
    assert seen == [1, 2, 3, 4, 5]


def test_memory_stays_flat_whatever_the_row_count():
    def peak(n):
        rows = (("Janssens", "Marie", datetime.date(2025, 3, 4), Decimal("30.4"), i) for i in range(n))
        tracemalloc.start()
        with io.BytesIO() as sink:  # the compressed output itself is small; the rows are never held
            xlsx.write_workbook(sink, ["a", "b", "c", "d", "e"], rows)
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    assert peak(20_000) < 2 * peak(2_000) + 1_000_000
