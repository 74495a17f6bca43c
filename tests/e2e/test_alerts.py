import datetime

import pytest
from django.utils import timezone

from lde_portal.alerts.registry import register_provider, unregister_provider
from lde_portal.alerts.scan import scan_organisation
from tests.alerts.conftest import contract_end_provider
from tests.e2e.conftest import log_in, stroom
from tests.factories import (
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkerFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def providers():
    # Only the fake provider: the domain apps' real ones (pop) would raise alerts for this data too.
    from lde_portal.alerts.registry import PROVIDERS

    saved = dict(PROVIDERS)
    PROVIDERS.clear()
    register_provider("e2e_contract_end", lambda o, t, s: contract_end_provider(o, t, s, kind="e2e_contract_end"),
                      label="Einde contract", lead_times=(60, 14))
    yield
    unregister_provider("e2e_contract_end")
    PROVIDERS.update(saved)


def test_coach_sees_the_bell_the_list_and_snoozes_an_alert(page, screenshot, providers):
    today = timezone.localdate()
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    MembershipFactory(organisation=org, role="coordinator")
    for offset, (first, last) in zip([-20, -2, 1, 3, 25, 50], [("Jamal", "Benali"), ("Lotte", "Peeters"),
                                     ("Ahmed", "Yilmaz"), ("Nina", "Claes"), ("Tom", "Wouters"), ("Eva", "Janssens")],
                                     strict=True):
        worker = WorkerFactory(organisation=org, first_name=first, last_name=last)
        EmploymentFactory(worker=worker, activity=activity, contract_end=today + datetime.timedelta(days=offset))
        CoachAssignmentFactory(worker=worker, coach=coach)
    scan_organisation(organisation=org, today=today)

    log_in(page, "sara@example.org")
    bell = page.locator("#alert-bell")
    assert bell.locator(".alert-bell-count").inner_text() == "6"
    assert "Deze week" in page.content()
    screenshot(page, "alerts-home")
    bell.click()
    page.wait_for_url("**/stroom/alerts/")
    assert page.get_by_role("heading", name="Meldingen").is_visible()
    assert page.locator("#alert-table tbody tr").count() == 6
    screenshot(page, "alerts-list")
    page.select_option("#id_when", "overdue")
    page.wait_for_url("**when=overdue**")
    assert page.locator("#alert-table tbody tr").count() == 2
    page.get_by_role("link", name="Uitstellen").first.click()
    page.fill("#id_until", (today + datetime.timedelta(days=7)).strftime("%d/%m/%Y"))
    page.fill("#id_reason", "Wacht op het advies van VDAB")
    screenshot(page, "alerts-snooze")
    page.get_by_role("button", name="Uitstellen").click()
    page.wait_for_url("**when=overdue**")
    assert "uitgesteld tot" in page.content()
    assert page.locator("#alert-bell .alert-bell-count").inner_text() == "5"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/stroom/alerts/")
    assert page.locator("#alert-bell").is_visible()  # outside the collapsed menu on phones
    screenshot(page, "alerts-list-phone")
    page.goto(page.base + "/stroom/alerts/preferences/")
    page.get_by_role("button", name="Agendalink maken").click()
    assert "/calendar/" in page.locator("#feed-url").input_value()
    screenshot(page, "alerts-preferences-phone")


def test_digest_html_renders(page, screenshot, providers, settings):
    from django.core import mail

    from lde_portal.alerts.digest import send_digest

    today = timezone.localdate()
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara")
    for offset, first in [(-20, "Jamal"), (3, "Nina"), (40, "Eva")]:
        worker = WorkerFactory(organisation=org, first_name=first)
        EmploymentFactory(worker=worker, contract_end=today + datetime.timedelta(days=offset))
        CoachAssignmentFactory(worker=worker, coach=coach)
    scan_organisation(organisation=org, today=today)
    send_digest(membership_id=coach.pk, period="e2e", today=today)
    (message,) = mail.outbox
    page.set_content(message.alternatives[0][0])
    assert "Jamal" in page.content() and "te laat" in page.content()
    screenshot(page, "alerts-digest-email")


def test_org_admin_tunes_the_lead_times(page, screenshot, providers):
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    MembershipFactory(organisation=org, role="org_admin", user__email="admin@example.org")
    log_in(page, "admin@example.org")
    page.get_by_role("button", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Meldingen instellen").click()
    page.wait_for_url("**/stroom/alerts/settings/")
    screenshot(page, "alerts-settings")
    page.fill("#id_lead_e2e_contract_end", "90, zestig")
    page.get_by_role("button", name="Bewaren").click()
    assert "gehele getallen" in page.content()
    assert page.locator("#id_lead_e2e_contract_end").input_value() == "90, zestig"
    screenshot(page, "alerts-settings-error")
    page.fill("#id_lead_e2e_contract_end", "90, 60, 30")
    page.get_by_role("button", name="Bewaren").click()
    assert "zijn bewaard" in page.content()
