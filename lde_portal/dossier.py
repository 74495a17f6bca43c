"""The worker dossier: its tab registry and the kit every tab view uses.

The dossier is a tabbed page that the domain apps fill: each app registers its tab in its
`AppConfig.ready()` with the URL name of a view taking (org_slug, pk). The platform knows nothing
about what a tab shows.

A view of the dossier loads its worker with `visible_worker` (the scoping of `workers_visible_to`, 404 for a
worker the member may not see, so another organisation's dossiers cannot be probed) and renders with
`dossier_context`, which `trajects/dossier_base.html` needs; `dossier_page` does both.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.functional import Promise

from lde_portal.accounts.access import has_perm, workers_visible_to


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
    return [t for t in sorted(TABS.values(), key=lambda t: t.order) if has_perm(membership, t.permission)]


# The overview's and history's buttons; a tab of another app ignores them.
DOSSIER_PERMISSIONS = ("worker.edit", "worker.change_status", "worker.manage_employment", "worker.manage_coaches")


def visible_worker(membership, pk):
    """One worker the member may see, or 404 (another organisation's or, for a coach, an unassigned worker)."""
    return get_object_or_404(workers_visible_to(membership), pk=pk)


def dossier_context(request, worker, active_tab) -> dict:
    """What `trajects/dossier_base.html` needs: the worker, the tabs this member may open and the one shown."""
    return {
        "worker": worker,
        "tabs": tabs_for(request.membership),
        "active_tab": active_tab,
        "can": {p.replace(".", "_"): has_perm(request.membership, p) for p in DOSSIER_PERMISSIONS},
    }


def dossier_page(request, pk, active_tab):
    """(worker, context) of a tab view: the worker `visible_worker` loads and its `dossier_context`."""
    worker = visible_worker(request.membership, pk)
    return worker, dossier_context(request, worker, active_tab)
