"""Optimistic concurrency for forms that edit a shared record (a worker, a POP, ...).

The form carries the `version` it was opened with (VersionField); the service locks the row, compares, and
raises ConflictError instead of overwriting someone else's save. The view then shows, per field, what is
stored now next to what the user typed (nothing typed is lost) and offers the new version, so a
second submit is a conscious decision.

A form that posts no version, or one that is not a number, cannot show which save it was based on, so it is
refused exactly like a stale one: concurrent edits never silently overwrite each other.
"""

from django import forms
from django.utils.translation import gettext as _


class ConflictError(Exception):
    def __init__(self, current):
        super().__init__("The record was changed by someone else")
        self.current = current


class _NotPosted:
    """What a VersionField cleans to when the request carried no usable version."""

    def __repr__(self):
        return "NOT_POSTED"


NOT_POSTED = _NotPosted()


class VersionField(forms.Field):
    """The hidden `version` of an edit form. A missing or garbled value does not make the form invalid (the user
    cannot correct a hidden field); it cleans to NOT_POSTED, which check_version refuses as soon as a stored
    record exists, so the view answers with its usual conflict message and offers the current version. On a
    form that creates a record there is nothing to compare with, and the value is not looked at."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        return int(text) if text.isascii() and text.isdigit() else NOT_POSTED

    def has_changed(self, initial, data):
        # Nobody types a version: it never makes a row "changed" (an empty extra row of a formset stays empty),
        # and a stale one is for the service to refuse, not a change to save.
        return False


def check_version(locked_instance, expected_version) -> None:
    """`expected_version` None means the caller is code acting on its own (demo data, a task, one service calling
    another), not a person who read the record first; forms pass what their VersionField cleaned to, never None."""
    if expected_version is None:
        return
    try:
        seen = int(expected_version)
    except (TypeError, ValueError):
        raise ConflictError(locked_instance) from None
    if seen != locked_instance.version:
        raise ConflictError(locked_instance)


def conflicting_fields(form, current) -> list[dict]:
    """[{name, label, stored, yours}] for the fields where the stored record differs from the submission."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        if isinstance(field, forms.FileField) and not form.cleaned_data[name]:
            continue  # a file is never posted again: nothing chosen means "keep the stored one"
        stored = getattr(current, name, None)
        yours = form.cleaned_data[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            # Only the choices this form offers: a coach never sees, here either, participants they may not see.
            stored = list(field.queryset.filter(pk__in=stored.values("pk")))
            if {o.pk for o in stored} != {o.pk for o in yours}:
                rows.append({"label": field.label, "stored": ", ".join(map(str, stored)),
                             "yours": ", ".join(map(str, yours))})
            continue
        if hasattr(current, f"get_{name}_display"):
            stored = getattr(current, f"get_{name}_display")()
            yours = dict(field.choices).get(yours, yours) if hasattr(field, "choices") else yours
        if _differs(stored, yours):
            rows.append({"name": name, "label": field.label, "stored": _shown(stored), "yours": _shown(yours)})
    return rows


def _differs(stored, yours) -> bool:
    # "No" is an answer and "not known" (None) is not: for a yes/no field they differ, where an empty text and
    # a missing one are the same.
    if isinstance(stored, bool) or isinstance(yours, bool):
        return stored is not yours
    return (stored or "") != (yours or "")


def _shown(value):
    # The table prints empty values as a dash, and False would print as one too.
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value
