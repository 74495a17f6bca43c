"""Every page the permission matrix reaches, as every persona, through three gates: axe-core (no serious or
critical WCAG 2.1 AA violation), the Nu HTML checker (no error) and the browser console (no error, no failed
request). The pages show the demo organisation "stroom" (seed_demo), so dossier tabs, charts and lists have
content; the matrix rows build their own objects on top of it.

One walk feeds the three tests: one browser, one context per persona, each page loaded once.
other_coach and outsider are not walked: they reach no page the four roles do not.
"""

import copy
import io
import json
import time

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.gates import ConsoleWatch, axe_violations, nu_errors
from tests.test_permission_matrix import MATRIX

pytestmark = [pytest.mark.e2e]

WALKED = ["coach", "coordinator", "manager", "org_admin"]
# Rows whose kwargs record the worker's exit: they get a second worker, so the dossier of the first one shows
# an employed worker on every other page.
LEAVER_ROWS = {"throughflow:followup_edit"}


class DemoPersonas:
    """The attributes of tests/conftest.py's Personas, taken from the demo data: the same roles, but workers
    with a trajectory, advices, POP versions, weekly feedback and a throughflow track."""

    def __init__(self):
        from lde_portal.accounts.models import Membership, Organisation
        from trajects.models import Worker

        self.org = Organisation.objects.get(slug="stroom")
        self.other_org = Organisation.objects.get(slug="speelboom")

        def member(email, org):
            return Membership.objects.select_related("user").get(user__email=email, organisation=org)

        self.coach = member("sara@stroom.demo", self.org)
        self.other_coach = member("mehdi@stroom.demo", self.org)
        self.coordinator = member("koen@stroom.demo", self.org)
        self.manager = member("els@stroom.demo", self.org)
        self.org_admin = member("admin@stroom.demo", self.org)
        self.outsider = member("admin@speelboom.demo", self.other_org)
        workers = list(Worker.objects.filter(
            organisation=self.org, status="active", coach_assignments__coach=self.coach,
            coach_assignments__end__isnull=True).distinct())
        assert len(workers) >= 2, "the demo gives the coach at least two active workers"
        kinds = ["advices", "needs_assessments", "context_problems", "pops", "weekly_feedback", "throughflow_tracks",
                 "job_applications", "internships", "readiness_checks", "trajectories"]
        workers.sort(key=lambda w: (-sum(getattr(w, kind).exists() for kind in kinds), w.pk))
        self.worker = workers[0]
        self.leaver = workers[1]
        self.employment = self.worker.employments.order_by("contract_start").first()
        self.activity = self.employment.activity
        self.assignment = self.worker.coach_assignments.get(coach=self.coach, end__isnull=True)
        self.foreign_worker = Worker.objects.filter(organisation=self.other_org).order_by("pk").first()

    def for_leaver(self):
        other = copy.copy(self)
        other.worker = self.leaver
        other.assignment = self.leaver.coach_assignments.get(coach=self.coach, end__isnull=True)
        return other


def _pages(personas):
    """(url name, url) of every GET row, its kwargs built once for all personas."""
    pages = []
    for name, row in sorted(MATRIX.items()):
        if row.method != "GET" or not any(row.expected(p) == 200 for p in WALKED):
            continue
        owner = personas.for_leaver() if name in LEAVER_ROWS else personas
        kwargs = {"org_slug": personas.org.slug, **row.kwargs(owner)}
        pages.append((name, row, reverse(name, kwargs=kwargs)))
    return pages


def _walk(browser, base, personas, pages, body_dir):
    from lde_portal.accounts.demo import DEMO_PASSWORD

    findings = {"axe": [], "console": [], "html": []}
    body_owner, kinds = {}, {}
    visits = 0
    spent = dict.fromkeys(["log in", "load", "axe", "nu"], 0.0)

    def timed(what, started):
        spent[what] += time.monotonic() - started
    for persona in WALKED:
        membership = getattr(personas, persona)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-BE")
        page = context.new_page()
        page.set_default_timeout(30000)
        page.base = base
        watch = ConsoleWatch(page)
        started = time.monotonic()
        log_in(page, membership.user.email, password=DEMO_PASSWORD)
        timed("log in", started)
        assert "/accounts/" not in page.url, f"{persona} could not log in: {page.url}"
        watch.take()
        for name, row, url in pages:
            if row.expected(persona) != 200:
                continue
            where = f"{url} as {persona} ({name})"
            if kinds.get(name) == "download":
                continue
            started = time.monotonic()
            try:
                response = page.goto(base + url)
            except PlaywrightError as error:
                # Downloads (PDF, XLSX, files) are not pages: the browser saves them instead of rendering.
                if "Download is starting" not in str(error):
                    raise
                kinds[name] = "download"
                watch.take()
                continue
            if response.headers.get("content-type", "").split(";")[0] != "text/html":
                # Shown inline (a PDF): its viewer's own requests must not be counted against the next page.
                kinds[name] = "download"
                page.goto("about:blank")
                watch.settle()
                watch.take()
                continue
            watch.settle()
            timed("load", started)
            visits += 1
            assert response.status == 200, f"{where}: HTTP {response.status}"
            findings["console"] += [f"{where}: {f}" for f in watch.take()]
            started = time.monotonic()
            findings["axe"] += [f"{where}: {f}" for f in axe_violations(page)]
            timed("axe", started)
            body_name = f"{persona}--{name.replace(':', '-')}.html"
            (body_dir / body_name).write_bytes(response.body())
            body_owner[body_name] = where
            findings["console"] += [f"{where}: {f}" for f in watch.leave()]
        context.close()
    started = time.monotonic()
    for body_name, errors in nu_errors(body_dir).items():
        findings["html"] += [f"{body_owner.get(body_name, body_name)}: {e}" for e in errors]
    timed("nu", started)
    return findings, visits, spent


# The data migrations' content (rule table, default phases, catalogues) that the demo builds on: an earlier
# transactional test may have flushed it.
DATA_MIGRATIONS = [("trajects", "0003_load_rules_and_phases"), ("pop", "0002_seed_catalogue"),
                   ("indication", "0002_icf_catalogue")]


def _start_from_migrated_data():
    import importlib

    from django.apps import apps
    from django.db import migrations

    call_command("flush", interactive=False, verbosity=0)
    for app, name in DATA_MIGRATIONS:
        for operation in importlib.import_module(f"{app}.migrations.{name}").Migration.operations:
            if isinstance(operation, migrations.RunPython):
                operation.code(apps, None)


@pytest.fixture(scope="module")
def walk(browser, live_server, django_db_setup, django_db_blocker, tmp_path_factory):
    from django.utils import translation

    from lde_portal.celery import app

    body_dir = tmp_path_factory.mktemp("page-bodies")
    started = time.monotonic()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    translation.activate("nl")
    live_server._live_server_modified_settings.enable()
    try:
        with django_db_blocker.unblock(), override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                PORTAL_DASHBOARD_CACHE_SECONDS=0):
            try:
                _start_from_migrated_data()
                call_command("seed_demo", stdout=io.StringIO())
                personas = DemoPersonas()
                pages = _pages(personas)
                findings, visits, spent = _walk(browser, live_server.url, personas, pages, body_dir)
            finally:
                # The walk's data must not leak into the tests that follow.
                call_command("flush", interactive=False, verbosity=0)
    finally:
        live_server._live_server_modified_settings.disable()
        translation.deactivate()
        app.conf.task_always_eager = eager
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "gates.json").write_text(json.dumps(findings, indent=1, ensure_ascii=False))
    print(f"\ngates: {visits} page visits ({len(pages)} pages × {len(WALKED)} personas where allowed) "
          f"in {time.monotonic() - started:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items()) + ")")
    return findings


def _report(findings):
    return f"{len(findings)} finding(s):\n" + "\n".join(findings[:200])


def test_every_page_passes_axe(walk):
    assert not walk["axe"], _report(walk["axe"])


def test_every_page_is_valid_html(walk):
    assert not walk["html"], _report(walk["html"])


def test_every_page_loads_without_console_errors_or_failed_requests(walk):
    assert not walk["console"], _report(walk["console"])
