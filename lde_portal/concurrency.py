"""Optimistic concurrency for forms that edit a shared record (a worker, a POP, ...).

The form carries the `version` it was opened with; the service locks the row, compares, and raises
ConflictError instead of overwriting someone else's save. The view then shows, per field, what is
stored now next to what the user typed (nothing typed is lost) and offers the new version, so a
second submit is a conscious decision.
"""


class ConflictError(Exception):
    def __init__(self, current):
        super().__init__("The record was changed by someone else")
        self.current = current


def check_version(locked_instance, expected_version) -> None:
    if expected_version is not None and int(expected_version) != locked_instance.version:
        raise ConflictError(locked_instance)


def conflicting_fields(form, current) -> list[dict]:
    """[{label, stored, yours}] for the fields where the stored record differs from the submission."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        stored = getattr(current, name, None)
        yours = form.cleaned_data[name]
        if hasattr(current, f"get_{name}_display"):
            stored = getattr(current, f"get_{name}_display")()
            yours = dict(field.choices).get(yours, yours) if hasattr(field, "choices") else yours
        if (stored or "") != (yours or ""):
            rows.append({"label": field.label, "stored": stored, "yours": yours})
    return rows
