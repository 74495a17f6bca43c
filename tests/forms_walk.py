"""Every form class the portal defines, for the guard tests that hold each form to a rule (a version on an
edit form, a range on every date)."""

import importlib
import inspect
import pathlib

from django import forms

ROOT = pathlib.Path(__file__).resolve().parent.parent


def portal_form_classes():
    for path in sorted(ROOT.glob("*/**/*forms.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls
