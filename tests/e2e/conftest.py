"""Headless Chromium (Debian's package) driven by Playwright. Playwright's own browser download cannot
work offline, so the system binary is used. Locally the tests skip when Chromium is missing; in CI
(CI=true) a missing browser is a failure."""

import os
import pathlib
import shutil

import pytest

from tests.factories import ActivityFactory, OrganisationFactory
from trajects.models import RegimeRule
from trajects.rule_data import DEFAULT_RULES

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"

# Playwright's sync API runs an event loop in this thread; the test body still uses the ORM directly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def rule_table():
    """Transactional tests flush every table after themselves, the data-migration rows included: the tests that
    start trajectories put the rule table back first (`pytest.mark.usefixtures("rule_table")`)."""
    if not RegimeRule.objects.exists():
        RegimeRule.objects.bulk_create(RegimeRule(**row) for row in DEFAULT_RULES)


def stroom():
    """The organisation of the journeys (docs/journeys.md) and its bicycle point: `org, activity = stroom()`."""
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    return org, ActivityFactory(organisation=org, name="Fietspunt Dampoort")


def log_in(page, email, password="correct horse battery staple", second_factor=True):  # noqa: S107 — the factories' test password
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if second_factor and "/accounts/two-factor/" in page.url:
        pass_second_factor(page, email)


def pass_second_factor(page, email):
    """Managers and org admins land on the two-factor page (issue #11): type the current code of their
    authenticator, computed from the device key the setup page just created (or an earlier one), and after
    a first enrolment go on past the recovery codes."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email=email).order_by("-id").first()
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("#id_token", f"{code:0{device.digits}d}")
    enrolling = "/accounts/two-factor/setup/" in page.url
    page.click("main form button.btn-primary")
    page.wait_for_load_state()
    if enrolling:
        # A first enrolment shows the new recovery codes once, with the way on to the page asked for.
        page.get_by_role("link", name="Ik heb ze bewaard, verdergaan").click()
        page.wait_for_load_state()
