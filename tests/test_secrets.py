"""No production run on a secret published in the repository, and pseudonyms keyed with their own secret
(issue #24, finding 4: with the demo key a pseudonymised INSZ was brute-forced in 1.3 s)."""

import hashlib
import hmac
import secrets

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lde_portal.checks import DEMO_PSEUDONYM_KEY, DEMO_SECRET_KEY, refuse_known_secrets
from trajects.privacy import insz_stub

STRONG_SECRET = secrets.token_urlsafe(60)
STRONG_PSEUDONYM_KEY = secrets.token_urlsafe(48)


def ids(**kwargs):
    return sorted(e.id for e in run_checks(**kwargs) if e.id.startswith("lde_portal."))


@pytest.mark.parametrize("debug, secret_key, pseudonym_key, expected", [
    # production on the demo keys (what a fresh .env without these two lines gave)
    (False, DEMO_SECRET_KEY, DEMO_PSEUDONYM_KEY, ["lde_portal.E001", "lde_portal.E002"]),
    (False, DEMO_SECRET_KEY, STRONG_PSEUDONYM_KEY, ["lde_portal.E001"]),
    # a proper SECRET_KEY but no separate pseudonym key
    (False, STRONG_SECRET, DEMO_PSEUDONYM_KEY, ["lde_portal.E002"]),
    (False, STRONG_SECRET, "", ["lde_portal.E002"]),
    (False, STRONG_SECRET, "x" * 31, ["lde_portal.E003"]),
    (False, STRONG_SECRET, STRONG_SECRET, ["lde_portal.E004"]),
    # proper values
    (False, STRONG_SECRET, "x" * 32, []),
    (False, STRONG_SECRET, STRONG_PSEUDONYM_KEY, []),
    # the local demo (make demo sets DEBUG=true) runs on the demo keys
    (True, DEMO_SECRET_KEY, DEMO_PSEUDONYM_KEY, []),
])
def test_the_secrets_check_refuses_demo_missing_short_or_shared_keys(settings, debug, secret_key, pseudonym_key,
                                                                     expected):
    settings.DEBUG, settings.SECRET_KEY, settings.PORTAL_PSEUDONYM_KEY = debug, secret_key, pseudonym_key
    assert ids() == expected
    if expected:
        with pytest.raises(ImproperlyConfigured, match="Refusing to start"):
            refuse_known_secrets()
    else:
        refuse_known_secrets()


def test_the_values_of_env_example_are_refused(settings):
    """Copying .env.example without filling in the secrets must not give a running portal."""
    from tests.test_infrastructure import ROOT

    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    assert {"SECRET_KEY", "PORTAL_PSEUDONYM_KEY"} <= set(values)
    settings.DEBUG = values["DEBUG"] == "true"
    settings.SECRET_KEY = values["SECRET_KEY"]
    settings.PORTAL_PSEUDONYM_KEY = values["PORTAL_PSEUDONYM_KEY"]
    assert ids() == ["lde_portal.E001", "lde_portal.E002"]


def test_check_deploy_reports_the_demo_keys_even_with_debug_on(settings):
    settings.DEBUG = True
    assert ids(include_deployment_checks=True) == ["lde_portal.E001", "lde_portal.E002"]
    settings.DEBUG = False  # reported once, not by both the ordinary and the deploy check
    assert ids(include_deployment_checks=True) == ["lde_portal.E001", "lde_portal.E002"]
    settings.SECRET_KEY, settings.PORTAL_PSEUDONYM_KEY = STRONG_SECRET, STRONG_PSEUDONYM_KEY
    assert ids(include_deployment_checks=True) == []


def test_commands_that_run_the_checks_stop_on_the_demo_key(settings, db):
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="lde_portal.E001"):
        call_command("check")
    with pytest.raises(SystemCheckError, match="lde_portal.E002"):
        call_command("migrate", "--check", skip_checks=False)


def test_gunicorn_and_celery_refuse_to_start_on_the_demo_key(settings):
    from celery.signals import beat_init, celeryd_init

    settings.DEBUG = False
    for signal in (celeryd_init, beat_init):
        with pytest.raises(SystemExit, match="Refusing to start"):
            signal.send(sender=None)
    settings.SECRET_KEY, settings.PORTAL_PSEUDONYM_KEY = STRONG_SECRET, STRONG_PSEUDONYM_KEY
    for signal in (celeryd_init, beat_init):
        signal.send(sender=None)


def test_a_pseudonym_is_an_hmac_under_the_pseudonym_key_only(settings, personas):
    worker = personas.worker
    settings.PORTAL_PSEUDONYM_KEY = STRONG_PSEUDONYM_KEY
    stub = insz_stub(worker)
    expected = hmac.new(STRONG_PSEUDONYM_KEY.encode(), f"{worker.pk}:{worker.insz}".encode(), hashlib.sha256)
    assert stub == "X" + expected.hexdigest()[:9]
    # The same INSZ under another key is another stub, and SECRET_KEY plays no part: knowing the published
    # demo keys (or SECRET_KEY) does not let anyone recompute it.
    settings.PORTAL_PSEUDONYM_KEY = secrets.token_urlsafe(48)
    assert insz_stub(worker) != stub
    settings.PORTAL_PSEUDONYM_KEY = STRONG_PSEUDONYM_KEY
    settings.SECRET_KEY = STRONG_SECRET
    assert insz_stub(worker) == stub
    for known in (DEMO_PSEUDONYM_KEY, DEMO_SECRET_KEY, STRONG_SECRET):
        settings.PORTAL_PSEUDONYM_KEY = known
        assert insz_stub(worker) != stub
