"""The navigation bar comes from one registry (lde_portal/navigation.py), filtered by the permissions of
access.py: no template or module outside access.py decides by role name."""

import re
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from lde_portal import navigation
from lde_portal.accounts.access import has_perm
from lde_portal.accounts.models import Membership, Organisation, Role

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "tests", "migrations"}
ROLE_NAMES = re.compile(r"\b(coach|coordinator|manager|org_admin)\b")
# A decision on the role itself: `membership.role == ...`, `.role != ...`, `.role in (...)`.
ROLE_TEST = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)|\brole\s*(==|!=)\s*[\"']")


def _sources(pattern):
    for path in sorted(ROOT.glob(pattern)):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def _membership(role):
    return Membership(role=role, active=True, organisation=Organisation(name="X", slug="x"))


def _names(items):
    return [(item.label, [link.label for link in item.links]) if hasattr(item, "links") else item.label
            for item in items]


def test_the_bar_template_holds_no_links_and_no_roles():
    template = (ROOT / "templates/includes/nav_items.html").read_text()
    assert "{% url" not in template
    assert not ROLE_NAMES.search(template)


def test_no_role_tests_outside_the_policy():
    """Who may do what is a permission in access.PERMISSIONS. The accounts app keeps its role tests: it
    assigns the roles (the last org admin, the demo and scale seeders)."""
    found = []
    for path in [*_sources("**/*.py"), *_sources("**/templates/**/*.html")]:
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("lde_portal", "accounts"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ROLE_TEST.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "Decide with has_perm and a permission in access.py:\n" + "\n".join(found)


def test_an_entry_never_leads_to_a_refusal():
    """Each entry's permission implies the permission of the page it opens."""
    for entry in navigation.ENTRIES.values():
        func = resolve(reverse(entry.url_name, kwargs={"org_slug": "x"})).func
        page_permission = getattr(func, "permission", None) or func.view_class.permission
        for role in Role:
            membership = _membership(role)
            if navigation._allowed(membership, entry):
                assert has_perm(membership, page_permission), f"{entry.key} as {role}"


def test_register_refuses_unknown_permissions_and_groups():
    with pytest.raises(KeyError):
        navigation.register_entry(key="x", label="X", url_name="trajects:home", permission="nope", order=1)
    with pytest.raises(KeyError):
        navigation.register_entry(key="x", label="X", url_name="trajects:home", permission="org.view", order=1,
                                  group="nope")
    assert "x" not in navigation.ENTRIES


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_entries_its_permissions_allow(role):
    items = navigation.navigation_for(_membership(role), "trajects:worker_list")
    labels = _names(items)
    assert labels[:2] == ["Start", "Werknemers"]
    menus = dict(label for label in labels if isinstance(label, tuple))
    # Coordinators register workers day to day, so they import too (imports.run): for them Beheer holds the
    # import entry alone. The other entries of Beheer stay the org admin's.
    assert ("Beheer" in menus) == (role in (Role.ORG_ADMIN, Role.COORDINATOR))
    if role == Role.COORDINATOR:
        assert menus["Beheer"] == ["Importeren"]
    assert ("Feedback deze week" in labels) == has_perm(_membership(role), "feedback.edit")
    assert ("Doorlooptijd werving" in menus["Overzichten"]) == (role != Role.COACH)
    # Workers is the current page there; the menus are not.
    assert [item.label for item in items if item.current] == ["Werknemers"]


def test_a_menu_lights_up_behind_its_entries_and_marks_only_its_current_ones():
    items = {item.label: item for item in navigation.navigation_for(_membership(Role.COORDINATOR),
                                                                      "indication:due_list")}
    overviews = items["Overzichten"]
    assert overviews.current
    assert [link.label for link in overviews.links if link.current] == ["Indicering"]
    items = {item.label: item for item in navigation.navigation_for(_membership(Role.COORDINATOR),
                                                                      "pop:pop_tab")}
    assert items["Werknemers"].current and not items["Overzichten"].current


def test_patterns():
    assert navigation.matches(("pop:*", "!pop:team_feedback"), "pop:pop_tab")
    assert not navigation.matches(("pop:*", "!pop:team_feedback"), "pop:team_feedback")
    assert not navigation.matches((), "pop:pop_tab")

