import datetime
import hashlib
import io

import pytest
import time_machine
from pypdf import PdfReader

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.documents import services
from lde_portal.documents.models import DocumentCounter, DocumentSettings, IssuedDocument
from lde_portal.documents.registry import DocumentDataError
from tests.documents.helpers import EXPERIENCE_DATA, REFERENCE_DATA, pdf_text
from tests.factories import EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC))
def test_experience_attestation_pdf_contains_the_facts(personas, named_worker):
    doc = services.document_issue(kind="experience_attestation", worker=named_worker,
                                  membership=personas.coach, data=EXPERIENCE_DATA)
    text = pdf_text(doc.file.read())
    for expected in ["Ervaringsbewijs", "Ahmed Benali", "30/07/1985", "Fietshersteller", "Fietspunt",
                     "sinds 01/01/2024", "30,4", "Banden vervangen", "Remmen afstellen", "Buurtwerk Stroom vzw",
                     "STROOM-2026-000001", doc.check_code, "pagina 1 van 1", personas.coach.user.get_full_name()]:
        assert expected in text, expected
    assert doc.number == "STROOM-2026-000001"
    assert doc.worker_initials == "A. B."


def test_reference_letter_pdf_contains_the_coach_text_escaped(personas, named_worker):
    data = {**REFERENCE_DATA, "text": "Hij is altijd stipt.\n\n<b>Hij werkt graag</b> in team."}
    doc = services.document_issue(kind="reference_letter", worker=named_worker, membership=personas.coach, data=data)
    text = pdf_text(doc.file.read())
    for expected in ["Referentiebrief", "Fietsen Vermeulen", "Hij is altijd stipt.", "<b>Hij werkt graag</b> in team.",
                     "Ahmed Benali", "Fietspunt", "Jobcoach"]:
        assert expected in text, expected


def test_english_on_request(personas, named_worker):
    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data={**EXPERIENCE_DATA, "language": "en"})
    text = pdf_text(doc.file.read())
    assert "Experience attestation" in text and "page 1 of 1" in text and "Main tasks" in text
    assert doc.language == "en"


def test_pdf_embeds_the_dejavu_font(personas, named_worker):
    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data=EXPERIENCE_DATA)
    reader = PdfReader(io.BytesIO(doc.file.read()))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program is in the file, not referenced by name
        assert "LDE-Sans" in descriptor["/FontName"]


def test_issuing_twice_gives_two_numbers_and_reprint_none(personas, named_worker, client):
    first = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                    data=EXPERIENCE_DATA)
    second = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                     data=EXPERIENCE_DATA)
    assert first.number != second.number
    assert second.sequence == first.sequence + 1
    assert first.token != second.token
    client.force_login(personas.coach.user)
    url = f"/stroom/workers/{named_worker.pk}/documents/{first.pk}/pdf/"
    # Files are streamed (lde_portal.uploads.serve_private_file): their content is the joined stream.
    one, two = (b"".join(client.get(url).streaming_content) for _time in range(2))
    assert one == two
    assert hashlib.sha256(one).hexdigest() == first.sha256
    assert IssuedDocument.objects.count() == 2
    assert DocumentCounter.objects.get().last == 2
    assert AuditEntry.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(first.pk)).count() == 2


def test_numbers_restart_per_year_and_are_per_organisation(personas, named_worker):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, 0, tzinfo=datetime.UTC)):
        a = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                    data=EXPERIENCE_DATA)
    with time_machine.travel(datetime.datetime(2027, 1, 1, 12, 0, tzinfo=datetime.UTC)):
        b = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                    data=EXPERIENCE_DATA)
    assert (a.number, b.number) == ("STROOM-2026-000001", "STROOM-2027-000001")
    other = WorkerFactory(organisation=personas.other_org)
    EmploymentFactory(worker=other)
    DocumentSettings.objects.create(organisation=personas.other_org, number_prefix="ELD")
    from lde_portal.accounts.models import Role
    from tests.factories import MembershipFactory
    coach = MembershipFactory(organisation=personas.other_org, role=Role.COORDINATOR)
    c = services.document_issue(kind="experience_attestation", worker=other, membership=coach, data=EXPERIENCE_DATA)
    assert c.number.startswith("ELD-") and c.number.endswith("-000001")


def test_fixed_signatory_from_the_settings(personas, named_worker):
    DocumentSettings.objects.create(organisation=personas.org, signatory_name="Els Van Damme",
                                    signatory_role="Directeur")
    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data=EXPERIENCE_DATA)
    text = pdf_text(doc.file.read())
    assert "Els Van Damme" in text and "Directeur" in text


def test_worker_without_employment_is_refused_and_allocates_no_number(personas):
    worker = WorkerFactory(organisation=personas.org)
    with pytest.raises(DocumentDataError):
        services.document_issue(kind="experience_attestation", worker=worker, membership=personas.coordinator,
                                data=EXPERIENCE_DATA)
    assert not IssuedDocument.objects.exists()
    assert not DocumentCounter.objects.filter(last__gt=0).exists()


def test_file_name_is_random_and_under_documents(personas, named_worker):
    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data=EXPERIENCE_DATA)
    assert doc.file.name.startswith("private/documents/") and doc.number not in doc.file.name
    assert len(doc.token) >= 32  # 24 random bytes, URL-safe


def test_revoke_requires_a_reason_and_happens_once(personas, named_worker):
    from django.core.exceptions import ValidationError

    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data=EXPERIENCE_DATA)
    with pytest.raises(ValidationError):
        services.document_revoke(document=doc, actor=personas.coordinator.user, reason="  ")
    services.document_revoke(document=doc, actor=personas.coordinator.user, reason="Fout in de periode")
    doc.refresh_from_db()
    assert doc.revoked_at and doc.revoked_by == personas.coordinator.user
    with pytest.raises(ValidationError):
        services.document_revoke(document=doc, actor=personas.coordinator.user, reason="nog eens")


def test_long_letter_numbers_every_page(personas, named_worker):
    text = "\n\n".join(f"Alinea {i}: Ahmed werkt nauwkeurig, helpt collega's en houdt het atelier netjes." * 3
                       for i in range(1, 25))
    doc = services.document_issue(kind="reference_letter", worker=named_worker, membership=personas.coach,
                                  data={"text": text, "language": "nl"})
    reader = PdfReader(io.BytesIO(doc.file.read()))
    count = len(reader.pages)
    assert count >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"pagina {number} van {count}" in text and doc.number in text
    assert "Alinea 24" in reader.pages[-1].extract_text()


def test_an_issued_document_cannot_be_changed(personas, named_worker):
    from tests.documents.factories import make_document

    doc = make_document(named_worker, personas.coach.user)
    doc.sha256 = "0" * 64
    with pytest.raises(ValueError, match="immutable"):
        doc.save()
    with pytest.raises(ValueError, match="immutable"):
        doc.save(update_fields=["sha256"])


@time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC))
def test_date_and_year_are_those_of_brussels(personas, named_worker):
    # 23:30 UTC on 31/12 is already 1 January in Brussels: the number and the printed date follow Brussels.
    doc = services.document_issue(kind="experience_attestation", worker=named_worker, membership=personas.coach,
                                  data=EXPERIENCE_DATA)
    assert doc.number == "STROOM-2027-000001"
    assert "Datum: 01/01/2027" in pdf_text(doc.file.read())
