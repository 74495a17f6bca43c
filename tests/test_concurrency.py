"""lde_portal/concurrency.py: a form that posts no version, or a garbled one, is refused like a stale one, so two
people saving the same record never silently overwrite each other (the views' own tests show the messages)."""

import importlib
import inspect
import pathlib
from types import SimpleNamespace

import pytest
from django import forms

from lde_portal.concurrency import NOT_POSTED, ConflictError, VersionField, check_version

ROOT = pathlib.Path(__file__).resolve().parent.parent
STORED = 3


@pytest.mark.parametrize(("posted", "cleaned"), [
    (None, NOT_POSTED),          # the field is not in the POST at all
    ("", NOT_POSTED),
    ("   ", NOT_POSTED),
    ("abc", NOT_POSTED),
    ("2.0", NOT_POSTED),
    ("-1", NOT_POSTED),
    ("1_0", NOT_POSTED),
    ("٣", NOT_POSTED),           # a digit, but not one a form of ours ever renders
    ("3", 3),
    (" 3 ", 3),
    ("0", 0),
])
def test_version_field_never_fails_and_marks_what_is_not_a_version(posted, cleaned):
    class Form(forms.Form):
        version = VersionField()

    form = Form({} if posted is None else {"version": posted})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["version"] == cleaned


@pytest.mark.parametrize(("expected", "refused"), [
    (NOT_POSTED, True),          # missing or garbled in the form
    ("abc", True),
    (STORED - 1, True),          # stale
    (STORED + 1, True),
    (STORED, False),             # current
    (str(STORED), False),
    (None, False),               # code acting on its own (demo data, tasks, one service calling another)
])
def test_check_version(expected, refused):
    record = SimpleNamespace(version=STORED)
    if refused:
        with pytest.raises(ConflictError) as exc:
            check_version(record, expected)
        assert exc.value.current is record
    else:
        check_version(record, expected)


def _form_classes():
    for path in sorted(ROOT.glob("*/**/*forms.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_edit_form_carries_its_version_in_a_version_field():
    """An IntegerField(required=False) would clean a missing version to None, which skips the check."""
    classes = list(_form_classes())
    assert len(classes) > 20
    wrong = [f"{cls.__module__}.{cls.__name__}" for cls in classes
             if "version" in cls.base_fields and not isinstance(cls.base_fields["version"], VersionField)]
    assert not wrong, "Use lde_portal.concurrency.VersionField for:\n" + "\n".join(wrong)
