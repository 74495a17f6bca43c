"""Retention (docs/domain.md §7): what each organisation's RetentionPolicy no longer allows to keep.

Each domain app registers a handler in its `AppConfig.ready()`:

    register_retention_handler(
        key="indication.confidential", label=_("Confidential sections"),
        find=lambda org, today, policy: [RetentionItem(...), ...],   # read only: the dry run calls it
        apply=lambda items: ...,                                     # does exactly what the items say
        erase=lambda worker, actor: ...,                             # optional: erasure on request
    )

`find` must not write; the dry-run page shows its items to the org admin and the nightly job passes
the same items to `apply`, so what is listed is what happens (tests/privacy/test_retention.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetentionItem:
    object_type: str
    object_id: str
    action: str  # "delete" or "pseudonymise"
    description: str
    worker_id: int | None = None
    due: object = None  # the date the period ended


@dataclass(frozen=True)
class RetentionHandler:
    key: str
    label: object
    find: Callable
    apply: Callable
    erase: Callable | None = None


HANDLERS: dict[str, RetentionHandler] = {}


def register_retention_handler(*, key, label, find, apply, erase=None) -> None:
    HANDLERS[key] = RetentionHandler(key, label, find, apply, erase)


@dataclass
class PlanSection:
    handler: RetentionHandler
    items: list = field(default_factory=list)


def plan(organisation, today, policy) -> list[PlanSection]:
    return [PlanSection(h, list(h.find(organisation, today, policy))) for h in sorted(HANDLERS.values(), key=lambda h: h.key)]
