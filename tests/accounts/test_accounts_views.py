import re

import pytest
from django.core import mail
from django.urls import reverse

from lde_portal.accounts.models import Activity, Membership, Organisation, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _org_url(p, name, **kw):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kw})


def test_login_with_email_any_case_and_land_in_own_organisation(personas, client):
    user = personas.coach.user
    response = client.post(reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/{personas.org.slug}/"
    assert response.status_code == 200


def test_login_is_throttled_after_repeated_failures(personas, client, settings):
    email = personas.coach.user.email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.content.decode()


def test_user_in_two_organisations_chooses_and_switches(personas, client):
    user = personas.coordinator.user
    MembershipFactory(user=user, organisation=personas.other_org, role=Role.MANAGER)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert personas.org.name in html and personas.other_org.name in html
    page = client.get(_org_url(personas, "trajects:home")).content.decode()
    assert "Organisatie wisselen" in page and f'href="/{personas.other_org.slug}/"' in page


def test_invite_sends_mail_and_the_link_sets_a_password(personas, client, django_capture_on_commit_callbacks):
    client.force_login(personas.org_admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_org_url(personas, "org_admin:member_list"),
                               {"email": "Nieuw@Example.org", "first_name": "Nina", "last_name": "Nieuw", "role": "coach"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nieuw@example.org")
    assert membership.role == "coach" and membership.organisation == personas.org
    assert len(mail.outbox) == 1 and "uitgenodigd" in mail.outbox[0].body
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Fietsbel-Zomer-42", "new_password2": "Fietsbel-Zomer-42"})
    assert response.status_code == 302
    response = client.post(reverse("accounts:login"), {"username": "nieuw@example.org", "password": "Fietsbel-Zomer-42"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_inviting_an_existing_member_is_refused(personas, client):
    client.force_login(personas.org_admin.user)
    response = client.post(_org_url(personas, "org_admin:member_list"),
                           {"email": personas.coach.user.email, "role": "coach"})
    assert "al lid van de organisatie" in response.content.decode()
    assert len(mail.outbox) == 0


def test_deactivated_member_loses_access(personas, client):
    client.force_login(personas.org_admin.user)
    client.post(_org_url(personas, "org_admin:member_toggle", pk=personas.coach.pk))
    personas.coach.refresh_from_db()
    assert not personas.coach.active
    client.force_login(personas.coach.user)
    assert client.get(_org_url(personas, "trajects:worker_list")).status_code == 404


def test_last_org_admin_cannot_be_deactivated_or_demoted(personas, client):
    client.force_login(personas.org_admin.user)
    response = client.post(_org_url(personas, "org_admin:member_toggle", pk=personas.org_admin.pk), follow=True)
    assert "laatste organisatiebeheerder" in response.content.decode()
    client.post(_org_url(personas, "org_admin:member_role", pk=personas.org_admin.pk), {"role": "coach"})
    personas.org_admin.refresh_from_db()
    assert personas.org_admin.active and personas.org_admin.role == "org_admin"


@pytest.mark.parametrize(
    ("number", "ok"),
    [("0450.123.451", True), ("BE0450123451", True), ("0450.123.452", False), ("12345", False)],
)
def test_enterprise_number_is_validated_at_the_field(personas, client, number, ok):
    client.force_login(personas.org_admin.user)
    data = {"name": "Buurtwerk Stroom vzw", "enterprise_number": number, "street": "Dampoortstraat 41",
            "postal_code": "9000", "municipality": "Gent", "version": personas.org.version}
    response = client.post(_org_url(personas, "org_admin:organisation_edit"), data)
    personas.org.refresh_from_db()
    if ok:
        assert response.status_code == 302 and personas.org.enterprise_number == "0450123451"
    else:
        html = response.content.decode()
        assert "geen geldig ondernemingsnummer" in html and 'id="error_1_id_enterprise_number"' in html
        assert f'value="{number}"' in html and personas.org.enterprise_number != number


def test_activity_names_are_unique_per_organisation(personas, client):
    client.force_login(personas.org_admin.user)
    url = _org_url(personas, "org_admin:activity_create")
    response = client.post(url, {"name": "fietspunt", "type": "bicycle_point", "active": "on"})
    assert "al een activiteit met deze naam" in response.content.decode()
    response = client.post(url, {"name": "Sociaal restaurant", "type": "social_restaurant", "municipality": "Gent", "active": "on"})
    assert response.status_code == 302
    assert Activity.objects.filter(organisation=personas.org).count() == 2


def test_reserved_slugs_are_refused():
    from django.core.exceptions import ValidationError

    org = Organisation(name="X", slug="accounts", enterprise_number="0450123451")
    with pytest.raises(ValidationError):
        org.full_clean()


def test_user_without_membership_sees_a_helpful_message(client):
    user = UserFactory()
    client.force_login(user)
    assert "nog) geen lid" in client.get(reverse("home")).content.decode()


def test_two_admins_changing_the_same_role_the_second_is_refused_and_the_first_choice_stands(personas):
    from tests.conftest import VerifiedClient
    from tests.factories import MembershipFactory

    url = _org_url(personas, "org_admin:member_role", pk=personas.coach.pk)
    first, second = VerifiedClient(), VerifiedClient()
    first.force_login(personas.org_admin.user)
    second.force_login(MembershipFactory(organisation=personas.org, role="org_admin").user)
    listing = _org_url(personas, "org_admin:member_list")
    for client in (first, second):  # both see the coach as a coach
        assert 'name="shown_role" value="coach"' in client.get(listing).content.decode()
    first.post(url, {"role": "coordinator", "shown_role": "coach"})
    response = second.post(url, {"role": "manager", "shown_role": "coach"}, follow=True)
    assert "Iemand anders heeft de rol van" in response.content.decode()
    personas.coach.refresh_from_db()
    assert personas.coach.role == "coordinator"


def test_the_current_logo_link_on_the_organisation_page_opens_the_logo(personas, client):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    personas.org.logo.save("logo.png", ContentFile(buffer.getvalue()))
    stored = personas.org.logo.name
    client.force_login(personas.org_admin.user)
    html = client.get(_org_url(personas, "org_admin:organisation_edit")).content.decode()
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html.split('id="div_id_logo"')[1].split("</form>")[0])
    assert links, "the logo field shows no link to the current logo"
    href, text = links[0]
    assert href == _org_url(personas, "org_admin:organisation_logo") and "private/" not in text
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # Saving the page without a new upload keeps the stored logo (the link is display only).
    data = {"name": personas.org.name, "enterprise_number": "0450.123.451", "street": "Dampoortstraat 41",
            "postal_code": "9000", "municipality": "Gent", "version": personas.org.version}
    assert client.post(_org_url(personas, "org_admin:organisation_edit"), data).status_code == 302
    personas.org.refresh_from_db()
    assert personas.org.logo.name == stored
