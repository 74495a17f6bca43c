"""Issue #11: every upload goes through the platform's check (lde_portal.uploads.validate_upload), so a PDF
with a script, a launch action or an embedded file is refused in the POP and trajectory forms too, with the
message at the field and nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pop.models import Training, YearlyReview
from tests.pop.helpers import ensure_catalogue, make_version
from trajects import services
from trajects.models import Extension

pytestmark = pytest.mark.django_db
ACTIVE = [b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
          b"%PDF-1.4\n<< /S /Launch /F (cmd.exe) >>", b"%PDF-1.4\n<< /Type /EmbeddedFile >>"]
MESSAGE = "scripts of ingebedde bestanden"


def _url(p, name, **kwargs):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kwargs})


@pytest.mark.parametrize("content", ACTIVE)
def test_extension_document(personas, login, content):
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="LDE",
                                           start=datetime.date(2023, 3, 1))
    response = login(personas.coordinator).post(_url(personas, "trajects:extension_add", pk=personas.worker.pk), {
        "version": trajectory.version, "reason": "ILLNESS", "months": "3", "decision_date": "06/01/2025", "note": "Besluit VDAB",
        "document": SimpleUploadedFile("besluit.pdf", content, content_type="application/pdf")})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert "Besluit VDAB" in response.content.decode() and not Extension.objects.exists()


@pytest.mark.parametrize("content", ACTIVE)
def test_signed_review_printout(personas, login, content):
    ensure_catalogue()
    version = make_version(personas.worker)
    response = login(personas.coach).post(
        _url(personas, "pop:review_edit", pk=personas.worker.pk, version_pk=version.pk),
        {"date": "20/11/2026", "participants": "Jamal, Sara", "upload": SimpleUploadedFile("scan.pdf", content)})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not YearlyReview.objects.exists()


def test_training_certificate(personas, login):
    response = login(personas.coordinator).post(_url(personas, "pop:training_add"), {
        "course": "VCA", "provider": "Syntra", "provider_type": "external", "hours": "8", "cost": "10",
        "start_date": "01/10/2026", "participants": [personas.worker.pk],
        "certificate_upload": SimpleUploadedFile("c.pdf", ACTIVE[0])})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Training.objects.exists()
