"""Passwords are stored with Argon2id; a hash from before (Django's PBKDF2) still opens the account and is
replaced by an Argon2 one at that login (settings.PASSWORD_HASHERS)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from lde_portal import settings as portal_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def real_hashers(settings):
    # tests/conftest.py swaps in the fast MD5 hasher for every other test.
    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS


def test_new_passwords_are_argon2(real_hashers):
    assert portal_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password(PASSWORD).startswith("argon2$argon2id$")


def test_a_pbkdf2_user_still_logs_in_and_is_upgraded_to_argon2(real_hashers):
    user = UserFactory(email="els@stroom.demo")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client = Client()
    response = client.post("/accounts/login/", {"username": "els@stroom.demo", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
    # The upgraded hash keeps working.
    assert Client().post("/accounts/login/", {"username": "els@stroom.demo", "password": PASSWORD}).status_code == 302
