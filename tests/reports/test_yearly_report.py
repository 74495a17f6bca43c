import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lde_portal.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_yearly_report_is_a_pdf_with_the_key_figures(personas, client):
    client.force_login(personas.manager.user)
    response = client.get(reverse("reports:yearly_report", kwargs={"org_slug": personas.org.slug}), {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2025" in text and personas.org.name in text
    assert "Werknemers en VTE per activiteit" in text or "Workers and FTE by activity" in text
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="yearly_report", object_id="2025").exists()


@pytest.mark.parametrize("year", ["1999", "3000", "abc"])
def test_yearly_report_rejects_impossible_years(personas, client, year):
    client.force_login(personas.manager.user)
    url = reverse("reports:yearly_report", kwargs={"org_slug": personas.org.slug})
    assert client.get(url, {"year": year}).status_code == 404


def test_another_organisations_manager_cannot_get_the_yearly_report(personas, client):
    client.force_login(personas.outsider.user)
    url = reverse("reports:yearly_report", kwargs={"org_slug": personas.org.slug})
    assert client.get(url, {"year": "2025"}).status_code == 404


def test_yearly_report_prints_long_activity_names_whole(personas, client):
    import datetime

    from tests.factories import ActivityFactory, EmploymentFactory, WorkerFactory

    long_name = "Sociaal restaurant De Keuken van Morgen"
    worker = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=worker, activity=ActivityFactory(organisation=personas.org, name=long_name),
                      contract_start=datetime.date(2025, 2, 3))
    client.force_login(personas.manager.user)
    response = client.get(reverse("reports:yearly_report", kwargs={"org_slug": personas.org.slug}), {"year": "2025"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert long_name in " ".join(text.split()) and "…" not in text
