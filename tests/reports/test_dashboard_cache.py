"""The dashboard's panels come from the cache until the organisation's data changes (issue #10).

Every edit through the portal writes an audit entry, and the key holds the organisation's latest one: an
edit shows on the next load, a reload without edits runs none of the panels' queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from throughflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PORTAL_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _exits_figure(response):
    panel = next(p for p in response.context["panels"] if p.key == "throughflow.exits")
    return panel.figures[0].value


def _load(client, url, **query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_an_edit_shows_at_once_and_a_reload_runs_no_panel_query(cached, personas, login):
    client = login(personas.manager)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    client.get(url)  # the session's first request loads more (two-factor state)
    cache.clear()
    first, built = _load(client, url)
    assert _exits_figure(first) == 0
    again, reused = _load(client, url)
    assert _exits_figure(again) == 0
    assert reused <= built - 7  # the eight manager panels run seven queries when built (two share one)

    services.exit_record(worker=personas.worker, actor=personas.coordinator.user,
                         data={"date": timezone.localdate(), "reason": "external", "destination_employer": "Colruyt"})
    after, rebuilt = _load(client, url)
    assert _exits_figure(after) == 1 and rebuilt == built


def test_filters_role_and_language_have_their_own_entries(cached, personas, login):
    manager = login(personas.manager)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    _load(manager, url)
    _, other_period = _load(manager, url, start="01/01/2020", end="31/12/2020")
    _, same = _load(manager, url)
    assert other_period > same  # a new period is built, not served from the unfiltered entry
    manager.cookies["django_language"] = "en"
    english, _ = _load(manager, url)
    assert english.context["panels"][0].title == "Workers and FTE by activity"
    del manager.cookies["django_language"]
    coordinator = login(personas.coordinator)  # the same test client, now the coordinator's session
    response, _ = _load(coordinator, url)
    assert "throughflow.exits" not in [p.key for p in response.context["panels"]]


def test_off_when_the_setting_is_zero(settings, personas, login):
    settings.PORTAL_DASHBOARD_CACHE_SECONDS = 0
    cache.clear()
    client = login(personas.manager)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    client.get(url)
    _, first = _load(client, url)
    _, second = _load(client, url)
    assert first == second


def test_cached_panels_hold_text_not_lazy_translations(cached, personas, login):
    """A lazy translation unpickles by building a new proxy class: thousands of objects of garbage a load."""
    import dataclasses

    from django.utils.functional import Promise

    client = login(personas.manager)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    client.get(url)
    key, = [k.split(":", 2)[2] for k in cache._cache if "dashboard:" in k]  # locmem's ":<version>:" prefix
    stored = cache.get(key)

    def lazy_values(obj):
        if isinstance(obj, list):
            return [v for item in obj for v in lazy_values(item)]
        if dataclasses.is_dataclass(obj):
            return [v for f in dataclasses.fields(obj) for v in lazy_values(getattr(obj, f.name))]
        return [obj] if isinstance(obj, Promise) else []

    assert stored and not lazy_values(stored)
    assert stored[0].title == "Werknemers en VTE per activiteit"
    response, _ = _load(client, url)  # served from the cache, in Dutch
    assert "Werknemers en VTE per activiteit" in response.content.decode()
