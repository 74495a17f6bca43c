"""Files have one home each: every stored file is sent by `lde_portal.uploads.serve_private_file`, and every
upload is stored under a name chosen by `lde_portal.uploads` (issue #17). A second `FileResponse` or
`upload_to` strategy elsewhere fails here, before its cache headers, missing-file handling, audit entry or
file names drift from the rest."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "lde_portal" / "uploads.py"
SKIPPED = {".venv", "tests", "migrations", "node_modules", ".git"}


def _modules():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def _uses(predicate):
    found = []
    for path in _modules():
        if path == HOME:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree) if predicate(node)]
    return found


def _names_file_response(node):
    if isinstance(node, ast.Name) and node.id == "FileResponse":
        return True
    if isinstance(node, ast.Attribute) and node.attr == "FileResponse":
        return True
    return isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == "FileResponse"


def _chooses_upload_path(node):
    return isinstance(node, ast.keyword) and node.arg == "upload_to"


def test_no_file_response_outside_serve_private_file():
    assert _uses(_names_file_response) == []


def test_no_upload_to_outside_the_uploads_module():
    assert _uses(_chooses_upload_path) == []


def test_the_guards_see_what_they_guard():
    tree = ast.parse(HOME.read_text())
    assert any(_names_file_response(node) for node in ast.walk(tree))
    assert any(_chooses_upload_path(node) for node in ast.walk(ast.parse("f = models.FileField(upload_to=x)")))


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["Voornaam", "Naam"])
    book.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheet_upload_is_a_workbook_or_csv_within_its_own_limit(settings):
    import io
    import zipfile

    import pytest
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lde_portal.uploads import accept_upload

    workbook = accept_upload(SimpleUploadedFile("lijst.xlsx", _workbook()), "spreadsheet")
    assert (workbook.kind, workbook.name) == ("xlsx", "upload.xlsx")
    text = accept_upload(SimpleUploadedFile("lijst.csv", "\ufeffVoornaam;Naam\r\nJosé;Peeters\r\n".encode()),
                         "spreadsheet")
    assert (text.kind, text.content_type) == ("csv", "text/csv")
    assert accept_upload(SimpleUploadedFile("l.csv", "Zoë;Naïma\r\n".encode("cp1252")), "spreadsheet").kind == "csv"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    for name, content in [("lijst.xlsx", archive.getvalue()), ("lijst.csv", b"MZ\x90\x00\x03"),
                          ("lijst.csv", b"%PDF-1.4 ...")]:
        with pytest.raises(ValidationError):
            accept_upload(SimpleUploadedFile(name, content), "spreadsheet")
    settings.PORTAL_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="te groot"):
        accept_upload(SimpleUploadedFile("lijst.csv", b"a;b\r\n" * 10), "spreadsheet", field="file")
