"""Login throttling and password-reset links that an attacker cannot steer (issue #24, findings 2, 3, 5)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from lde_portal.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"


def _log_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


@pytest.mark.parametrize("variant", ["ELS@stroom.demo", "els@Stroom.demo", "els@stroom.DEMO", " Els@Stroom.Demo "])
def test_lock_out_covers_every_letter_case_of_the_address(settings, variant):
    UserFactory(email="els@stroom.demo")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "Els@stroom.demo", "wrong password")
    assert _log_in(client, variant, "another wrong one").status_code == 429
    # The right password in another case does not open the account while it is locked.
    response = _log_in(client, variant, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_out_counts_failures_across_letter_cases(settings):
    UserFactory(email="els@stroom.demo")
    client = Client()
    variants = ["els@stroom.demo", "ELS@STROOM.DEMO", "Els@stroom.demo", "els@Stroom.demo", "eLs@stroom.demo"]
    for email in variants[: settings.AXES_FAILURE_LIMIT]:
        _log_in(client, email, "wrong password")
    assert _log_in(client, "els@stroom.demo", PASSWORD).status_code == 429


def test_lock_out_is_per_account_and_address_pair(settings):
    """README: AXES_FAILURE_LIMIT failures per e-mail address + IP lock that pair (not the whole address,
    which would let anyone lock a colleague out from elsewhere)."""
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    UserFactory(email="els@stroom.demo")
    UserFactory(email="koen@stroom.demo")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "els@stroom.demo", "wrong password")
    assert _log_in(client, "koen@stroom.demo", PASSWORD).status_code == 302
    assert _log_in(Client(), "els@stroom.demo", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_password_reset_link_uses_the_portal_base_url_not_the_host_header(settings):
    settings.ALLOWED_HOSTS = ["*"]  # a server that answers any host name must not be steered either
    settings.PORTAL_BASE_URL = "https://lde.example.org/"
    UserFactory(email="els@stroom.demo")
    response = Client().post(reverse("accounts:password_reset"), {"email": "els@stroom.demo"},
                             HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "evil.example" not in body
    link = re.search(r"https?://\S+", body).group(0)
    assert link.startswith("https://lde.example.org/accounts/password-reset/")


# --- the client address behind a reverse proxy -------------------------------------------------------


class _Request:
    def __init__(self, **meta):
        self.META = meta


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "203.0.113.7"}, "203.0.113.7"),
        (0, {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.7"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "198.51.100.1"),
        # The client may send its own header: the proxy appends the real address, the rightmost entry.
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1"}, "198.51.100.1"),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1, 10.0.0.9"}, "198.51.100.1"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        # Fewer entries than configured proxies, or garbage: the direct peer, never the client's claim.
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-address"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        # No peer at all (a login made in code): nothing, which the lock-out stores as NULL, not a text.
        (0, {}, None),
    ],
)
def test_client_ip(settings, proxies, meta, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_Request(**meta)) == expected


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lock_out(settings):
    UserFactory(email="els@stroom.demo")
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "els@stroom.demo", "wrong password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = _log_in(client, "els@stroom.demo", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_two_clients_are_locked_apart(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    UserFactory(email="els@stroom.demo")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(attacker, "els@stroom.demo", "wrong password")
    assert _log_in(attacker, "els@stroom.demo", PASSWORD).status_code == 429
    # The attacker cannot lock the real user out by sharing the proxy's address...
    els = Client(HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy)
    assert _log_in(els, "els@stroom.demo", PASSWORD).status_code == 302
    # ... nor escape by prepending an address of their own choice.
    spoofing = Client(HTTP_X_FORWARDED_FOR="203.0.113.10, 198.51.100.66", **proxy)
    assert _log_in(spoofing, "els@stroom.demo", PASSWORD).status_code == 429


@time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("proxies", [0, 1])
def test_verify_page_limit_counts_clients_behind_a_trusted_proxy_apart(settings, proxies):
    settings.DOCUMENTS_VERIFY_RATE_PER_MINUTE = 2
    settings.PORTAL_TRUSTED_PROXY_COUNT = proxies
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    for _ in range(2):
        assert first.get("/verify/does-not-exist/").status_code != 429
    assert first.get("/verify/does-not-exist/").status_code == 429
    # With no trusted proxy the header is the client's word: both share the proxy's (direct) address.
    assert (second.get("/verify/does-not-exist/").status_code == 429) is (proxies == 0)
