"""Invitations to an existing account: only the invited person can accept them, while logged in."""

import pytest
from django.core import mail
from django.urls import reverse

from lde_portal.accounts.models import Invitation, InvitationStatus, Membership, Role
from lde_portal.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _invite(client, personas, email, role="coordinator"):
    return client.post(reverse("org_admin:member_list", kwargs={"org_slug": personas.org.slug}),
                       {"email": email, "role": role})


@pytest.fixture
def invited(personas, login, django_capture_on_commit_callbacks):
    """The org admin of Stroom invites the outsider (org admin of Elders) as coordinator."""
    client = login(personas.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, personas, personas.outsider.user.email).status_code == 302
    return Invitation.objects.get(user=personas.outsider.user, organisation=personas.org)


def test_inviting_an_existing_account_creates_a_pending_invitation_and_an_email(personas, invited, client):
    assert invited.status == InvitationStatus.PENDING and invited.role == Role.COORDINATOR
    assert not Membership.objects.filter(user=personas.outsider.user, organisation=personas.org).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [personas.outsider.user.email]
    assert "http://127.0.0.1:8000/accounts/invitations/" in mail.outbox[0].body and "aanvaard" in mail.outbox[0].body
    assert AuditEntry.objects.filter(organisation=personas.org, object_type="accounts.invitation",
                                     action="create").exists()
    # The inviting organisation sees the person as invited, and can withdraw the invitation.
    client.force_login(personas.org_admin.user)
    page = client.get(reverse("org_admin:member_list", kwargs={"org_slug": personas.org.slug})).content.decode()
    assert personas.outsider.user.email in page and '<span class="badge text-bg-info">uitgenodigd</span>' in page
    # A second invitation while the first waits is refused.
    assert "al uitgenodigd" in _invite(client, personas, personas.outsider.user.email).content.decode()


def test_the_invited_person_accepts_from_the_organisation_chooser(personas, invited, client):
    client.force_login(personas.outsider.user)
    home = client.get(reverse("home"))
    assert home.status_code == 200, "one membership plus an invitation: the chooser, not a redirect"
    assert reverse("accounts:invitations") in home.content.decode()
    page = client.get(reverse("accounts:invitations")).content.decode()
    assert personas.org.name in page and "Aanvaarden" in page
    response = client.post(reverse("accounts:invitation_accept", kwargs={"pk": invited.pk}))
    assert response.status_code == 302 and response["Location"] == f"/{personas.org.slug}/"
    membership = Membership.objects.get(user=personas.outsider.user, organisation=personas.org)
    assert membership.active and membership.role == Role.COORDINATOR
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.ACCEPTED and invited.responded_at
    assert client.get(f"/{personas.org.slug}/").status_code == 200
    assert AuditEntry.objects.filter(organisation=personas.org, object_type="accounts.membership",
                                     action="create", actor=personas.outsider.user).exists()
    # Accepting twice does nothing more.
    assert client.post(reverse("accounts:invitation_accept", kwargs={"pk": invited.pk})).status_code == 404


def test_declining_leaves_no_access(personas, invited, client):
    client.force_login(personas.outsider.user)
    assert client.post(reverse("accounts:invitation_decline", kwargs={"pk": invited.pk})).status_code == 302
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=personas.outsider.user, organisation=personas.org).exists()
    assert client.get(f"/{personas.org.slug}/").status_code == 404
    assert client.post(reverse("accounts:invitation_accept", kwargs={"pk": invited.pk})).status_code == 404


@pytest.mark.parametrize("who", ["org_admin", "coach", "manager"])
def test_nobody_else_can_answer_an_invitation(personas, invited, client, who):
    """Not the inviting admin, nor any other user: the invitation is 404 to all but the invited person."""
    client.force_login(getattr(personas, who).user)
    for name in ("accounts:invitation_accept", "accounts:invitation_decline"):
        assert client.post(reverse(name, kwargs={"pk": invited.pk})).status_code == 404
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.PENDING
    assert personas.org.name not in client.get(reverse("accounts:invitations")).content.decode().split("<main")[1]


def test_invitation_pages_need_a_login(invited):
    from django.test import Client

    client = Client()
    for url in (reverse("accounts:invitations"), reverse("accounts:invitation_accept", kwargs={"pk": invited.pk})):
        response = client.post(url) if "accept" in url else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_former_member_is_reinvited_and_comes_back_only_by_accepting(personas, login,
                                                                         django_capture_on_commit_callbacks):
    admin = login(personas.org_admin)
    admin.post(reverse("org_admin:member_toggle", kwargs={"org_slug": personas.org.slug, "pk": personas.coach.pk}))
    personas.coach.refresh_from_db()
    assert not personas.coach.active
    _invite(admin, personas, personas.coach.user.email, role="coordinator")
    personas.coach.refresh_from_db()
    assert not personas.coach.active, "an invitation reactivates nothing by itself"
    invitation = Invitation.objects.get(user=personas.coach.user, status=InvitationStatus.PENDING)
    admin.force_login(personas.coach.user)
    admin.post(reverse("accounts:invitation_accept", kwargs={"pk": invitation.pk}))
    personas.coach.refresh_from_db()
    assert personas.coach.active and personas.coach.role == Role.COORDINATOR


def test_the_inviting_admin_withdraws_an_unanswered_invitation(personas, invited, client):
    client.force_login(personas.org_admin.user)
    url = reverse("org_admin:invitation_withdraw", kwargs={"org_slug": personas.org.slug, "pk": invited.pk})
    assert client.post(url).status_code == 302
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.WITHDRAWN
    client.force_login(personas.outsider.user)
    assert client.post(reverse("accounts:invitation_accept", kwargs={"pk": invited.pk})).status_code == 404


def test_accepting_a_manager_role_asks_for_the_second_factor(personas, login, django_capture_on_commit_callbacks):
    """A coach elsewhere, invited as manager here: the new role needs the second factor before the page."""
    from django.test import Client

    admin = login(personas.org_admin)
    coach_elsewhere = personas.outsider.user
    personas.outsider.role = Role.COACH
    personas.outsider.save()
    _invite(admin, personas, coach_elsewhere.email, role="manager")
    invitation = Invitation.objects.get(user=coach_elsewhere)
    client = Client()
    client.force_login(coach_elsewhere)
    response = client.post(reverse("accounts:invitation_accept", kwargs={"pk": invitation.pk}), follow=False)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]


def test_accepting_when_already_a_member_changes_nothing(personas, invited, client):
    Membership.objects.create(user=personas.outsider.user, organisation=personas.org, role=Role.COACH)
    client.force_login(personas.outsider.user)
    client.post(reverse("accounts:invitation_accept", kwargs={"pk": invited.pk}))
    assert Membership.objects.get(user=personas.outsider.user, organisation=personas.org).role == Role.COACH
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.ACCEPTED
