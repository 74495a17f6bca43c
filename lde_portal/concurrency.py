"""Optimistic concurrency for forms that edit a shared record (a worker, a POP, ...).

The form carries the `version` it was opened with (VersionField); the service locks the row, compares, and
raises ConflictError instead of overwriting someone else's save. The view then shows, per field, what is
stored now next to what the user typed (nothing typed is lost) and offers the new version, so a
second submit is a conscious decision.

A form that posts no version, or one that is not a number, cannot show which save it was based on, so it is
refused exactly like a stale one: concurrent edits never silently overwrite each other.

Posting a form to a service is the same job on every page, so it has one home here: `submit` binds, calls the
service, puts a service's ValidationError on the form's fields (`apply_errors`), answers a stale version with
the comparison and the new version (`show_conflict`) and leaves the success message. A form view reads:

    form = SomeForm(request.POST or None, ...)
    post = submit(request, form, lambda: services.thing_update(..., data=form.cleaned_data,
                                                              expected_version=form.cleaned_data.get("version")),
                  saved=_("Saved."), conflict=_("Someone else changed this ..."))
    if post:
        return redirect(...)
    return render(request, "...", {"form": form, "conflicts": post.conflicts})
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
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


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version of the stored record it edits, for check_version."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


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


def apply_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on the field it names when the form has that field, above
    the form otherwise (a rule across fields, or a field the form does not show). A form whose field is named
    differently from the model's (an upload next to the stored file) says so in `service_field_names`."""
    if hasattr(error, "error_dict"):
        names = getattr(form, "service_field_names", {})
        for field, errors in error.error_dict.items():
            field = names.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_conflict(form, conflict: ConflictError, message, *, compare=conflicting_fields, offer_current=True):
    """Answer a stale save: the rows of `compare(form, stored)` (stored next to typed, or None without
    `compare`), the form keeping everything typed but carrying the stored version, so saving again is a
    conscious overwrite, and `message` above it. With `offer_current=False` the form keeps the version it was
    opened with: the page asks to reload and read the other person's save first (a signed review, the
    retention periods), so a second submit is refused again."""
    if not offer_current:
        form.add_error(None, message)
        return None
    rows = compare(form, conflict.current) if compare is not None else None
    data = form.data.copy()
    data[form.add_prefix("version")] = conflict.current.version
    form.data = data
    form.add_error(None, message)
    return rows


@dataclass
class Posted:
    """What `submit` did: `saved` (also the truth value), the service's `result`, and the conflict rows."""

    saved: bool = False
    result: Any = None
    conflicts: list | None = None

    def __bool__(self):
        return self.saved


def submit(request, form, save: Callable[[], Any], *, saved, conflict=None, compare=conflicting_fields,
           offer_current=True) -> Posted:
    """On a POST whose `form` is valid, call `save()`, the one service call.

    `saved` is the success message, or a function of the service's result giving it. `conflict` is the message
    for a stale version, or a function of the ConflictError giving it (see `show_conflict`); without it a
    ConflictError is not this form's to answer.
    """
    if request.method != "POST" or not form.is_valid():
        return Posted()
    try:
        result = save()
    except ConflictError as error:
        if conflict is None:
            raise
        message = conflict(error) if callable(conflict) else conflict
        return Posted(conflicts=show_conflict(form, error, message, compare=compare, offer_current=offer_current))
    except ValidationError as error:
        apply_errors(form, error)
        return Posted()
    messages.success(request, saved(result) if callable(saved) else saved)
    return Posted(saved=True, result=result)


def perform(request, call: Callable[[], Any], *, done=None, conflict=None) -> Posted:
    """A button that posts straight to a service, with no form to show again: a refusal becomes an error message
    (`conflict` for a stale version, when the caller expects one), a success leaves `done` (a message, or a
    function of the service's result giving it)."""
    try:
        result = call()
    except ConflictError:
        if conflict is None:
            raise
        messages.error(request, conflict)
        return Posted()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return Posted()
    if done is not None:
        messages.success(request, done(result) if callable(done) else done)
    return Posted(saved=True, result=result)
