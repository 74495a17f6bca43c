import pytest

from lde_portal.audit.models import AuditAction, AuditEntry
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker

OVERVIEWS = "Overzichten"
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_records_an_advice_and_a_context_problem_manager_sees_only_the_count(page, screenshot):
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    MembershipFactory(organisation=org, role="manager", user__email="els@example.org")
    worker = coached_worker(activity, coach, first_name="Jamal", last_name="Benali")

    log_in(page, "sara@example.org")
    page.goto(f"{page.base}/stroom/workers/{worker.pk}/indication/")
    page.get_by_role("link", name="Advies of beslissing toevoegen").click()
    page.select_option("#id_type", "throughflow_decision")
    page.fill("#id_decision_date", "03/11/2026")
    page.select_option("#id_favourable_choice", "yes")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_selector("#track-start-due")
    assert "03/02/2027" in page.inner_text("#track-start-due")
    screenshot(page, "indication-tab")

    page.get_by_role("link", name="Vertrouwelijk", exact=True).click()
    page.get_by_role("link", name="Toevoegen").click()
    page.select_option("#id_kind", "debts")
    page.fill("#id_description", "Schuldbemiddeling via het CAW")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_selector(".confidential-banner")
    assert "Schuldbemiddeling via het CAW" in page.content()
    page.get_by_role("link", name="+ doorverwijzing").click()
    page.select_option("#id_service", "caw")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_selector(".confidential-banner")
    screenshot(page, "indication-confidential")
    assert AuditEntry.objects.filter(action=AuditAction.READ_CONFIDENTIAL, worker_id=worker.pk).exists()

    page.context.clear_cookies()
    log_in(page, "els@example.org")
    page.get_by_role("button", name=OVERVIEWS).click()
    page.get_by_role("link", name="Indicering", exact=True).click()
    page.wait_for_url("**/stroom/indication/")
    counts = page.inner_text("#confidential-counts")
    assert "1" in counts and "werknemer met een lopende doorverwijzing" in counts
    assert "Schuldbemiddeling" not in page.content()
    response = page.goto(f"{page.base}/stroom/workers/{worker.pk}/confidential/")
    assert response.status == 403
