"""Worker — leaving with proof (docs/journeys.md): the coach issues an experience attestation after a preview,
and a future employer checks it on the public page."""

import pytest

from lde_portal.documents.models import IssuedDocument
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_previews_issues_and_employer_verifies(page, screenshot, settings):
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    worker = coached_worker(activity, coach, first_name="Ahmed", last_name="Benali")

    log_in(page, "sara@example.org")
    page.goto(f"{page.base}/stroom/workers/{worker.pk}/")
    page.get_by_role("link", name="Documenten").click()
    page.get_by_role("link", name="Nieuw: Ervaringsbewijs").click()
    page.fill("#id_main_tasks", "Fietsen herstellen\nKlanten helpen")
    page.get_by_role("button", name="Voorbeeld").click()
    assert page.get_by_role("heading", name="Ervaringsbewijs").is_visible()
    assert "Fietsen herstellen" in page.content()
    screenshot(page, "documents-preview")
    page.get_by_role("button", name="Document uitreiken").click()
    page.wait_for_url(f"**/workers/{worker.pk}/documents/")
    document = IssuedDocument.objects.get()
    assert document.number in page.content()
    screenshot(page, "documents-tab")

    page.goto(f"{page.base}/verify/{document.token}/")
    assert page.get_by_text("Geldig", exact=True).is_visible() and "A. B." in page.content()
    assert "Benali" not in page.content()
    screenshot(page, "documents-verify")
