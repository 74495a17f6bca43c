"""A lost phone: the user's own recovery codes, or a platform superuser, reset the second factor; each reset
is audited in every organisation of the user and announced to them by e-mail (issue #24, finding 1)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.accounts import services
from lde_portal.accounts.models import Role
from lde_portal.audit.models import AuditEntry
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def els(personas):
    """A manager in two organisations, with an authenticator app and a set of recovery codes."""
    MembershipFactory(user=personas.manager.user, organisation=personas.other_org, role=Role.MANAGER)
    user = personas.manager.user
    TOTPDevice.objects.create(user=user, name="gsm", confirmed=True)
    codes = services.recovery_codes_generate(user=user)
    return user, codes


def _password_only(user):
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def _reset_entries(user):
    return AuditEntry.objects.filter(object_type="otp_totp.totpdevice", object_id=str(user.pk), action="delete")


def test_enrolment_gives_ten_recovery_codes_shown_once(personas):
    client = Client()
    client.force_login(personas.manager.user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.manager.user)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)}, follow=True)
    codes = response.context["fresh_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    html = response.content.decode()
    assert all(code in html for code in codes) and "maar één keer" in html
    stored = set(StaticToken.objects.filter(device__user=personas.manager.user).values_list("token", flat=True))
    assert stored == set(codes)
    again = client.get(reverse("accounts:two_factor_account")).content.decode()
    assert not any(code in again for code in codes) and "10 ongebruikte herstelcodes" in again


def test_log_in_with_a_recovery_code_then_enrol_a_new_phone(els, personas, django_capture_on_commit_callbacks):
    user, codes = els
    client = _password_only(user)
    verify = reverse("accounts:two_factor_verify")
    page = client.get(verify).content.decode()
    assert "herstelcode" in page.lower()
    wrong = client.post(verify, {"recovery_code": "aaaaaaaa"})
    assert wrong.status_code == 200 and "niet juist" in wrong.content.decode()
    StaticDevice.objects.get(user=user).throttle_reset()
    response = client.post(verify, {"recovery_code": codes[0].upper()})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_account"))
    assert client.get(f"/{personas.org.slug}/").status_code == 200
    # The code is spent; each use is in every organisation's trail.
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert AuditEntry.objects.filter(object_type="otp_static.staticdevice", action="login").count() == 2
    # The user now replaces the lost authenticator.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:two_factor_reset"))
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists(), "the old codes go with the old phone"
    assert client.get(f"/{personas.org.slug}/")["Location"].startswith(reverse("accounts:two_factor_setup"))
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)}).status_code == 302
    assert client.get(f"/{personas.org.slug}/").status_code == 200
    # Audited once in each of her organisations, and she is told by e-mail.
    assert sorted(e.organisation_id for e in _reset_entries(user)) == sorted([personas.org.pk, personas.other_org.pk])
    assert all(e.actor == user for e in _reset_entries(user))
    notice = [m for m in mail.outbox if m.to == [user.email]]
    assert len(notice) == 1 and "tweestapsverificatie" in notice[0].subject.lower()
    assert "gereset" in notice[0].body and "zelf" in notice[0].body


def test_a_used_recovery_code_does_not_work_twice(els):
    user, codes = els
    verify = reverse("accounts:two_factor_verify")
    assert _password_only(user).post(verify, {"recovery_code": codes[1]}).status_code == 302
    again = _password_only(user).post(verify, {"recovery_code": codes[1]})
    assert again.status_code == 200 and "al gebruikt" in again.content.decode()


def test_password_alone_cannot_reset_or_mint_codes(els):
    user, codes = els
    client = _password_only(user)
    for name in ("accounts:two_factor_reset", "accounts:recovery_codes_generate"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.get(reverse("accounts:two_factor_account"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert not _reset_entries(user).exists() and not mail.outbox


def test_new_recovery_codes_replace_the_old_ones(els, login):
    user, codes = els
    client = login(type("M", (), {"user": user})())
    response = client.post(reverse("accounts:recovery_codes_generate"), follow=True)
    fresh = response.context["fresh_codes"]
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(fresh)


def test_superuser_resets_from_the_django_admin(els, personas, login, django_capture_on_commit_callbacks):
    user, _codes = els
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = login(type("M", (), {"user": superuser})())
    changelist = reverse("admin:accounts_user_changelist")
    assert "reset_two_factor" in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "reset_two_factor", "_selected_action": [user.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    entries = _reset_entries(user)
    assert sorted(e.organisation_id for e in entries) == sorted([personas.org.pk, personas.other_org.pk])
    assert all(e.actor == superuser and "platformbeheerder" in e.summary for e in entries)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email] and "platformbeheerder" in mail.outbox[0].body


def test_a_user_without_organisation_gets_one_entry_without_organisation(django_capture_on_commit_callbacks):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=superuser, name="gsm", confirmed=True)
    other = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.two_factor_reset(user=superuser, actor=other)
    assert list(_reset_entries(superuser).values_list("organisation_id", flat=True)) == [None]
    assert len(mail.outbox) == 1


def test_only_the_user_or_a_superuser_may_reset(els, personas):
    from django.core.exceptions import PermissionDenied

    user, _codes = els
    for actor in (personas.org_admin.user, personas.outsider.user, UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            services.two_factor_reset(user=user, actor=actor)
    assert TOTPDevice.objects.filter(user=user).exists()


def test_staff_who_are_not_superusers_have_no_reset_action_and_no_device_admin(els, login):
    user, _codes = els
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)
    org = OrganisationFactory()
    staff = MembershipFactory(organisation=org, role=Role.COACH, user__is_staff=True).user
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = login(type("M", (), {"user": staff})())
    changelist = reverse("admin:accounts_user_changelist")
    assert client.get(changelist).status_code == 200
    assert "reset_two_factor" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "reset_two_factor", "_selected_action": [user.pk]})
    assert TOTPDevice.objects.filter(user=user).exists()


def test_the_user_menu_leads_to_the_own_two_factor_page_and_invitations(personas, login):
    client = login(personas.coach)
    page = client.get(f"/{personas.org.slug}/").content.decode()
    assert reverse("accounts:two_factor_account") in page and reverse("accounts:invitations") in page
    account = client.get(reverse("accounts:two_factor_account")).content.decode()
    assert "Uw rol vraagt geen tweestapsverificatie" in account
    assert reverse("accounts:two_factor_reset") not in account
