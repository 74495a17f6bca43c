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
