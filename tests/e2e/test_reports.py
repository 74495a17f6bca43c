import csv
import io

import pytest

from tests.e2e.conftest import log_in
from tests.factories import ActivityFactory, EmploymentFactory, MembershipFactory, OrganisationFactory, WorkerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _org():
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    activity = ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    for first, last in [("Jamal", "Benali"), ("Lotte", "=HYPERLINK(\"http://x\",\"y\")")]:
        EmploymentFactory(worker=WorkerFactory(organisation=org, first_name=first, last_name=last), activity=activity)
    return org, activity


def test_manager_opens_the_dashboard_from_the_navigation_and_follows_a_bar(page, screenshot):
    org, activity = _org()
    MembershipFactory(organisation=org, role="manager", user__email="els@example.org")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, "els@example.org")
    page.get_by_role("button", name="Overzichten").click()
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/stroom/reports/dashboard/")
    assert page.locator("svg.bar-chart").count() >= 1
    screenshot(page, "reports-manager-dashboard")
    page.locator("svg.bar-chart a").first.click()
    # A figure opens the list behind it (its export is one click further).
    page.wait_for_url("**/stroom/reports/lists/workers/**")
    assert f"activity={activity.pk}" in page.url
    assert not [e for e in errors if "Content Security Policy" in e]


def test_coordinator_downloads_a_csv_with_the_filters_on_screen(page):
    org, activity = _org()
    MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    log_in(page, "koen@example.org")
    page.goto(page.base + "/stroom/reports/exports/")
    page.select_option("#id_format", "csv")
    page.select_option("#id_activity", str(activity.pk))
    with page.expect_download() as info:
        page.get_by_role("button", name="Downloaden").first.click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Familienaam" and len(rows) == 3
    assert '\'=HYPERLINK("http://x","y")' in [r[0] for r in rows]
