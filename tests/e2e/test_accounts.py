"""An invitation accepted by the invited person, and a lost phone handled with a recovery code (issue #24)."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lde_portal.accounts import services
from lde_portal.accounts.models import Membership
from tests.e2e.conftest import log_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_an_existing_user_accepts_an_invitation(page, screenshot):
    stroom = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    speelboom = OrganisationFactory(slug="speelboom", name="Kinderopvang De Speelboom vzw")
    koen = MembershipFactory(organisation=stroom, role="coordinator", user__first_name="Koen",
                             user__email="koen@example.org").user
    admin = MembershipFactory(organisation=speelboom, role="org_admin", user__first_name="Ann",
                              user__last_name="Peeters").user
    services.member_invite(organisation=speelboom, actor=admin, email="KOEN@example.org", role="coordinator")
    log_in(page, "koen@example.org")
    # Not sent straight into Stroom: the chooser shows the invitation waiting for an answer.
    page.get_by_role("link", name="Uitnodigingen bekijken").click()
    page.wait_for_url("**/accounts/invitations/")
    expect(page.locator(".invitation")).to_contain_text("Kinderopvang De Speelboom vzw")
    expect(page.locator(".invitation")).to_contain_text("door Ann Peeters")
    screenshot(page, "invitation-accept")
    page.get_by_role("button", name="Aanvaarden").click()
    page.wait_for_url("**/speelboom/")
    expect(page.locator(".messages")).to_contain_text("U bent nu lid van Kinderopvang De Speelboom vzw")
    assert Membership.objects.get(user=koen, organisation=speelboom).active


def test_a_manager_without_phone_logs_in_with_a_recovery_code_and_enrols_again(page, screenshot):
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    els = MembershipFactory(organisation=org, role="manager", user__first_name="Els",
                            user__email="els@example.org").user
    TOTPDevice.objects.create(user=els, name="oude gsm", confirmed=True)
    codes = services.recovery_codes_generate(user=els)
    log_in(page, "els@example.org", second_factor=False)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_text("Gsm kwijt? Gebruik een herstelcode").click()
    page.fill("#id_recovery_code", codes[0])
    screenshot(page, "two-factor-verify-recovery-code")
    page.get_by_role("button", name="Aanmelden met herstelcode").click()
    page.wait_for_url("**/accounts/two-factor/**")
    expect(page.locator(".messages")).to_contain_text("nog 9")
    page.get_by_role("button", name="Nieuwe authenticator-app instellen").click()
    page.wait_for_url("**/accounts/two-factor/setup/**")
    device = TOTPDevice.objects.get(user=els, confirmed=False)
    page.fill("#id_token", _code(device))
    page.get_by_role("button", name="Bevestigen en verdergaan").click()
    page.wait_for_url("**/accounts/two-factor/?next=*")
    expect(page.locator(".recovery-code-list li")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Ik heb ze bewaard, verdergaan").click()
    page.wait_for_url("**/stroom/")
    assert page.get_by_role("link", name="Start", exact=True).is_visible()
    device.refresh_from_db()
    assert device.confirmed and not TOTPDevice.objects.filter(name="oude gsm").exists()
