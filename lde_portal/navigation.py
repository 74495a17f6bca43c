"""Registry of the navigation bar: what each member sees is decided by the permissions in access.py.

The platform knows the bar's two menus (`OVERVIEWS`, `ADMINISTRATION`); the apps register their entries in
their `AppConfig.ready()`, like the dossier tabs (lde_portal/dossier.py):

    from lde_portal import navigation

    navigation.register_entry(key="imports", label=_("Import"), url_name="imports:start",
                              permission="imports.run", group=navigation.ADMINISTRATION, order=95,
                              section=("imports:*",))

- `url_name` takes only `org_slug`; `permission` is a key of access.PERMISSIONS (a tuple: all of them),
  so an entry never leads a member to a 403.
- `group` is None for the bar itself, or the key of a menu; a menu with no entry for the member is not shown.
- `order` sorts the bar (menus included) and each menu; `divider_before` draws a line above the entry.
- Pages are `"namespace:url_name"` patterns (fnmatch; a leading `!` excludes). `current` are the pages on
  which the entry is marked as the current page; `section` the further pages that only light up its menu.
  An app may add its own pages to another app's entry with `register_pages` (the dossier tabs of every app
  belong to "Workers").
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.access import PERMISSIONS, has_perm

OVERVIEWS = "overviews"
ADMINISTRATION = "administration"


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    permission: str | tuple[str, ...]
    order: int
    group: str | None = None
    current: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    divider_before: bool = False


# Organisation-wide lists are grouped so the bar fits one line on a laptop and stays short on a phone.
GROUPS: dict[str, Group] = {
    OVERVIEWS: Group(OVERVIEWS, _("Overviews"), order=50),
    ADMINISTRATION: Group(ADMINISTRATION, _("Administration"), order=60),
}
ENTRIES: dict[str, Entry] = {}
# Pages other apps add to an entry (register_pages), kept apart so that the order of ready() does not matter.
PAGES: dict[str, tuple[str, ...]] = {}


def register_entry(*, key, label, url_name, permission, order, group=None, current=(), section=(),
                   divider_before=False):
    unknown = {permission} if isinstance(permission, str) else set(permission)
    unknown -= set(PERMISSIONS)
    if unknown:
        raise KeyError(f"Unknown permission {unknown!r} for navigation entry {key!r}")
    if group is not None and group not in GROUPS:
        raise KeyError(f"Unknown navigation group {group!r}")
    ENTRIES[key] = Entry(key=key, label=label, url_name=url_name, permission=permission, order=order,
                         group=group, current=tuple(current), section=tuple(section),
                         divider_before=divider_before)


def register_pages(key, *patterns):
    """Add pages of the calling app on which the entry `key` (of another app) is the current page."""
    PAGES[key] = PAGES.get(key, ()) + patterns


def matches(patterns, page: str) -> bool:
    included = any(fnmatchcase(page, p) for p in patterns if not p.startswith("!"))
    return included and not any(fnmatchcase(page, p[1:]) for p in patterns if p.startswith("!"))


@dataclass(frozen=True)
class Link:
    label: str | Promise
    href: str
    current: bool
    divider_before: bool = False


@dataclass(frozen=True)
class Menu:
    label: str | Promise
    current: bool
    links: list


def _allowed(membership, entry) -> bool:
    permissions = (entry.permission,) if isinstance(entry.permission, str) else entry.permission
    return all(has_perm(membership, p) for p in permissions)


def navigation_for(membership, page: str):
    """The bar for `membership` on `page` ("namespace:url_name"): Links and Menus in order."""
    org_slug = membership.organisation.slug
    entries = sorted(ENTRIES.values(), key=lambda e: e.order)

    def current(entry):
        return matches(entry.current + PAGES.get(entry.key, ()), page)

    def link(entry):
        return Link(entry.label, reverse(entry.url_name, kwargs={"org_slug": org_slug}), current(entry),
                    entry.divider_before)

    items = [(e.order, link(e)) for e in entries if e.group is None and _allowed(membership, e)]
    for group in GROUPS.values():
        members = [e for e in entries if e.group == group.key]
        links = [link(e) for e in members if _allowed(membership, e)]
        if not links:
            continue
        links[0] = Link(links[0].label, links[0].href, links[0].current)
        # A menu lights up on every page behind its entries, whether or not this member may open them
        # (the 403 page shows where the member tried to go).
        lit = any(current(e) or matches(e.section, page) for e in members)
        items.append((group.order, Menu(group.label, lit, links)))
    return [item for _order, item in sorted(items, key=lambda pair: pair[0])]
