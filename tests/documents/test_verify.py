"""The public check page: only the listed fields, "onbekend" for anything made up, rate-limited."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from lde_portal.documents import services
from tests.documents.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def document(personas):
    w = personas.worker
    w.first_name, w.last_name, w.street, w.phone = "Ahmed", "Benali", "Kerkstraat 12", "0470 12 34 56"
    w.save()
    return make_document(w, personas.coordinator.user)


def _main(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html.split('id="main"', 1)[1])


def test_token_page_shows_only_the_listed_fields(client, document, personas):
    response = client.get(f"/verify/{document.token}/")
    assert response.status_code == 200
    text = " ".join(_main(response).split())
    assert "Geldig" in text and "Ervaringsbewijs" in text and "A. B." in text
    assert personas.org.name in text and timezone.localtime(document.issued_at).strftime("%d/%m/%Y") in text
    for secret in ["Ahmed", "Benali", "Kerkstraat", "0470", document.number, document.check_code,
                   personas.coordinator.user.last_name, personas.worker.insz]:
        assert secret not in text, secret
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_revoked_document_answers_ingetrokken_with_the_date(client, document, personas):
    services.document_revoke(document=document, actor=personas.coordinator.user, reason="Fout: verkeerde periode")
    text = _main(client.get(f"/verify/{document.token}/"))
    assert "Ingetrokken op" in text and timezone.localdate().strftime("%d/%m/%Y") in text
    assert "Geldig" not in text and "verkeerde periode" not in text


@pytest.mark.parametrize("token", ["made-up-token", "A" * 32, "x" * 80])
def test_made_up_token_is_onbekend(client, document, token):
    text = _main(client.get(f"/verify/{token}/"))
    assert "Onbekend" in text and "Ervaringsbewijs" not in text


def test_number_and_code_lookup(client, document):
    text = _main(client.post("/verify/", {"number": document.number.lower(), "code": document.check_code.lower()}))
    assert "Geldig" in text and "A. B." in text


@pytest.mark.parametrize("change", ["wrong_code", "altered_number", "made_up", "code_of_other"])
def test_altered_or_made_up_number_is_onbekend_and_indistinguishable(client, document, personas, change):
    other = make_document(personas.worker, personas.coordinator.user, check_code="ZZZZZZ")
    number, code = {
        "wrong_code": (document.number, "QQQQQQ"),
        "altered_number": (document.number[:-1] + str((int(document.number[-1]) + 1) % 10), document.check_code),
        "made_up": ("STROOM-2026-123456", "ABCDEF"),
        "code_of_other": (document.number, other.check_code),
    }[change]
    response = client.post("/verify/", {"number": number, "code": code})
    text = _main(response)
    assert "Onbekend" in text and "Geldig" not in text and "Ervaringsbewijs" not in text
    # The same answer whether the number exists or not: nothing tells an existing number apart.
    baseline = _main(client.post("/verify/", {"number": "NOPE-1900-000000", "code": code}))
    assert " ".join(text.replace(number, "").split()) == " ".join(baseline.replace("NOPE-1900-000000", "").split())


# Frozen clock: the limit counts per wall-clock minute, and a minute ending mid-test would reset it.
@time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
def test_lookups_are_rate_limited_per_ip(client, document, settings):
    settings.DOCUMENTS_VERIFY_RATE_PER_MINUTE = 5
    for _ in range(5):
        assert client.get(f"/verify/{document.token}/").status_code == 200
    blocked = client.get(f"/verify/{document.token}/")
    assert blocked.status_code == 429 and "Geldig" not in blocked.content.decode()
    assert client.post("/verify/", {"number": document.number, "code": document.check_code}).status_code == 429
    other_ip = client.get(f"/verify/{document.token}/", REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 200


def test_empty_form_is_shown_without_lookup(client):
    response = client.get("/verify/")
    assert response.status_code == 200 and "Onbekend" not in response.content.decode()
    invalid = client.post("/verify/", {"number": "", "code": "12"})
    assert invalid.status_code == 200 and "Onbekend" not in invalid.content.decode()


def test_the_limit_resets_the_next_minute(client, document, settings):
    settings.DOCUMENTS_VERIFY_RATE_PER_MINUTE = 2
    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, 50, tzinfo=datetime.UTC), tick=False):
        for _ in range(2):
            client.get(f"/verify/{document.token}/")
        assert client.get(f"/verify/{document.token}/").status_code == 429
    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 1, 1, tzinfo=datetime.UTC), tick=False):
        assert client.get(f"/verify/{document.token}/").status_code == 200
