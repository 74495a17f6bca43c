"""One worker from the readiness check to the 1-month aftercare follow-up, in Chromium (issue #6)."""

import datetime
import shutil
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from indication.models import EvaluationRequest
from tests.e2e.conftest import ARTIFACTS, log_in, stroom
from tests.factories import MembershipFactory, coached_worker
from throughflow.models import Determinant, FollowUp, ReadinessCheck, Track
from trajects.rules import add_months

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rule_table")]
SHOTS = "/tmp/shots-tfready"


def _d(day):
    return day.strftime("%d/%m/%Y")


def _shot(page, screenshot, name):
    path = screenshot(page, name)
    try:
        shutil.copy(path, f"{SHOTS}/e2e-{name}.png")
    except OSError:
        pass  # the copy is for looking at locally; the artifact is what CI keeps


def test_readiness_to_the_one_month_followup(page, screenshot):
    today = timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__email="sara@example.org")
    MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    ahmed = coached_worker(activity, coach, hired=ago(800), first_name="Ahmed", last_name="Benali",
                           status_since=ago(800))
    tab = f"{page.base}/stroom/workers/{ahmed.pk}/throughflow/"

    # 1. The readiness check with the worker; the decision requests the VDAB evaluation.
    log_in(page, coach.user.email)
    page.goto(tab)
    page.get_by_role("link", name="Nieuwe klaarheidscheck").click()
    page.fill("#id_date", _d(ago(60)))
    for determinant in Determinant.values:
        page.select_option(f"#id_{determinant}_assessment", "ready")
    page.select_option("#id_mobility_assessment", "attention")
    page.fill("#id_mobility_note", "Geen rijbewijs; fietst 8 km.")
    page.fill("#id_health_note", "Rugklachten onder controle.")
    page.fill("#id_summary", "Ahmed wil naar een fietsenwinkel; klaar voor de VDAB-evaluatie.")
    page.check("#id_decision_0")
    page.fill("#id_planned_visit", _d(ago(52)))
    _shot(page, screenshot, "readiness-form-filled")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "doorstroomevaluatie is bij VDAB aangevraagd" in page.content()
    assert page.locator("#readiness", has_text="wacht op VDAB").is_visible()
    request = EvaluationRequest.objects.get(worker=ahmed)
    assert ReadinessCheck.objects.get().evaluation_request == request and request.requested_on == ago(60)
    _shot(page, screenshot, "readiness-tab")

    # 2. VDAB's favourable decision on the Indicering tab.
    page.get_by_role("link", name="Indicering", exact=True).click()
    page.get_by_role("link", name="Advies of beslissing toevoegen").click()
    page.select_option("#id_type", "throughflow_decision")
    page.fill("#id_decision_date", _d(ago(50)))
    page.select_option("#id_favourable_choice", "yes")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_selector("#track-start-due")

    # 3. The track opens on that decision: its date is locked, the start is within 3 months.
    page.goto(tab)
    page.get_by_role("link", name="Doorstroomtraject openen").click()
    assert page.input_value("#id_decision_date") == _d(ago(50))
    assert page.locator("#id_decision_date").is_disabled()
    page.fill("#id_start", _d(ago(45)))
    page.fill("#id_coach_name", "An Peeters")
    page.fill("#id_coach_organisation", "Jobcoaching Gent")
    _shot(page, screenshot, "track-open-linked")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Het doorstroomtraject is geopend" in page.content()
    assert page.locator("text=geregistreerd in het tabblad Indicering").is_visible()

    # 4. A pause (resume before the pause is refused next to the field), a phase change and hours.
    page.get_by_role("link", name="Traject pauzeren").click()
    page.fill("#id_paused_from", _d(ago(40)))
    page.fill("#id_reason", "Ziekte")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#track-paused").is_visible()
    page.get_by_role("link", name="Traject hervatten").click()
    page.fill("#id_resumed_on", _d(ago(41)))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_resumed_on.is-invalid").is_visible()
    assert "vóór het begin van de pauze" in page.content()
    page.fill("#id_resumed_on", _d(ago(35)))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    # Preparation lasts at most 1 month from the start; the 5 paused days move its last day.
    assert Track.objects.get().phase_due == add_months(ago(45), 1) - datetime.timedelta(days=1) + datetime.timedelta(days=5)
    assert page.locator("#track-pauses", has_text="5 dagen").is_visible()
    page.get_by_role("link", name="Fase wijzigen").click()
    page.select_option("#id_phase", "job_matching")
    page.fill("#id_since", _d(ago(30)))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.get_by_role("link", name="Begeleidingsuren registreren").click()
    page.fill("#id_date", _d(ago(20)))
    page.fill("#id_hours", "3")
    page.fill("#id_note", "Sollicitatiegesprek voorbereid")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "3,00 van 140 uur gebruikt" in page.content()
    _shot(page, screenshot, "track-with-pause")

    # 5. The coordinator records the exit and the 1-month follow-up.
    page.context.clear_cookies()
    log_in(page, "koen@example.org")
    page.goto(tab)
    page.get_by_role("link", name="Uitstroom registreren").click()
    page.fill("#id_date", _d(ago(10)))
    page.select_option("#id_reason", "external")
    page.fill("#id_destination_employer", "Fietsen Claes")
    page.select_option("#id_contract_type", "open_ended")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "De uitstroom is geregistreerd" in page.content()
    # A follow-up is answered from its due date (a month after the exit), not before.
    due = FollowUp.objects.get(worker=ahmed, months=1).due
    assert page.locator("tr", has_text="1 maand").get_by_text("Contact registreren").count() == 0
    with time_machine.travel(datetime.datetime.combine(due, datetime.time(9, 0), tzinfo=BRUSSELS), tick=True):
        page.context.clear_cookies()
        log_in(page, "koen@example.org")
        page.goto(tab)
        page.locator("tr", has_text="1 maand").get_by_text("Contact registreren").click()
        page.fill("#id_done_on", _d(due))
        page.select_option("#id_still_employed", "true")
        page.select_option("#id_same_employer", "true")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "De opvolging is geregistreerd" in page.content()
        assert FollowUp.objects.get(worker=ahmed, months=1).still_employed is True
        # The history stays readable: the readiness check and the paused track are still on the tab.
        assert page.locator("#readiness", has_text="Doorstroomevaluatie bij VDAB aanvragen").is_visible()
        _shot(page, screenshot, "throughflow-after-exit")
    assert ARTIFACTS.exists()
