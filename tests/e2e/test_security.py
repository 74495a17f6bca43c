import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory, coached_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_manager_enrols_totp_and_reaches_home(page, screenshot):
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    MembershipFactory(organisation=org, role="manager", user__first_name="Els", user__email="els@example.org")
    log_in(page, "els@example.org", second_factor=False)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator("img.qr-code").is_visible()
    # Every other page sends the manager back to the setup.
    page.goto(page.base + "/stroom/workers/")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    screenshot(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user__email="els@example.org", confirmed=False)
    page.fill("#id_token", _code(device))
    page.get_by_role("button", name="Bevestigen en verdergaan").click()
    page.wait_for_url("**/accounts/two-factor/?next=*")
    assert page.locator(".recovery-code-list li").count() == 10
    page.get_by_role("link", name="Ik heb ze bewaard, verdergaan").click()
    page.wait_for_url("**/stroom/workers/")
    page.goto(page.base + "/stroom/")
    assert page.get_by_role("link", name="Start", exact=True).is_visible()
    assert TOTPDevice.objects.get(user__email="els@example.org").confirmed


def test_csp_raises_no_console_errors_on_the_worker_list_and_dossier(page):
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    activity = ActivityFactory(organisation=org, name="Fietspunt")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    worker = coached_worker(activity, coordinator, first_name="<script>alert(1)</script>", last_name="Benali")
    messages, dialogs = [], []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, "koen@example.org")
    from django.urls import reverse

    paths = [reverse(name, kwargs={"org_slug": "stroom", **({"pk": worker.pk} if pk else {})}) for name, pk in [
        ("trajects:home", False), ("trajects:worker_list", False), ("trajects:worker_detail", True),
        ("trajects:trajectory", True), ("trajects:worker_history", True), ("trajects:worker_edit", True),
        ("audit:worker_trail", True), ("privacy:worker_privacy", True), ("trajects:trajectory_ends", False),
        ("trajects:regime_rules", False), ("alerts:list", False),
    ]]
    for path in paths:
        response = page.goto(page.base + path)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # Typing in the search box exercises htmx (its indicator styles are off, see base.html).
    page.goto(page.base + "/stroom/workers/")
    page.fill("#id_q", "Benali")
    # (a locator, not wait_for_function: Playwright evaluates that string with eval, which the CSP refuses)
    expect(page.locator("#worker-results tbody tr")).to_have_count(1)
    assert not [m for m in messages if m.startswith(("error", "pageerror"))], messages
    assert not dialogs


def test_org_admin_with_a_device_verifies_and_reaches_the_administration(page):
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    admin = MembershipFactory(organisation=org, role="org_admin", user__email="beheer@example.org")
    TOTPDevice.objects.create(user=admin.user, name="gsm", confirmed=True)
    log_in(page, "beheer@example.org")  # lands on the verify page; the helper types the code
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    for path in ["/stroom/audit/", "/stroom/privacy/retention/", "/stroom/privacy/retention/dry-run/",
                 "/stroom/privacy/erasures/", "/stroom/members/", "/stroom/organisation/", "/stroom/activities/"]:
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
    page.goto(page.base + "/stroom/audit/")
    assert page.get_by_role("heading", name="Audittrail").is_visible()
    assert not [m for m in messages if m.startswith("error")], messages
