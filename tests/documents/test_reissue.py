"""A wrong attestation is revoked with a reason and re-issued under a new number; the check page names the
new number for the old one ("vervangen door"), a revoked one without replacement says "ingetrokken". The
experience attestation's period runs from the first contract start to the exit."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lde_portal.audit.models import AuditEntry
from lde_portal.documents import services
from lde_portal.documents.models import IssuedDocument
from tests.documents.helpers import EXPERIENCE_DATA, pdf_text
from tests.factories import EmploymentFactory
from throughflow import services as throughflow_services

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _travel(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10, 0)), tick=False)


def _main(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode().split('id="main"', 1)[1]).split())


def _issue(personas, membership=None, **extra):
    return services.document_issue(kind="experience_attestation", worker=personas.worker,
                                   membership=membership or personas.coordinator, data=EXPERIENCE_DATA, **extra)


# The period printed: from the first contract start to the last contract end, the exit date after an exit,
# even on the exit day itself; open ("still working here", "– today") only while a contract runs on.
@pytest.mark.parametrize(("contracts", "exit_day", "issued_on", "expected", "not_expected"), [
    # issue 16: Ahmed leaves on 12/03/2027 and gets his attestation the same day.
    ([(D(2023, 3, 13), None)], D(2027, 3, 12), D(2027, 3, 12), "van 13/03/2023 tot 12/03/2027",
     "werkt hier nog"),
    ([(D(2023, 3, 13), None)], D(2027, 3, 12), D(2027, 5, 2), "van 13/03/2023 tot 12/03/2027", "werkt hier nog"),
    # Two contracts, the exit ends the second: start of the first → exit.
    ([(D(2022, 1, 3), D(2023, 12, 31)), (D(2024, 1, 1), None)], D(2024, 2, 29), D(2024, 2, 29),
     "van 03/01/2022 tot 29/02/2024", "vandaag"),
    # No exit: a fixed-term contract that ends today has ended today; one that runs on is still open.
    ([(D(2024, 1, 1), D(2026, 6, 30))], None, D(2026, 6, 30), "van 01/01/2024 tot 30/06/2026", "werkt hier nog"),
    ([(D(2024, 1, 1), D(2026, 6, 30))], None, D(2026, 6, 29), "sinds 01/01/2024", "tot 30/06/2026"),
    ([(D(2024, 1, 1), None)], None, D(2026, 6, 29), "sinds 01/01/2024 (werkt hier nog)", "tot"),
])
def test_experience_attestation_period_comes_from_the_contract_and_the_exit(personas, contracts, exit_day,
                                                                         issued_on, expected, not_expected):
    personas.employment.delete()
    for start, end in contracts:
        EmploymentFactory(worker=personas.worker, activity=personas.activity, contract_start=start,
                          contract_end=end)
    personas.assignment.start = contracts[0][0]
    personas.assignment.save()
    if exit_day:
        throughflow_services.exit_record(worker=personas.worker, actor=None, today=exit_day,
                                         data={"date": exit_day, "reason": "external", "destination_employer": "X"})
    with _travel(issued_on):
        doc = _issue(personas)
    text = " ".join(pdf_text(doc.file.read()).split())
    assert expected in text
    assert not_expected not in text


def test_revoke_and_reissue_gives_a_new_number_and_the_check_page_names_it(client, personas, login):
    old = _issue(personas)
    coordinator = login(personas.coordinator)
    kwargs = {"org_slug": personas.org.slug, "pk": personas.worker.pk, "doc_pk": old.pk}
    response = coordinator.post(reverse("documents:revoke", kwargs=kwargs),
                                {"reason": "Verkeerde periode", "then": "reissue"})
    assert response.status_code == 302 and response.url == reverse("documents:reissue", kwargs=kwargs)
    form = coordinator.get(response.url).content.decode()
    assert f"vervangt het ingetrokken document {old.number}" in form
    data = {"role": "Fietshersteller", "main_tasks": "Banden vervangen", "hours_per_week": "30", "language": "nl"}
    preview = coordinator.post(response.url, {**data, "action": "preview"})
    assert preview.status_code == 200
    assert coordinator.post(response.url, {**data, "action": "issue"}).status_code == 302
    old.refresh_from_db()
    new = old.replaced_by
    assert new is not None and new.number != old.number and new.kind == old.kind
    assert old.revocation_reason == "Verkeerde periode"
    assert AuditEntry.objects.filter(object_id=str(old.pk), summary=f"{old.number} → {new.number}").exists()
    tab = coordinator.get(reverse("documents:worker_documents", kwargs={"org_slug": personas.org.slug,
                                                                        "pk": personas.worker.pk})).content.decode()
    assert f"vervangen door {new.number}" in tab

    client.logout()
    old_page = _main(client.get(f"/verify/{old.token}/"))
    assert f"Vervangen door {new.number}" in old_page
    assert "Geldig" not in old_page and "Verkeerde periode" not in old_page and "Ahmed" not in old_page
    new_page = _main(client.get(f"/verify/{new.token}/"))
    assert "Geldig" in new_page and "Vervangen" not in new_page and old.number not in new_page
    # Typing the old number and code gives the same answer as the QR code.
    by_number = _main(client.post(reverse("verify:form"), {"number": old.number, "code": old.check_code}))
    assert f"Vervangen door {new.number}" in by_number


def test_revoked_without_replacement_says_ingetrokken(client, personas):
    old = _issue(personas)
    services.document_revoke(document=old, actor=personas.coordinator.user, reason="Dubbel uitgereikt")
    page = _main(client.get(f"/verify/{old.token}/"))
    assert "Ingetrokken op" in page and "Vervangen" not in page and "Dubbel" not in page


def test_only_a_revoked_document_not_yet_replaced_can_be_reissued(personas, login):
    valid = _issue(personas)
    with pytest.raises(ValidationError):
        _issue(personas, replaces=valid)
    services.document_revoke(document=valid, actor=personas.coordinator.user, reason="Fout")
    replacement = _issue(personas, replaces=valid)
    with pytest.raises(ValidationError):
        _issue(personas, replaces=valid)
    assert IssuedDocument.objects.get(pk=valid.pk).replaced_by == replacement
    client = login(personas.coordinator)
    url = reverse("documents:reissue", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                               "doc_pk": valid.pk})
    assert client.get(url).status_code == 404  # already replaced
    url = reverse("documents:reissue", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                               "doc_pk": replacement.pk})
    assert client.get(url).status_code == 404  # not revoked


def test_a_coach_cannot_reissue(personas, login):
    old = _issue(personas)
    services.document_revoke(document=old, actor=personas.coordinator.user, reason="Fout")
    with pytest.raises(PermissionDenied):
        _issue(personas, membership=personas.coach, replaces=old)
    url = reverse("documents:reissue", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                               "doc_pk": old.pk})
    assert login(personas.coach).get(url).status_code == 403
    assert IssuedDocument.objects.get(pk=old.pk).replaced_by is None
