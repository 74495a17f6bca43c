import hashlib

import pytest
from django.urls import reverse

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.documents.models import DocumentSettings, IssuedDocument
from lde_portal.files.models import FileStatus, GeneratedFile
from tests.documents.factories import make_document
from tests.documents.helpers import pdf_text
from tests.factories import EmploymentFactory, WorkerFactory
from tests.files.factories import batch_file

pytestmark = pytest.mark.django_db


def _tab(p):
    return f"/{p.org.slug}/workers/{p.worker.pk}/documents/"


def test_documents_tab_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coordinator)
    make_document(personas.worker, personas.coach.user)
    client.get(_tab(personas))
    # 6: session, user, memberships, alert bell, worker, documents.
    with django_assert_num_queries(6) as one:
        response = client.get(_tab(personas))
    assert len(response.context["documents"]) == 1
    for i in range(49):
        make_document(personas.worker, (personas.coach if i % 2 else personas.coordinator).user,
                      **({"revoked_at": response.context["documents"][0].issued_at, "revoked_by": personas.coordinator.user,
                          "revocation_reason": "fout"} if i % 3 == 0 else {}))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(_tab(personas))
    assert len(response.context["documents"]) == 50


def test_tab_lists_documents_with_actions_by_role(personas, login):
    doc = make_document(personas.worker, personas.coach.user)
    make_document(personas.foreign_worker, personas.outsider.user)
    html = login(personas.coach).get(_tab(personas)).content.decode()
    assert doc.number in html and "Nieuw: Ervaringsbewijs" in html and "Nieuw: Referentiebrief" in html
    assert "Intrekken" not in html  # revoking is the coordinator's
    html = login(personas.org_admin).get(_tab(personas)).content.decode()
    assert doc.number in html and "Nieuw:" not in html
    html = login(personas.coordinator).get(_tab(personas)).content.decode()
    assert "Intrekken" in html and "geldig" in html


def test_form_preview_issue_flow(personas, login):
    client = login(personas.coach)
    url = f"/{personas.org.slug}/workers/{personas.worker.pk}/documents/new/experience_attestation/"
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["hours_per_week"].value() == personas.employment.weekly_hours
    assert "Medewerker fietspunt" == form.context["form"]["role"].value()
    # Bad input: the message sits next to the field and nothing typed is lost.
    bad = client.post(url, {"role": "Fietshersteller", "main_tasks": "", "hours_per_week": "99", "language": "nl"})
    assert bad.status_code == 200 and "main_tasks" in bad.context["form"].errors
    assert "hours_per_week" in bad.context["form"].errors and "Fietshersteller" in bad.content.decode()
    data = {"role": "Fietshersteller", "main_tasks": "Banden <vervangen>", "hours_per_week": "30,4",
            "language": "nl"}
    preview = client.post(url, {**data, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Fietshersteller" in html and "Banden &lt;vervangen&gt;" in html
    assert "Voorbeeld" in html and 'name="action" value="issue"' in html and 'type="hidden"' in html
    assert not IssuedDocument.objects.exists()
    back = client.post(url, {**data, "action": "edit"})
    assert back.context["form"]["role"].value() == "Fietshersteller" and "Voorbeeld" not in back.content.decode()[:200]
    issued = client.post(url, {**data, "action": "issue"})
    assert issued.status_code == 302 and issued["Location"] == _tab(personas)
    doc = IssuedDocument.objects.get()
    assert doc.issued_by == personas.coach.user and doc.worker_id == personas.worker.pk
    assert "Banden <vervangen>" in pdf_text(doc.file.read())
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(doc.pk)).exists()


def test_issue_without_employment_shows_the_reason(personas, login):
    worker = WorkerFactory(organisation=personas.org)
    client = login(personas.coordinator)
    url = f"/{personas.org.slug}/workers/{worker.pk}/documents/new/reference_letter/"
    response = client.post(url, {"text": "Goed werk.", "language": "nl", "action": "preview"})
    assert "heeft geen tewerkstelling" in response.content.decode()


def test_unknown_kind_is_404(personas, login):
    url = f"/{personas.org.slug}/workers/{personas.worker.pk}/documents/new/nope/"
    assert login(personas.coach).get(url).status_code == 404


def test_download_matches_the_stored_hash(personas, login):
    from lde_portal.documents import services

    doc = services.document_issue(kind="reference_letter", worker=personas.worker, membership=personas.coach,
                                  data={"text": "Goed.", "language": "nl"})
    response = login(personas.coordinator).get(f"{_tab(personas)}{doc.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{doc.number}.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == doc.sha256 and len(content) == doc.size
    assert IssuedDocument.objects.count() == 1


def test_revoke_through_the_page(personas, login):
    doc = make_document(personas.worker, personas.coach.user)
    client = login(personas.coordinator)
    url = f"{_tab(personas)}{doc.pk}/revoke/"
    assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
    assert client.post(url, {"reason": "Verkeerde periode"}).status_code == 302
    doc.refresh_from_db()
    assert doc.revoked_at and doc.revocation_reason == "Verkeerde periode"
    assert "ingetrokken" in client.get(_tab(personas)).content.decode()


def test_attestations_page_runs_a_batch_and_offers_the_zip(personas, login, django_capture_on_commit_callbacks):
    second = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=second, activity=personas.activity)
    client = login(personas.coordinator)
    url = f"/{personas.org.slug}/attestations/"
    page = client.get(url)
    assert page.status_code == 200 and personas.worker.full_name in page.content.decode()
    assert personas.foreign_worker.full_name not in page.content.decode()
    assert "workers" in client.post(url, {"kind": "experience_attestation", "opt-language": "nl"}).context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "experience_attestation", "opt-language": "nl",
                                     "opt-main_tasks": "Onderhoud", "workers": [personas.worker.pk, second.pk]})
    batch = GeneratedFile.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/batches/{batch.pk}/")
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "2 van 2 uitgereikt, 0 mislukt." in html and "hx-trigger" not in html and "ZIP" in html
    full = client.get(response["Location"])
    assert "<nav" in full.content.decode()
    # The one download of generated files (lde_portal.files).
    archive = client.get(reverse("files:download", kwargs={"org_slug": personas.org.slug, "pk": batch.pk}))
    assert archive["Content-Type"] == "application/zip"
    assert hashlib.sha256(b"".join(archive.streaming_content)).hexdigest() == GeneratedFile.objects.get().sha256
    assert str(batch.pk) in client.get(url).content.decode()


def test_running_batch_page_polls(personas, login):
    batch = batch_file(personas.org, personas.coordinator.user, worker_ids=[1, 2], total=2, done=1,
                       status=FileStatus.RUNNING)
    html = login(personas.manager).get(f"/{personas.org.slug}/attestations/batches/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "pct-50" in html


def test_settings_prefix_and_signatory(personas, login):
    client = login(personas.org_admin)
    url = f"/{personas.org.slug}/attestations/settings/"
    assert "number_prefix" in client.post(url, {"number_prefix": "ST ROOM!", "version": 1}).context["form"].errors
    assert client.post(url, {"number_prefix": "bws", "signatory_name": "Els Van Damme",
                             "signatory_role": "Directeur", "version": 1}).status_code == 302
    conf = DocumentSettings.objects.get(organisation=personas.org)
    assert (conf.number_prefix, conf.signatory_name, conf.version) == ("BWS", "Els Van Damme", 2)
    stale = client.post(url, {"number_prefix": "OLD", "signatory_name": "", "signatory_role": "", "version": 1})
    assert stale.status_code == 200 and stale.context["conflicts"]
    assert DocumentSettings.objects.get(organisation=personas.org).number_prefix == "BWS"


def test_attestations_page_accepts_a_preselection(personas, login):
    url = f"/{personas.org.slug}/attestations/?kind=experience_attestation&workers={personas.worker.pk},x&opt-role=Kok"
    response = login(personas.coordinator).get(url)
    assert response.context["form"]["workers"].value() == [str(personas.worker.pk)]
    assert response.context["options"]["role"].value() == "Kok"


def test_attestations_page_query_count_is_fixed(personas, login, django_assert_num_queries):
    from tests.factories import MembershipFactory

    client = login(personas.coordinator)
    url = f"/{personas.org.slug}/attestations/"
    client.get(url)
    with django_assert_num_queries(6) as one:
        client.get(url)
    for _ in range(49):
        w = WorkerFactory(organisation=personas.org)
        batch_file(personas.org, MembershipFactory(organisation=personas.org).user, worker_ids=[w.pk], total=1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["form"].fields["workers"].choices) == 50


def test_files_of_other_capabilities_appear_on_the_tab(personas, login, monkeypatch):
    import datetime

    from lde_portal.documents import registry

    seen = []

    def provider(membership, worker_id):
        seen.append((membership.pk, worker_id))
        return [registry.Attachment(title="Beslissing VDAB", date=datetime.date(2026, 2, 3), url="/x/1/")]

    monkeypatch.setattr(registry, "ATTACHMENT_SOURCES", {})
    registry.register_attachment_source("indication", label="Indicering", provider=provider,
                                        permission="confidential.view")
    html = login(personas.coach).get(_tab(personas)).content.decode()
    assert "Beslissing VDAB" in html and "Indicering · 03/02/2026" in html and 'href="/x/1/"' in html
    assert seen == [(personas.coach.pk, personas.worker.pk)]
    html = login(personas.manager).get(_tab(personas)).content.decode()
    assert "Beslissing VDAB" not in html  # the source's own permission applies
