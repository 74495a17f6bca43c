"""Issue #24, finding 1: the admin of one organisation invited the manager of another, which attached a
membership to her account without her consent, then reset her second factor from the member page; her
password alone then opened her own organisation. The same worked against the platform superuser."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.accounts.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def speelboom_admin(login):
    """The attacker: org admin of De Speelboom, logged in with a verified second factor."""
    org = OrganisationFactory(slug="speelboom", name="Kinderopvang De Speelboom vzw")
    return org, login(MembershipFactory(organisation=org, role=Role.ORG_ADMIN))


def _hilde():
    org = OrganisationFactory(slug="denderhoven", name="OCMW Denderhoven")
    hilde = MembershipFactory(organisation=org, role=Role.MANAGER, user__email="hilde@denderhoven.demo").user
    TOTPDevice.objects.create(user=hilde, name="gsm", confirmed=True)
    return org, hilde


def _superuser():
    user = UserFactory(email="superuser@lde.demo", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=user, name="gsm", confirmed=True)
    return user


def _attack(client, org, victim):
    """Invite the victim, then try every way the member page offered to strip their second factor."""
    invite = client.post(reverse("org_admin:member_list", kwargs={"org_slug": org.slug}),
                         {"email": victim.email.upper(), "role": "coach"})
    assert invite.status_code == 302
    candidate_ids = set(Membership.objects.filter(user=victim).values_list("pk", flat=True))
    candidate_ids |= set(Membership.objects.filter(organisation=org).values_list("pk", flat=True))
    for pk in sorted(candidate_ids):
        response = client.post(f"/{org.slug}/members/{pk}/two-factor/reset/")
        assert response.status_code == 404, pk


@pytest.mark.parametrize("victim_kind", ["manager of another organisation", "platform superuser"])
def test_an_org_admin_cannot_strip_the_second_factor_of_someone_they_invite(speelboom_admin, victim_kind,
                                                                            django_capture_on_commit_callbacks):
    org, attacker = speelboom_admin
    victim_org, victim = _hilde() if victim_kind.startswith("manager") else (None, _superuser())
    with django_capture_on_commit_callbacks(execute=True):
        _attack(attacker, org, victim)
    # The invitation attached nothing to the account...
    assert not Membership.objects.filter(user=victim, organisation=org).exists()
    # ... and the second factor is untouched, in every organisation.
    assert TOTPDevice.objects.filter(user=victim, confirmed=True).count() == 1
    with pytest.raises(NoReverseMatch):
        reverse("org_admin:member_reset_two_factor", kwargs={"org_slug": org.slug, "pk": 1})
    # With the password alone the victim's account still stops at the verify page: no new enrolment.
    thief = Client()
    thief.post(reverse("accounts:login"), {"username": victim.email, "password": PASSWORD})
    target = f"/{victim_org.slug}/" if victim_org else "/django-admin/"
    response = thief.get(target)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert thief.get(reverse("accounts:two_factor_setup"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    # The e-mail the victim got does not carry a set-password link: they keep their own password.
    assert len(mail.outbox) == 1 and "password-reset" not in mail.outbox[0].body


def test_before_accepting_the_invited_person_has_no_access_to_the_inviting_organisation(speelboom_admin):
    org, attacker = speelboom_admin
    victim_org, victim = _hilde()
    attacker.post(reverse("org_admin:member_list", kwargs={"org_slug": org.slug}),
                  {"email": victim.email, "role": "manager"})
    client = Client()
    client.force_login(victim)
    assert client.get(f"/{org.slug}/").status_code in (302, 404)
    from django.http import Http404

    from lde_portal.accounts.access import resolve_membership

    request = type("R", (), {"user": victim})()
    with pytest.raises(Http404):
        resolve_membership(request, org.slug)


def test_a_new_address_still_gets_an_account_and_a_password_link(speelboom_admin,
                                                                  django_capture_on_commit_callbacks):
    org, admin = speelboom_admin
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("org_admin:member_list", kwargs={"org_slug": org.slug}),
                   {"email": "nieuw@example.org", "role": "coach"})
    membership = Membership.objects.get(user__email="nieuw@example.org", organisation=org)
    assert membership.active and not membership.user.has_usable_password()
    assert "password-reset" in mail.outbox[0].body
    # Until the password is chosen the member list shows the person as invited.
    invited = '<span class="badge text-bg-info">uitgenodigd</span>'
    page = admin.get(reverse("org_admin:member_list", kwargs={"org_slug": org.slug})).content.decode()
    assert invited in page
    membership.user.password = make_password(PASSWORD)
    membership.user.save()
    assert invited not in admin.get(reverse("org_admin:member_list", kwargs={"org_slug": org.slug})).content.decode()
