"""docs/journeys.md, "Worker — leaving with proof", on the coach's phone: the coach records the exit, the
coordinators are told, and six months later (time travel) the coach records the 6-month call, which the
durable throughflow figure then counts."""

import datetime
import zoneinfo

import pytest
import time_machine

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from lde_portal.alerts.selectors import mine
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker
from throughflow import selectors
from throughflow.models import FollowUp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rule_table")]
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


def _at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=BRUSSELS), tick=True)


def test_the_coach_records_the_exit_and_six_months_later_the_follow_up_on_a_phone(phone, screenshot):
    exit_day = D(2027, 3, 12)
    with _at(exit_day):
        org, activity = stroom()
        coach = MembershipFactory(organisation=org, role="coach", user__email="sara@example.org")
        coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
        ahmed = coached_worker(activity, coach, hired=D(2023, 3, 13), first_name="Ahmed", last_name="Benali",
                               status_since=D(2023, 3, 13))

        log_in(phone, coach.user.email)
        phone.goto(f"{phone.base}/stroom/workers/{ahmed.pk}/throughflow/")
        phone.click("text=Uitstroom registreren")
        phone.fill("#id_date", "12/03/2027")
        phone.select_option("#id_reason", "external")
        phone.fill("#id_destination_employer", "Fietsen Vermeulen")
        phone.select_option("#id_contract_type", "open_ended")
        phone.fill("#id_weekly_hours", "30")
        screenshot(phone, "coach-exit-form-phone")
        phone.click("main button[type=submit]")
        phone.wait_for_load_state()
        assert "De uitstroom is geregistreerd" in phone.content()
        # The 6-month call cannot be answered today: the row says from when.
        assert phone.locator("tr", has_text="6 maanden").get_by_text("vanaf 12/09/2027").is_visible()
        screenshot(phone, "coach-exit-recorded-phone")
        told = Alert.objects.get(kind="throughflow_exit_by_coach", worker_id=ahmed.pk)
        assert told.recipients.filter(membership=coordinator).exists()
        assert not told.recipients.filter(membership=coach).exists()

    six_months = D(2027, 9, 12)
    with _at(six_months):
        scan_organisation(organisation=org, today=six_months)
        six = FollowUp.objects.get(worker=ahmed, months=6)
        (alert,) = mine(coach, six_months).filter(subject_key=f"followup:{six.pk}")
        # The session ran out over six months: the coach logs in again and opens the alert's link.
        log_in(phone, coach.user.email)
        phone.goto(phone.base + alert.url)
        assert "Nazorgopvolging na 6 maanden" in phone.content()
        phone.fill("#id_done_on", "12/09/2027")
        phone.select_option("#id_still_employed", "true")
        phone.select_option("#id_same_employer", "true")
        phone.select_option("#id_support_needed", "false")
        phone.fill("#id_note", "Werkt nog bij Fietsen Vermeulen, 30 uur.")
        screenshot(phone, "coach-six-month-followup-phone")
        phone.click("main button[type=submit]")
        phone.wait_for_load_state()
        assert "De opvolging is geregistreerd" in phone.content()
        six.refresh_from_db()
        assert (six.done_on, six.still_employed, six.recorded_by_id) == (six_months, True, coach.user_id)
        assert selectors.throughflow_ratio(org, 2027).total.durable == 1
