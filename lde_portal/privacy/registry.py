"""Subject access (GDPR art. 15): what the portal holds about one worker, gathered from every domain app.

Each domain app registers a provider in its `AppConfig.ready()`:

    from lde_portal.privacy.registry import register_subject_data
    register_subject_data("trajects", trajects.privacy.subject_data, order=10)

A provider takes the worker and returns a list of `(section_title, records)` where records is a list of
dicts (label → value). Values should be plain (str, int, bool, None, date, Decimal); anything else is
written as its text. The platform never imports the domain apps: what is in the file is what the apps
registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    key: str
    func: Callable
    order: int


PROVIDERS: dict[str, Provider] = {}


def register_subject_data(key: str, func: Callable, *, order: int = 50) -> None:
    PROVIDERS[key] = Provider(key, func, order)


def collect(worker) -> list[tuple[str, list[dict]]]:
    sections = []
    for provider in sorted(PROVIDERS.values(), key=lambda p: (p.order, p.key)):
        sections.extend(provider.func(worker))
    return sections
