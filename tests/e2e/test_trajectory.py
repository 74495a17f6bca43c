import datetime

import pytest

from tests.e2e.conftest import log_in, stroom
from tests.factories import CoachAssignmentFactory, EmploymentFactory, MembershipFactory, WorkerFactory
from trajects.models import Suspension, Trajectory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rule_table")]


def test_coordinator_starts_a_trajectory_adds_a_suspension_and_sees_the_timeline(page, screenshot):
    org, activity = stroom()
    MembershipFactory(organisation=org, role="coordinator", user__first_name="Koen", user__email="koen@example.org")
    worker = WorkerFactory(organisation=org, first_name="Jamal", last_name="Benali")
    EmploymentFactory(worker=worker, activity=activity, contract_start=datetime.date(2021, 3, 1))
    CoachAssignmentFactory(worker=worker, coach=MembershipFactory(organisation=org, role="coach"))

    log_in(page, "koen@example.org")
    page.goto(f"{page.base}/stroom/workers/{worker.pk}/")
    page.get_by_role("link", name="Traject", exact=True).click()
    page.wait_for_url("**/trajectory/")
    assert "Deze werknemer heeft geen lopend traject." in page.content()
    page.get_by_role("link", name="Traject starten").click()
    page.select_option("#id_regime", "LDE")
    assert page.input_value("#id_start") == "01/03/2021"  # prefilled from the contract
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/trajectory/")
    assert "Het traject is gestart." in page.content()
    assert "28/02/2026" in page.content()

    page.get_by_role("link", name="Schorsing toevoegen").click()
    page.select_option("#id_reason", "illness")
    page.fill("#id_start", "10/01/2022")
    page.fill("#id_end", "15/02/2022")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/trajectory/")
    # 37 suspended days move the end from 28/02/2026 to 06/04/2026.
    assert page.get_by_test_id("days-left").inner_text().count("06/04/2026") == 1
    assert page.locator("figure.tl svg.tl-svg").count() >= 4
    assert page.locator(".tl-suspension").count() == 1
    assert page.locator("line.tl-today").count() >= 1
    screenshot(page, "trajectory-tab")

    # An overlapping suspension is refused at the field, the input stays.
    page.get_by_role("link", name="Schorsing toevoegen").click()
    page.select_option("#id_reason", "maternity")
    page.fill("#id_start", "01/02/2022")
    page.fill("#id_end", "30/04/2022")
    page.get_by_role("button", name="Bewaren").click()
    assert "overlapt met de schorsing van 10/01/2022 tot 15/02/2022" in page.content()
    assert page.input_value("#id_start") == "01/02/2022"
    assert Suspension.objects.count() == 1
    assert Trajectory.objects.get().planned_end == datetime.date(2026, 4, 6)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base}/stroom/workers/{worker.pk}/trajectory/")
    assert page.locator(".tl-suspension").is_visible()
    screenshot(page, "trajectory-tab-phone")
