"""Every URL name × every persona: anonymous → login, outsider → 404, member without permission → 403.

A new URL that is not in MATRIX (or PUBLIC / EXCLUDED) fails `test_every_url_is_in_the_matrix`.
Domain apps add their rows in `tests/<app>/matrix.py` (a dict named ROWS), collected below.
"""

import importlib
import pathlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import PERSONAS, Row

# Not organisation pages: Django admin (its own staff permission system), language switch, auth screens.
EXCLUDED_PREFIXES = ("admin:",)
PUBLIC = {
    "home",  # redirects to the user's organisation (tests/accounts/test_views.py)
    "set_language", "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "calendar_feed",  # token-only agenda feed: 404 without a valid token (tests/alerts/test_calendar.py)
    "verify:form", "verify:token",  # public check page of issued documents (tests/documents/test_verify.py)
    # Two-factor pages: any logged-in user (tests/accounts/test_two_factor.py).
    "accounts:two_factor_setup", "accounts:two_factor_verify",
}


def _collect_rows() -> dict[str, Row]:
    rows = {}
    for path in sorted(pathlib.Path(__file__).parent.glob("*/matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.matrix")
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"URL names listed twice: {overlap}"
        rows.update(module.ROWS)
    return rows


MATRIX = _collect_rows()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = {n for n in _url_names() if not n.startswith(EXCLUDED_PREFIXES)}
    missing = names - set(MATRIX) - PUBLIC
    assert not missing, f"Add these URL names to a tests/<app>/matrix.py: {sorted(missing)}"
    stale = set(MATRIX) - names
    assert not stale, f"Matrix rows for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(url_name, persona, personas, client):
    row = MATRIX[url_name]
    kwargs = {"org_slug": personas.org.slug, **row.kwargs(personas)}
    url = reverse(url_name, kwargs=kwargs)
    membership = personas.membership(persona)
    if membership is not None:
        client.force_login(membership.user)
    response = getattr(client, row.method.lower())(url, row.data(personas) if row.data else {})
    expected = row.expected(persona)
    assert response.status_code == expected, f"{url_name} as {persona}: {response.status_code} != {expected}"
    if persona == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(n for n, r in MATRIX.items() if r.object_url))
def test_object_urls_of_another_organisation_are_404(url_name, personas, client):
    """IDOR: ids of another organisation's objects in an otherwise allowed URL answer 404."""
    row = MATRIX[url_name]
    client.force_login(personas.org_admin.user if row.allows("org_admin") else personas.coordinator.user)
    url = reverse(url_name, kwargs={"org_slug": personas.org.slug, **row.foreign_kwargs(personas)})
    response = getattr(client, row.method.lower())(url, row.data(personas) if row.data else {})
    assert response.status_code == 404
