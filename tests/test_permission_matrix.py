"""Every URL name × every persona: anonymous → login, outsider → 404, member without permission → 403, and
every one of those responses with `Cache-Control: no-store` (lde_portal.middleware.NoStoreMiddleware).

A new URL that is not in MATRIX (or PUBLIC / EXCLUDED) fails `test_every_url_is_in_the_matrix`; one with an
object id (any <int:...>) but no `foreign_kwargs` fails `test_every_object_url_has_foreign_ids`.
Domain apps add their rows in `tests/<app>/matrix.py` (a dict named ROWS), collected below.
"""

import importlib
import pathlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.matrix import PERSONAS, Row

# Not organisation pages: Django admin (its own staff permission system), language switch, auth screens.
EXCLUDED_PREFIXES = ("admin:",)
PUBLIC = {
    "home",  # redirects to the user's organisation (tests/accounts/test_views.py)
    "set_language", "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "service_worker", "web_manifest",  # the phone's installable portal, no data (tests/test_offline.py)
    "calendar_feed",  # token-only agenda feed: 404 without a valid token (tests/alerts/test_calendar.py)
    "verify:form", "verify:token",  # public check page of issued documents (tests/documents/test_verify.py)
    # Two-factor pages: any logged-in user, for their own account only (tests/accounts/test_two_factor.py,
    # tests/accounts/test_recovery_codes.py).
    "accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:two_factor_account",
    "accounts:recovery_codes_generate", "accounts:two_factor_reset",
    # The logged-in user's own invitations; anyone else's are 404 (tests/accounts/test_invitations.py).
    "accounts:invitations", "accounts:invitation_accept", "accounts:invitation_decline",
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


def _object_ids(resolver=None, namespace="", inherited=()):
    """URL name → the kwargs that carry an object id (every <int:...> of the route and its parents)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        converters = getattr(pattern.pattern, "converters", {})
        ids = inherited + tuple(k for k, c in converters.items() if isinstance(c, IntConverter))
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _object_ids(pattern, f"{namespace}{ns}:" if ns else namespace, ids)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", ids


OBJECT_IDS = {name: ids for name, ids in _object_ids() if ids and name in MATRIX}


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
    # Pages, downloads, refusals and redirects alike: nothing of the portal stays in a shared PC's cache.
    assert "no-store" in response.get("Cache-Control", ""), f"{url_name} as {persona}: {response.get('Cache-Control')}"


def test_every_object_url_has_foreign_ids():
    """The IDOR test below only covers rows that say how to point at another organisation's objects: a new
    URL with an object id must declare `foreign_kwargs` for every id it carries."""
    problems = {}
    for name, ids in OBJECT_IDS.items():
        row = MATRIX[name]
        if row.foreign_kwargs is None:
            problems[name] = f"no foreign_kwargs for the object ids {list(ids)}"
    assert not problems, ("These object URLs have no IDOR coverage; give their Row a foreign_kwargs "
                          f"pointing at another organisation's objects: {problems}")


def _variants(row, personas, ids):
    """The foreign kwargs, and the own kwargs with one id at a time swapped for the foreign one (own worker
    with another organisation's document, and the other way round)."""
    own, foreign = row.kwargs(personas), row.foreign_kwargs(personas)
    missing = set(ids) - set(foreign)
    assert not missing, f"foreign_kwargs lacks {missing}"
    variants = [foreign] + [{**own, k: foreign[k]} for k in ids if own.get(k) != foreign[k]]
    unique = []
    for v in variants:
        if v != own and v not in unique:
            unique.append(v)
    return own, unique


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("url_name", sorted(OBJECT_IDS))
def test_object_urls_of_another_organisation_are_404(url_name, method, personas, client):
    """IDOR: ids of another organisation's objects in an otherwise allowed URL answer 404, with GET and POST,
    and change nothing (no row, no audit entry)."""
    from tests.fuzz import snapshot

    row = MATRIX[url_name]
    client.force_login(personas.org_admin.user if row.allows("org_admin") else personas.coordinator.user)
    own, variants = _variants(row, personas, OBJECT_IDS[url_name])
    data = (row.data(personas) if row.data else {}) if method == row.method else {}
    expected = 404
    if method == "GET" and row.method == "POST":
        # A view that takes only POST refuses a GET before it looks anything up; that leaks nothing.
        own_url = reverse(url_name, kwargs={"org_slug": personas.org.slug, **own})
        if getattr(client, method.lower())(own_url, data).status_code == 405:
            expected = 405
    for kwargs in variants:
        url = reverse(url_name, kwargs={"org_slug": personas.org.slug, **kwargs})
        before = snapshot()
        response = getattr(client, method.lower())(url, data)
        assert response.status_code == expected, f"{method} {url}: {response.status_code}"
        assert snapshot() == before, f"{method} {url} changed data"
