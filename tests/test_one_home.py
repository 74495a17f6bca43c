"""Each recurring job has one home, so the next page copies that one instead of whichever spelling it finds first.

- Loading the worker a member may see, and the context of a dossier tab: `lde_portal/dossier.py`
  (`visible_worker`, `dossier_context`, `dossier_page`).
- Posting a form to a service, its ValidationError on the form's fields and the answer to a stale version:
  `lde_portal/concurrency.py` (`submit`, `apply_errors`, `show_conflict`; `perform` for a button with no form).
- A form page's markup: `templates/form_page.html`, `trajects/dossier_form.html` and `templates/includes/form.html`.

These tests fail when a second spelling appears; the message names the home to use instead."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ["lde_portal", "trajects", "indication", "pop", "inflow", "throughflow"]
DOMAIN = {"trajects", "indication", "pop", "inflow", "throughflow"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def _templates():
    for folder in [ROOT / "templates", *(ROOT / app for app in APPS)]:
        yield from sorted(folder.rglob("*.html"))


def _is_view_module(path):
    # The naming tests/test_layers.py uses too: views.py, trajectory_views.py, views_async.py, public_views.py.
    return "views" in path.stem


def _offenders(pattern, *, homes=(), views_only=False):
    regex = re.compile(pattern)
    found = []
    for path, text in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel in homes or (views_only and not _is_view_module(path)):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if regex.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_the_visible_worker_is_loaded_in_one_place():
    found = _offenders(r"get_object_or_404\(\s*workers_visible_to", homes={"lde_portal/dossier.py"})
    found += _offenders(r"\b(worker_for|_visible_worker|worker_in_dossier|_worker)\(")
    assert not found, "Load the worker with lde_portal.dossier.visible_worker (or dossier_page):\n" + "\n".join(found)


def test_the_dossier_context_is_built_in_one_place():
    found = _offenders(r"\btabs_for\(|def _dossier_context|\"tabs\":", homes={"lde_portal/dossier.py"})
    assert not found, "Build a tab's context with lde_portal.dossier.dossier_context:\n" + "\n".join(found)


def test_service_errors_reach_the_form_in_one_place():
    found = _offenders(r"_apply_errors|add_error\(field if field in", homes={"lde_portal/concurrency.py"})
    assert not found, "Use lde_portal.concurrency.apply_errors (or submit):\n" + "\n".join(found)


def test_a_refused_button_is_answered_in_one_place():
    # A view that answers a service's refusal with its messages is a button posted without perform. Elsewhere
    # reading `error.messages` is ordinary (the import engine reports a row's refusal, a command prints it),
    # and concurrency.perform, the home, is no view module.
    found = _offenders(r"messages\.error\(request, .*\.messages|in (error|exc)\.messages:", views_only=True)
    assert not found, "Post a button to its service with lde_portal.concurrency.perform:\n" + "\n".join(found)


def test_a_stale_version_is_answered_in_one_place():
    # The form keeps what was typed and carries the stored version: show_conflict does that for a form (an
    # initial version, of a form being opened, is no answer to a conflict).
    found = _offenders(r"""(?<!initial)\[["']version["']\]\s*=""", homes={"lde_portal/concurrency.py"})
    assert not found, "Answer a ConflictError with lde_portal.concurrency.show_conflict (or submit):\n" + "\n".join(found)


def test_no_app_imports_another_apps_views():
    """A view helper another app needs belongs in the platform (the dossier kit, concurrency), not in a view
    module of a domain app."""
    wrong = []
    for path, text in _sources():
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] in DOMAIN and parts[0] != app and parts[-1].endswith("views"):
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_conflict_tables_have_one_template():
    found = [str(path.relative_to(ROOT)) for path in _templates()
             if "Saved now (by someone else)" in path.read_text() and path.name != "conflicts.html"]
    found += [str(path.relative_to(ROOT)) for path in _templates()
              if re.search(r'include "[^"]*_conflicts?\.html"', path.read_text())]
    assert not found, "Include includes/conflicts.html (form pages: includes/form.html):\n" + "\n".join(found)
