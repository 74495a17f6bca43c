"""Nothing of the portal stays in a browser's cache: `Cache-Control: no-store` on pages, downloads, the login and
two-factor pages and on responses no view made (lde_portal.middleware.NoStoreMiddleware). The permission-matrix
walk asserts it for every URL × persona; these add the downloads as files, the public pages, and what is left
alone on purpose (static files, the calendar feed's own header)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.pop.helpers import PNG
from tests.test_permission_matrix import MATRIX, PUBLIC

pytestmark = pytest.mark.django_db

# Every view that sends a file (FileResponse, StreamingHttpResponse or an attachment): each must answer the
# matrix walk with the file itself, or its no-store there proves nothing about downloads.
DOWNLOADS = [
    "documents:download", "files:download", "indication:advice_letter", "org_admin:organisation_logo",
    "pop:review_file", "pop:training_certificate", "reports:export", "reports:yearly_report",
    "trajects:extension_document",
]


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("url_name", DOWNLOADS)
def test_every_download_is_sent_with_no_store(url_name, personas, client):
    row = MATRIX[url_name]
    if url_name == "org_admin:organisation_logo":
        personas.org.logo.save("logo.png", ContentFile(PNG))
    persona = next(p for p in ("coordinator", "org_admin", "manager") if row.allows(p))
    client.force_login(getattr(personas, persona).user)
    url = reverse(url_name, kwargs={"org_slug": personas.org.slug, **row.kwargs(personas)})
    response = client.get(url)
    assert response.status_code == 200, f"{url_name}: {response.status_code}"
    assert not response["Content-Type"].startswith("text/html"), f"{url_name} sent a page, not a file"
    assert _no_store(response), f"{url_name}: {response.get('Cache-Control')}"


def _public_urls():
    needs = {"accounts:password_reset_confirm": {"uidb64": "MQ", "token": "x-y"}, "calendar_feed": {"token": "x"},
             "verify:token": {"token": "x"}, "accounts:invitation_accept": {"pk": 1},
             "accounts:invitation_decline": {"pk": 1}}
    return [(name, reverse(name, kwargs=needs.get(name))) for name in sorted(PUBLIC)]


@pytest.mark.parametrize("name_and_url", _public_urls(), ids=lambda n: n[0])
def test_login_password_reset_and_every_other_public_page_as_anonymous(name_and_url):
    """The login page keeps the e-mail address typed, a reset page the link's token; none is stored."""
    name, url = name_and_url
    response = Client().get(url)
    assert _no_store(response), f"{name}: {response.status_code} {response.get('Cache-Control')}"


def test_a_failed_login_and_a_csrf_refusal(personas):
    login = reverse("accounts:login")
    response = Client().post(login, {"username": personas.coach.user.email, "password": "fout-wachtwoord"})
    assert response.status_code == 200 and _no_store(response)
    refused = Client(enforce_csrf_checks=True).post(login, {"username": "x", "password": "y"})
    assert refused.status_code == 403 and _no_store(refused)


def test_the_two_factor_steps_before_the_second_factor(personas):
    client = Client()
    client.force_login(personas.manager.user)
    redirect = client.get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))
    assert redirect.status_code == 302 and _no_store(redirect)
    setup = client.get(reverse("accounts:two_factor_setup"))  # shows the new secret key and its QR code
    assert setup.status_code == 200 and _no_store(setup)


def test_logout(personas, client):
    client.force_login(personas.coach.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and _no_store(response)


def test_a_header_the_view_chose_is_kept(personas):
    """The calendar feed is read by calendar apps, which keep its events anyway (see calendar_feed): private,
    never public, for 15 minutes. The verify page is never_cache."""
    from lde_portal.alerts import services

    token = services.calendar_token_regenerate(membership=personas.coach).calendar_token
    feed = Client().get(reverse("calendar_feed", kwargs={"token": token}))
    assert feed.status_code == 200 and feed["Cache-Control"] == "private, max-age=900"
    verify = Client().get(reverse("verify:form"))
    assert {"no-store", "private", "max-age=0"} <= {d.strip() for d in verify["Cache-Control"].split(",")}


def test_static_files_stay_cacheable():
    """CSS, JS and images carry no data: served by WhiteNoise before the middleware, with its own caching."""
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200 and not _no_store(response)

