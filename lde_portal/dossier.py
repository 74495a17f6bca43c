"""Registry of the worker dossier's tabs.

The dossier is a tabbed page that the domain apps fill: each app registers its tab in its
`AppConfig.ready()` with the URL name of a view taking (org_slug, pk). The platform knows nothing
about what a tab shows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url_name: str
    order: int
    permission: str = "worker.view"


TABS: dict[str, Tab] = {}


# Facts one tab shows from another app's data (the Indicering tab shows when the POP was last updated):
# the owning app registers `worker -> value`, so the app that shows it need not import it (docs/architecture.md:
# domain apps import each other only along the lifecycle).
FACTS: dict[str, Callable] = {}


def register_fact(key: str, provider: Callable) -> None:
    FACTS[key] = provider


def fact(key: str, worker, default=None):
    """The value another app provides about `worker`, or `default` when no app provides `key`."""
    provider = FACTS.get(key)
    return provider(worker) if provider is not None else default


def register_tab(*, key, label, url_name, order, permission="worker.view"):
    TABS[key] = Tab(key=key, label=label, url_name=url_name, order=order, permission=permission)


def tabs_for(membership):
    from lde_portal.accounts.access import has_perm

    return [t for t in sorted(TABS.values(), key=lambda t: t.order) if has_perm(membership, t.permission)]
