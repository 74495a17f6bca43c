"""The coordinator fills places (docs/journeys.md, "filling three places"; issue #20): a vacancy, eight candidates
at an information session, two selection rounds, three referred to VDAB, two advices, one hire whose dossier
shows the contract and the advice without retyping, and the others' drop-out reasons; the manager then sees the
lead time and the funnel. On a laptop and on a phone."""

import datetime

import pytest
from django.utils import timezone

from inflow.models import Application, Stage
from tests.e2e.conftest import log_in
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory
from throughflow.models import Exit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = [("Tesfay", "Haile"), ("Lotte", "Peeters"), ("Jamal", "El Idrissi"), ("Oksana", "Kowalski"),
         ("Dirk", "Maes"), ("Samira", "Boukhari"), ("Wout", "Claes"), ("Fatma", "Yilmaz")]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _insz(birth, seq):
    base = f"{birth:%y%m%d}{seq:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def _submit(page):
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _row_action(page, name, action):
    page.locator("main a", has_text=f"{action}: {name}").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_coordinator_fills_a_place_and_the_manager_sees_the_lead_time(browser, live_server, screenshot, size):
    today = timezone.localdate()
    d = lambda n: (today - datetime.timedelta(days=n)).strftime("%d/%m/%Y")  # noqa: E731
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org",
                                    user__first_name="Koen", user__last_name="De Smet")
    MembershipFactory(organisation=org, role="coach", user__email="sara@example.org", user__first_name="Sara",
                      user__last_name="Verstraete")
    manager = MembershipFactory(organisation=org, role="manager", user__email="els@example.org")

    context = browser.new_context(viewport=VIEWPORTS[size], locale="nl-BE", is_mobile=size == "phone")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, coordinator.user.email)
    base = f"{page.base}/stroom"

    page.goto(f"{base}/inflow/")
    page.click("text=Nieuwe vacature")
    page.fill("#id_title", "Fietshersteller")
    page.select_option("#id_activity", label="Fietspunt Dampoort")
    page.fill("#id_places", "3")
    page.fill("#id_weekly_hours", "30,4")
    page.fill("#id_opens_on", d(70))
    page.fill("#id_closes_on", d(75))  # before the opening: refused, nothing typed lost
    _submit(page)
    assert page.input_value("#id_title") == "Fietshersteller"
    page.fill("#id_closes_on", d(20))
    _submit(page)
    assert "De vacature is geopend" in page.content()
    vacancy_url = page.url

    for first, last in NAMES:
        page.click("text=Nieuwe kandidaat")
        page.fill("#id_first_name", first)
        page.fill("#id_last_name", last)
        page.select_option("#id_referrer", "ocmw" if first == "Lotte" else "vdab")
        page.fill("#id_applied_on", d(68))
        _submit(page)
    assert page.locator("main table tbody tr").count() == 8

    page.click("text=Sessie plannen")
    page.fill("#id_date", d(60))
    page.fill("#id_location", "Fietspunt, zaal 1")
    _submit(page)
    page.click("a:has-text('Aanwezigheid')")
    for first, last in NAMES:
        page.get_by_label(f"{first} {last}", exact=True).check()
    _submit(page)
    assert "8 van 8 aanwezig" in page.content()

    for k, (name, passed) in enumerate([("Gesprek", 8), ("Praktijkproef", 5)]):
        page.click("text=Ronde registreren")
        page.fill("#id_name", name)
        page.fill("#id_date", d(55 - 3 * k))
        page.fill("#id_criteria", "Motivatie en technisch gevoel")
        for i, (first, last) in enumerate(NAMES):
            page.get_by_label(f"{first} {last}", exact=True).select_option("passed" if i < passed else "not_passed")
        _submit(page)
    page.click("a:has-text('Rangschikking')")
    page.fill("#id_ranked_on", d(52))
    for i, (first, last) in enumerate(NAMES[:5]):
        page.get_by_label(f"{first} {last}", exact=True).fill(str(i + 1))
    _submit(page)
    assert "De rangschikking is bewaard" in page.content()

    for i, (first, last) in enumerate(NAMES[:3]):
        _row_action(page, f"{first} {last}", "Doorverwijzen naar VDAB")
        page.fill("#id_referred_on", d(50))
        page.fill("#id_insz", _insz(datetime.date(1990, 5, 10 + i), 11 + 2 * i))
        _submit(page)
        assert "De doorverwijzing is geregistreerd" in page.content()
    for first, last in NAMES[:2]:
        _row_action(page, f"{first} {last}", "Advies registreren")
        page.select_option("#id_type", "imw_attestation")
        page.fill("#id_decision_date", d(19))
        page.fill("#id_wage_premium_percent", "40")
        page.select_option("#id_destination", "imw")
        _submit(page)
        assert "Het advies is geregistreerd" in page.content()
    screenshot(page, f"inflow-vacancy-{size}")

    _row_action(page, "Tesfay Haile", "Aanwerven")
    assert page.input_value("#id_regime") == "IMW_5Y"  # proposed from the advice
    page.fill("#id_contract_start", d(16))
    page.select_option("#id_coach", label="Sara Verstraete")
    _submit(page)
    assert "Aangeworven" in page.content() and "Tesfay Haile" in page.content()
    assert "Fietspunt Dampoort" in page.content()  # the contract
    screenshot(page, f"inflow-hired-dossier-{size}")
    page.goto(page.url.rstrip("/") + "/indication/")
    assert "IMW-attest arbeidsbeperking" in page.content() and d(50) in page.content()  # the advice, its referral

    page.goto(vacancy_url)
    for (first, last), reason in [(NAMES[1], "other_work"), (NAMES[2], "not_eligible"), (NAMES[3], "unreachable"),
                                  (NAMES[4], "withdrew")]:
        _row_action(page, f"{first} {last}", "Uitval")
        page.select_option("#id_reason", reason)
        _submit(page)
    stages = dict(Application.objects.values_list("candidate__first_name", "stage"))
    assert list(stages.values()).count(Stage.DROPPED) == 7 and stages["Tesfay"] == Stage.HIRED
    assert not Exit.objects.exists()
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[size], locale="nl-BE", is_mobile=size == "phone")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, manager.user.email)
    page.goto(f"{page.base}/stroom/reports/dashboard/")
    panel = page.locator(".card", has_text="Doorlooptijd van sollicitatie tot contract").first
    assert "52 dagen" in panel.inner_text() and "waarvan 31 dagen wachten op VDAB" in panel.inner_text()
    screenshot(page, f"inflow-manager-dashboard-{size}")
    page.goto(f"{page.base}/stroom/inflow/?status=all")
    assert "Fietshersteller" in page.content()
    screenshot(page, f"inflow-board-{size}")
    context.close()
    assert errors == []
