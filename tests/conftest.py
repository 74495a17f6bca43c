"""Shared fixtures: personas for every role, an outsider organisation, and a worker factory."""

import datetime

import pytest
from django.test import Client

from lde_portal.accounts.models import Membership, Role
from tests.broker import broker_down  # noqa: F401 - a fixture for every test package
from tests.factories import (
    ActivityFactory,
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkerFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Factories write without audit entries, so a cached dashboard would not see them; the cache has its own
    # tests (tests/reports/test_dashboard_cache.py).
    settings.PORTAL_DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in the portal's default language: a request or a test that switched to English
    would otherwise leave it active in the thread, and the next test's messages would depend on order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Unit tests run tasks in-process even when CI configures the real broker; the dedicated broker test
    (tests/test_infrastructure.py) talks to Redis itself."""
    from lde_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class Personas:
    """The cast of the permission tests: every role in one organisation, plus an outsider."""

    def __init__(self):
        self.org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
        self.activity = ActivityFactory(organisation=self.org, name="Fietspunt")
        self.coach = MembershipFactory(organisation=self.org, role=Role.COACH)
        self.other_coach = MembershipFactory(organisation=self.org, role=Role.COACH)
        self.coordinator = MembershipFactory(organisation=self.org, role=Role.COORDINATOR)
        self.manager = MembershipFactory(organisation=self.org, role=Role.MANAGER)
        self.org_admin = MembershipFactory(organisation=self.org, role=Role.ORG_ADMIN)
        self.other_org = OrganisationFactory(slug="elders", name="Elders vzw")
        self.outsider = MembershipFactory(organisation=self.other_org, role=Role.ORG_ADMIN)
        # A worker assigned to `coach` only, and one of the other organisation.
        self.worker = WorkerFactory(organisation=self.org)
        self.employment = EmploymentFactory(worker=self.worker, activity=self.activity)
        self.assignment = CoachAssignmentFactory(worker=self.worker, coach=self.coach,
                                                 start=datetime.date(2024, 1, 1))
        self.foreign_worker = WorkerFactory(organisation=self.other_org)

    def membership(self, name) -> Membership | None:
        return getattr(self, name) if name != "anonymous" else None


class VerifiedClient(Client):
    """The test client, with a confirmed TOTP device verified in the session for the users who must use
    two-factor authentication (managers, org admins): tests of other behaviour log in as everyone and
    must not all walk the second step. tests/accounts/test_two_factor.py uses a plain Client."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from lde_portal.accounts.twofactor import requires_2fa

        if requires_2fa(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def personas(db):
    return Personas()


@pytest.fixture
def named_worker(personas):
    """The personas' worker under a real name, Ahmed Benali, for the documents that print it."""
    w = personas.worker
    w.first_name, w.last_name = "Ahmed", "Benali"
    w.save()
    return w


@pytest.fixture
def login(client):
    def _login(membership):
        client.force_login(membership.user)
        return client

    return _login


def pytest_collection_modifyitems(config, items):
    # The benchmark never runs in the normal suite; `make bench` selects it explicitly.
    if not config.getoption("-m") or "perf" not in config.getoption("-m"):
        skip = pytest.mark.skip(reason="benchmark: run with `make bench`")
        for item in items:
            if "perf" in item.keywords:
                item.add_marker(skip)




@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_truncate_guard():
    """A transactional test ends with Django's flush, which on PostgreSQL is one TRUNCATE of every table, and the
    audit trail refuses TRUNCATE (audit/0003). The test database's superuser skips triggers for that statement
    only: session_replication_role can be set by a superuser alone, never by the portal's application role."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: SQLite has no TRUNCATE
        yield
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # execute_sql_flush runs the list in one transaction, so SET LOCAL ends with it.
        return ["SET LOCAL session_replication_role = replica", *sql] if sql else sql

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
