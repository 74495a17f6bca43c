"""Managers and org admins cannot reach anything beyond the two-factor pages before the second factor."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_permission_matrix import MATRIX, PUBLIC

ALLOWED = {"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout", "set_language",
           "service_worker", "web_manifest"}


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _urls(personas):
    for name, row in sorted(MATRIX.items()):
        yield name, row.method, reverse(name, kwargs={"org_slug": personas.org.slug, **row.kwargs(personas)})
    needs = {"accounts:password_reset_confirm": {"uidb64": "MQ", "token": "x-y"}, "calendar_feed": {"token": "x"},
             "verify:token": {"token": "x"}, "accounts:invitation_accept": {"pk": 1},
             "accounts:invitation_decline": {"pk": 1}}
    for name in sorted(PUBLIC - ALLOWED):
        yield name, "GET", reverse(name, kwargs=needs.get(name))


@pytest.mark.parametrize("role", ["manager", "org_admin"])
def test_without_second_factor_every_page_leads_to_the_setup(personas, role):
    client = Client()
    client.force_login(getattr(personas, role).user)
    for name, method, url in _urls(personas):
        response = getattr(client, method.lower())(url)
        if name in ("accounts:login",):
            continue  # the login page sends logged-in users on, to home, which redirects to the setup
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].startswith(reverse("accounts:two_factor_setup")), name
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200


def test_with_a_device_only_the_verify_page_until_verified(personas):
    TOTPDevice.objects.create(user=personas.manager.user, name="phone", confirmed=True)
    client = Client()
    client.force_login(personas.manager.user)
    response = client.get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # Re-enrolling would let a password thief replace the device.
    assert client.get(reverse("accounts:two_factor_setup"))["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_enrolment_with_a_correct_code_opens_the_portal(personas):
    client = Client()
    client.force_login(personas.manager.user)
    home = reverse("trajects:home", kwargs={"org_slug": personas.org.slug})
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.manager.user)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111", "next": home})
    assert response.status_code == 200 and "token" in response.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device), "next": home})
    # Enrolment shows the new recovery codes once, with the way on to where the user was going.
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_account") + "?next=%2Fstroom%2F"
    page = client.get(response["Location"])
    assert len(page.context["fresh_codes"]) == 10 and f'href="{home}"' in page.content.decode()
    assert client.get(home).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_coaches_and_coordinators_are_not_asked(personas):
    for membership in (personas.coach, personas.coordinator):
        client = Client()
        client.force_login(membership.user)
        assert client.get(reverse("trajects:home", kwargs={"org_slug": personas.org.slug})).status_code == 200


def test_promoted_during_the_session_is_stopped_at_the_next_page(personas):
    client = Client()
    client.force_login(personas.coordinator.user)
    personas.coordinator.role = "manager"
    personas.coordinator.save()
    response = client.get(reverse("trajects:home", kwargs={"org_slug": personas.org.slug}))
    assert response.status_code == 302 and "two-factor" in response["Location"]


def test_next_cannot_send_the_user_elsewhere(personas):
    client = Client()
    client.force_login(personas.manager.user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.manager.user)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:two_factor_account") + "?next=%2F"
    page = client.get(reverse("accounts:two_factor_account") + "?next=https://evil.example/").content.decode()
    assert 'href="https://evil.example/"' not in page and 'href="/"' in page
