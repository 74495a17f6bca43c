"""Files that are not what they say are refused before anything is parsed, with a clear Dutch message."""

import zipfile

import pytest
from django.utils import translation

from lde_portal.imports.reading import FileRefused, inspect_file

from .files import csv_file, xlsx


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def refused(path, name=None):
    with pytest.raises(FileRefused) as exc:
        inspect_file(str(path), name or path.name)
    return exc.value.message


def test_a_real_workbook_and_csv_pass(tmp_path):
    assert inspect_file(str(xlsx(tmp_path / "a.xlsx", {"Blad": [["INSZ"]]})), "a.xlsx") == "xlsx"
    assert inspect_file(str(csv_file(tmp_path / "a.csv", [["INSZ"], ["1"]])), "a.csv") == "csv"


def test_pdf_renamed_xlsx(tmp_path):
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    assert refused(path) == ("Dit bestand is een pdf, geen rekenblad (wat de naam ook zegt). Laad het Excel-werkboek "
                             "(.xlsx) of een CSV-bestand op.")


def test_password_protected_workbook_is_an_ole_container(tmp_path):
    path = tmp_path / "beveiligd.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert refused(path).startswith("Dit werkboek is beveiligd met een wachtwoord")


def test_macro_workbook(tmp_path):
    path = xlsx(tmp_path / "macro.xlsx", {"Blad": [["INSZ"]]})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert refused(path).startswith("Dit werkboek bevat macro's.")
    xlsm = tmp_path / "macro.xlsm"
    xlsm.write_bytes(path.read_bytes())
    assert refused(xlsm).startswith("Dit is een werkboek met macro's (.xlsm).")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "brief.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused(path).startswith("Dit bestand is geen Excel-werkboek")


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "lijst.xlsx"
    path.write_text("INSZ;Naam\n")
    assert refused(path).startswith("Dit bestand heet .xlsx maar is geen Excel-werkboek.")


def test_zip_bomb_is_refused_from_its_directory(tmp_path, settings):
    path = xlsx(tmp_path / "bom.xlsx", {"Blad": [["INSZ"]]})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))
    assert refused(path) == ("Het werkboek is verdacht sterk gecomprimeerd (een 'zipbom'): het werd geweigerd zonder "
                             "het te openen.")
    settings.PORTAL_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    assert refused(path).startswith("Het werkboek pakt uit tot meer dan 1 MB")


def test_oversized_and_empty_files(tmp_path, settings):
    settings.PORTAL_IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "groot.csv"
    path.write_bytes(b"a;b\r\n" * 300_000)
    assert refused(path) == ("Het bestand is te groot (1,4 MB); het maximum is 1 MB. Verdeel het over meerdere "
                             "bestanden.")
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    assert refused(empty) == "Het bestand is leeg."


def test_binary_called_csv(tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert refused(path).startswith("Dit bestand is geen rekenblad")


def test_too_many_rows(tmp_path, settings):
    from lde_portal.imports.reading import open_reader

    settings.PORTAL_IMPORT_MAX_ROWS = 5
    path = csv_file(tmp_path / "veel.csv", [["INSZ"]] + [[str(i)] for i in range(10)])
    with open_reader(str(path), "csv", "veel.csv") as reader, pytest.raises(FileRefused) as exc:
        table = reader.tables({"insz"})[0]
        list(table.rows())
    assert exc.value.message == "Het bestand heeft meer dan 5 rijen in één werkblad; verdeel het over meerdere bestanden."
