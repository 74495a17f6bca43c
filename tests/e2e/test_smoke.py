import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_logs_in_finds_the_worker_list_and_opens_a_dossier(page, screenshot):
    org, activity = stroom()
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    for first, last in [("Jamal", "Benali"), ("Lotte", "Peeters"), ("Ahmed", "Yilmaz")]:
        coached_worker(activity, coach, first_name=first, last_name=last)

    log_in(page, "sara@example.org")
    assert "Mijn werknemers" in page.content()
    page.get_by_role("link", name="Werknemers", exact=True).click()
    page.wait_for_url("**/stroom/workers/")
    assert page.get_by_role("heading", name="Werknemers").is_visible()
    assert page.locator("tbody tr").count() == 3
    screenshot(page, "smoke-worker-list")

    page.fill("#id_q", "Benali")
    # A locator, not wait_for_function: Playwright evaluates that string with eval, which the CSP refuses.
    expect(page.locator("#worker-results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Benali, Jamal").click()
    page.wait_for_url("**/stroom/workers/*/")
    assert page.get_by_role("heading", name="Jamal Benali").is_visible()
    assert "Persoonsgegevens" in page.content() and "Fietspunt Dampoort" in page.content()
    screenshot(page, "smoke-dossier")


def test_login_page_shows_dutch_error_for_wrong_password(page):
    MembershipFactory(user__email="koen@example.org")
    log_in(page, "koen@example.org", password="fout")
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in page.content()
    assert page.input_value("#id_username") == "koen@example.org"
