import datetime

import pytest
from django.utils import timezone

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rule_table")]


def test_coordinator_records_an_exit_and_the_one_month_followup(page, screenshot):
    today = timezone.localdate()
    exit_day = today - datetime.timedelta(days=40)
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__email="sara@example.org")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    hired = today - datetime.timedelta(days=800)
    ahmed = coached_worker(activity, coach, hired=hired, first_name="Ahmed", last_name="Benali", status_since=hired)

    log_in(page, coordinator.user.email)
    page.goto(f"{page.base}/stroom/workers/{ahmed.pk}/throughflow/")
    page.click("text=Uitstroom registreren")
    # First a date in the future: refused next to the field, input kept.
    page.fill("#id_date", (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y"))
    page.select_option("#id_reason", "external")
    page.fill("#id_destination_employer", "Bakkerij Peeters")
    page.click("main button[type=submit]")
    assert page.locator("text=kan niet in de toekomst liggen").is_visible()
    assert page.input_value("#id_destination_employer") == "Bakkerij Peeters"
    page.fill("#id_date", exit_day.strftime("%d/%m/%Y"))
    page.select_option("#id_contract_type", "open_ended")
    page.fill("#id_weekly_hours", "30")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De uitstroom is geregistreerd" in page.content()
    assert page.locator(".badge", has_text="Uitgestroomd").is_visible()
    screenshot(page, "throughflow-exit")

    scan_organisation(organisation=org, today=today)
    assert set(Alert.objects.filter(state="open", worker_id=ahmed.pk).values_list("kind", flat=True)) == {
        "aftercare_followup"}

    page.locator("tr", has_text="1 maand").get_by_text("Contact registreren").click()
    page.fill("#id_done_on", today.strftime("%d/%m/%Y"))
    page.select_option("#id_still_employed", "true")
    page.select_option("#id_same_employer", "true")
    page.select_option("#id_support_needed", "false")
    page.fill("#id_note", "Werkt graag in de bakkerij.")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De opvolging is geregistreerd" in page.content()
    assert page.locator("text=Werkt graag in de bakkerij.").is_visible()
    screenshot(page, "throughflow-followup")

    scan_organisation(organisation=org, today=today)
    assert not Alert.objects.filter(state="open", worker_id=ahmed.pk).exists()

    # The coach whose assignment ended no longer sees Ahmed.
    page.context.clear_cookies()
    log_in(page, coach.user.email)
    response = page.goto(f"{page.base}/stroom/workers/{ahmed.pk}/throughflow/")
    assert response.status == 404
