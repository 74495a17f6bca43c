"""The throughflow writes and reads live in one module per sub-domain (exits and aftercare, employers, track,
placement, readiness) behind `throughflow.services` and `throughflow.selectors`; their imports stand at the
top of the module, where a reader sees what each sub-domain depends on."""

import ast
import pathlib

from throughflow import selectors, services

ROOT = pathlib.Path(__file__).resolve().parents[2] / "throughflow"


def test_callers_keep_one_import_path():
    for package in (services, selectors):
        for name in package.__all__:
            assert getattr(package, name) is not None, name


def test_no_imports_inside_functions():
    found = []
    for path in sorted([*(ROOT / "services").glob("*.py"), *(ROOT / "selectors").glob("*.py")]):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    # A cycle that forces a late import says so on the line before it.
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        before = source.splitlines()[inner.lineno - 2].strip()
                        if not before.startswith("#"):
                            found.append(f"{path.relative_to(ROOT.parent)}:{inner.lineno}")
    assert not found, "Move these imports to the top of the module: " + ", ".join(found)
