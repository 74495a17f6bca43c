"""The demo organisations (seed_demo) behind the live server, for end-to-end tests that walk what a new user
sees after `make demo`: built once per module, then the database is put back as migrated so nothing leaks into the tests that follow.

The tests are marked django_db: each runs in a transaction rolled back afterwards, so what one journey
records (an evaluation request, an approval) does not change what the next one finds. The live server shares
the test's connection (in-memory SQLite), so it sees the test's writes.

Import the fixtures into a test module: `from tests.e2e.demo_site import demo, demo_page  # noqa: F401`.
"""

import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.test import override_settings

DEMO_PASSWORD = "lde-demo-2026"  # noqa: S105 - the README's password of every demo account


@dataclass
class Demo:
    blocker: object
    url: str
    sessions: dict = field(default_factory=dict)

    def orm(self):
        """Database access from the test body, for the test's own queries."""
        return self.blocker.unblock()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, served by a live server of this module's own. pytest-django's `live_server` makes every
    test that uses it transactional, flushing the database after each test; building the demo takes
    half a minute, so the module's tests share one build and one server instead."""
    yield from serve_demo(django_db_blocker)


def serve_demo(django_db_blocker):
    """Build the demo and serve it until the generator is closed, then leave the database as migrated.

    On in-memory SQLite the live server shares the test's connection, so each test's transaction also
    rolls back what the browser wrote; on PostgreSQL the server has a connection of its own and what the
    browser saves is committed. A module whose tests save through the browser and must each find the demo
    as seeded takes one build per group of tests that may share it (test_journeys: one per screen size)."""
    from django.utils import translation
    from pytest_django.live_server_helper import LiveServer

    from lde_portal.celery import app
    from tests.e2e.test_gates import _start_from_migrated_data

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    translation.activate("nl")
    try:
        with django_db_blocker.unblock(), override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                PORTAL_DASHBOARD_CACHE_SECONDS=0):
            _start_from_migrated_data()
            call_command("seed_demo", stdout=io.StringIO())
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield Demo(django_db_blocker, server.url, _second_factor_sessions(server.url))
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
                # Back to the freshly migrated database: the tests after this module are ordinary ones that
                # expect the data migrations' rows (rule table, phases, catalogues), which a bare flush removes.
                _start_from_migrated_data()
    finally:
        translation.deactivate()
        app.conf.task_always_eager = eager


def _second_factor_sessions(url):
    """Signed-in sessions of the demo's managers and admins, made before the tests: each test runs in a
    transaction rolled back afterwards (a session made in one would be gone in the next), and an
    authenticator code is accepted once, so a second login within 30 seconds would be refused."""
    from django.conf import settings

    from lde_portal.accounts.models import User
    from lde_portal.accounts.twofactor import requires_2fa
    from tests.conftest import VerifiedClient

    sessions = {}
    for user in User.objects.filter(email__endswith="@stroom.demo"):
        if requires_2fa(user):
            client = VerifiedClient()
            client.force_login(user)
            sessions[user.email] = [{"name": settings.SESSION_COOKIE_NAME, "url": url,
                                     "value": client.cookies[settings.SESSION_COOKIE_NAME].value}]
    return sessions


@pytest.fixture
def demo_page(browser, demo):
    """A fresh browser context on the demo at desktop size (1366×900); tests change the viewport for a phone."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-BE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = demo.url
    yield page
    context.close()


def log_in_demo(page, demo, email):
    """Log in with the README's demo password; managers and admins get the session signed in with their
    second factor before the tests (see _second_factor_sessions)."""
    if email in demo.sessions:
        page.context.add_cookies(demo.sessions[email])
        return
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


def visible_text(where, selector="main"):
    """The text a user reads in a page's `selector` (or in a locator), white space collapsed."""
    locator = where.locator(selector).first if hasattr(where, "goto") else where
    return re.sub(r"\s+", " ", locator.inner_text())
