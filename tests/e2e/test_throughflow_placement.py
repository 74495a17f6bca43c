"""A coach walks the job hunt of one worker: job target, an internship (with a bad date first), the
handover notes, the worker's consent and the handover summary for the next employer."""

import datetime

import pytest
from django.utils import timezone

from lde_portal.documents.models import IssuedDocument
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker
from throughflow import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_records_the_job_hunt_and_issues_the_handover_summary(page, screenshot):
    today = timezone.localdate()
    d = lambda n: (today - datetime.timedelta(days=n)).strftime("%d/%m/%Y")  # noqa: E731
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__email="sara@example.org")
    ahmed = coached_worker(activity, coach, hired=today - datetime.timedelta(days=800), first_name="Ahmed",
                           last_name="Benali")
    services.employer_create(organisation=org, actor=None, data={"name": "Fietsen Vermeulen"})

    log_in(page, coach.user.email)
    page.goto(f"{page.base}/stroom/workers/{ahmed.pk}/throughflow/")
    page.click("text=Jobdoelwit vastleggen")
    page.fill("#id_occupation", "Fietshersteller")
    page.fill("#id_weekly_hours", "30,5")
    page.fill("#id_region", "Gent")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Het jobdoelwit is bewaard" in page.content() and "Fietshersteller" in page.content()

    page.click("text=Nieuwe stage")
    page.select_option("#id_employer", label="Fietsen Vermeulen")
    page.fill("#id_start", d(40))
    page.fill("#id_end", d(41))
    page.fill("#id_tasks", "Banden plakken")
    page.fill("#id_weekly_hours", "30")
    page.click("main button[type=submit]")
    assert page.locator("text=Het einde kan niet vóór het begin liggen").is_visible()
    assert page.input_value("#id_tasks") == "Banden plakken"
    page.fill("#id_end", d(5))
    page.select_option("#id_result", "job_offered")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De stage is bewaard" in page.content()
    assert page.locator("text=De stagefase eindigt met een aanpassing van het POP").is_visible()

    page.click("text=Notities schrijven voor de nieuwe werkgever")
    page.fill("#id_support_tips", "Een vaste collega als aanspreekpunt")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("text=Overdrachtsfiche maken").count() == 0  # no consent yet

    page.click("text=Toestemming registreren")
    page.select_option("#id_employer", label="Fietsen Vermeulen")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De toestemming is geregistreerd" in page.content()
    screenshot(page, "throughflow-placement")

    page.click("text=Overdrachtsfiche maken")
    page.click("main button[type=submit]")  # preview
    page.wait_for_load_state()
    assert "Een vaste collega als aanspreekpunt" in page.content() and "Banden plakken" in page.content()
    page.get_by_role("button", name="Document uitreiken").click()
    page.wait_for_load_state()
    doc = IssuedDocument.objects.get(kind="handover_summary")
    assert doc.number in page.content()

    page.goto(f"{page.base}/stroom/workers/{ahmed.pk}/throughflow/")
    page.click("text=Intrekken")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De toestemming is ingetrokken" in page.content()
    assert page.locator("text=Overdrachtsfiche maken").count() == 0
