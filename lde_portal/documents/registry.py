"""Registry of document kinds: the platform renders, numbers and verifies; the domain apps say what a
kind prints.

A domain app registers its kinds in its `AppConfig.ready()` (see docs/documents.md):

    register_kind("experience_attestation", label=_("Experience attestation"),
                  template="pdf/experience_attestation.html", context_builder=build_experience,
                  permission="document.issue", form_class=ExperienceForm,
                  fields=("worker_name", "role", ...))

The confidential section can never reach a PDF by accident, because of three walls:

1. a context builder receives a `PrintableWorker`, not the model instance: it exposes the name and
   identifiers only, so `worker.indication...` or any other relation is an AttributeError;
2. the builder's output may only hold the keys it declared in `fields` (checked on every render);
3. the values must be plain data (text, numbers, dates, lists and dicts of those), so a template can
   never traverse from a model instance into related records.
"""

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dataclasses_replace

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from lde_portal.accounts.access import PERMISSIONS, has_perm

from .forms import BaseIssueForm


class DocumentDataError(Exception):
    """Raised by a context builder when the worker lacks the facts the kind needs (e.g. no employment).

    The message is shown to the user (next to the form, or in a batch's error list)."""


@dataclass(frozen=True)
class PrintableWorker:
    """The only view of a worker a context builder gets: what may be printed about the person."""

    pk: int
    organisation_id: int
    first_name: str
    last_name: str
    birth_date: datetime.date | None

    @classmethod
    def of(cls, worker):
        return cls(pk=worker.pk, organisation_id=worker.organisation_id, first_name=worker.first_name,
                   last_name=worker.last_name, birth_date=worker.birth_date)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self):
        return f"{self.first_name[:1]}. {self.last_name[:1]}.".upper()


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str | Promise
    template: str
    context_builder: Callable
    permission: str
    fields: frozenset
    form_class: type | None = None
    batch_form_class: type | None = None
    description: str | Promise = ""
    order: int = 100
    extra: dict = field(default_factory=dict)

    @property
    def batchable(self):
        return self.batch_form_class is not None


KINDS: dict[str, DocumentKind] = {}

_PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, type(None))


def register_kind(key, *, label, template, context_builder, permission, fields, form_class=None,
                  batch_form_class=None, description="", order=100):
    """Register a document kind. `fields` is the whitelist of keys `context_builder` may return."""
    if permission not in PERMISSIONS:
        raise ImproperlyConfigured(f"Document kind {key!r}: unknown permission {permission!r}")
    for form in (form_class, batch_form_class):
        if form is not None and not issubclass(form, BaseIssueForm):
            raise ImproperlyConfigured(f"Document kind {key!r}: {form.__name__} must subclass BaseIssueForm")
    if not fields:
        raise ImproperlyConfigured(f"Document kind {key!r}: declare the printable `fields`")
    KINDS[key] = DocumentKind(
        key=key, label=label, template=template, context_builder=context_builder, permission=permission,
        fields=frozenset(fields), form_class=form_class or BaseIssueForm, batch_form_class=batch_form_class,
        description=description, order=order,
    )
    return KINDS[key]


def get_kind(key) -> DocumentKind | None:
    return KINDS.get(key)


def kinds_for(membership, *, batch=False):
    return [k for k in sorted(KINDS.values(), key=lambda k: (k.order, k.key))
            if has_perm(membership, k.permission) and (k.batchable or not batch)]


def _check_plain(kind, path, value):
    if isinstance(value, dict):
        for k, v in value.items():
            _check_plain(kind, f"{path}.{k}", v)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_plain(kind, f"{path}[{i}]", v)
    elif isinstance(value, Promise):
        return
    elif not isinstance(value, _PLAIN):
        raise ImproperlyConfigured(
            f"Document kind {kind.key!r}: {path} is a {type(value).__name__}; builders return plain data only"
        )


def build_context(kind: DocumentKind, worker, membership, data: dict) -> dict:
    """Call the kind's builder with the printable view of the worker and check what comes back."""
    printable = worker if isinstance(worker, PrintableWorker) else PrintableWorker.of(worker)
    facts = kind.context_builder(printable, membership, dict(data))
    if not isinstance(facts, dict):
        raise ImproperlyConfigured(f"Document kind {kind.key!r}: the builder must return a dict")
    undeclared = set(facts) - kind.fields
    if undeclared:
        raise ImproperlyConfigured(f"Document kind {kind.key!r} returned undeclared keys: {sorted(undeclared)}")
    for key, value in facts.items():
        _check_plain(kind, key, value)
    return facts


# --- Files from other capabilities on the Documents tab ---------------------------------------------------

@dataclass(frozen=True)
class Attachment:
    """One file another capability keeps for the worker (a VDAB decision letter, a training certificate).
    `url` must be that app's own permission-checked download view."""

    title: str
    date: datetime.date | None
    url: str
    source_label: str = ""


@dataclass(frozen=True)
class AttachmentSource:
    key: str
    label: str | Promise
    provider: Callable  # (membership, worker_id) -> list[Attachment], a fixed number of queries
    permission: str


ATTACHMENT_SOURCES: dict[str, AttachmentSource] = {}


def register_attachment_source(key, *, label, provider, permission="document.view"):
    """Show another app's files for the worker on the Documents tab (the app serves the files itself)."""
    if permission not in PERMISSIONS:
        raise ImproperlyConfigured(f"Attachment source {key!r}: unknown permission {permission!r}")
    ATTACHMENT_SOURCES[key] = AttachmentSource(key=key, label=label, provider=provider, permission=permission)


def attachments_for(membership, worker_id) -> list[Attachment]:
    rows = []
    for source in sorted(ATTACHMENT_SOURCES.values(), key=lambda s: s.key):
        if has_perm(membership, source.permission):
            rows.extend(dataclasses_replace(a, source_label=a.source_label or str(source.label))
                        for a in source.provider(membership, worker_id))
    return sorted(rows, key=lambda a: (a.date is None, a.date or datetime.date.min), reverse=True)
