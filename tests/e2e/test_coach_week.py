"""Sara's Monday morning on a phone (docs/journeys.md, "Coach — Monday morning on a phone"): "Deze week" shows the
three things of the journey first, Jamal's alert opens the evaluation request on Indicering, and once the
evaluation is requested the alert is gone. With the domain apps' real alert providers."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from lde_portal.alerts.scan import scan_organisation
from pop.models import PopStatus, WeeklyFeedback
from pop.rules import monday_of
from tests.e2e.conftest import log_in, stroom
from tests.factories import MembershipFactory, coached_worker
from tests.pop.helpers import make_version
from trajects import services as trajects_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rule_table")]


def _feedback_until(org, worker, last_week):
    WeeklyFeedback.objects.bulk_create(
        WeeklyFeedback(organisation=org, worker=worker, week_start=last_week - datetime.timedelta(weeks=n),
                       presence="present") for n in range(3))


def test_sara_opens_jamals_alert_requests_the_evaluation_and_the_alert_is_gone(browser, live_server, screenshot):
    today = timezone.localdate()
    this_monday = monday_of(today)
    org, activity = stroom()
    sara = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    MembershipFactory(organisation=org, role="coordinator")
    # Jamal, hired under LDE: the transition regime ends in just under three months.
    hired = today + relativedelta(months=3, days=-10) - relativedelta(years=5)
    jamal = coached_worker(activity, sara, hired=hired, first_name="Jamal", last_name="Benali")
    trajects_services.trajectory_start(worker=jamal, actor=None, regime="TRANSITION", start=hired, today=today)
    _feedback_until(org, jamal, this_monday - datetime.timedelta(weeks=1))
    # Two workers without feedback for last week.
    for first, last in (("Rachida", "Demir"), ("Bilal", "Yilmaz")):
        worker = coached_worker(activity, sara, hired=today - datetime.timedelta(days=400), first_name=first,
                                last_name=last)
        _feedback_until(org, worker, this_monday - datetime.timedelta(weeks=2))
    # Lotte's improvement action is past its date.
    lotte = coached_worker(activity, sara, hired=today - datetime.timedelta(days=400), first_name="Lotte",
                           last_name="Vandamme")
    _feedback_until(org, lotte, this_monday - datetime.timedelta(weeks=1))
    version = make_version(lotte, status=PopStatus.APPROVED, approved_on=today - datetime.timedelta(days=200),
                           actions=1)
    version.actions.update(what="Zelfstandig een band vervangen", due_date=today - datetime.timedelta(days=9))
    scan_organisation(organisation=org, today=today)

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    try:
        log_in(page, "sara@example.org")
        items = page.locator(".this-week-item")
        kinds = [items.nth(n).get_attribute("data-kind") for n in range(items.count())]
        assert kinds[:4] == ["trajectory_end", "feedback_missing", "feedback_missing", "pop_action_due"], kinds
        first = items.nth(0)
        assert "Jamal Benali" in first.inner_text() and "over 3 maanden" in first.inner_text()
        assert "Zelfstandig een band vervangen" in items.nth(3).inner_text()
        screenshot(page, "coach-week-home-phone")

        first.get_by_role("link", name="Openen").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/stroom/workers/{jamal.pk}/indication/evaluations/new/")
        assert page.locator(".nav-link.active, [aria-current=page]").filter(has_text="Indicering").count() >= 1
        assert page.locator("#id_reason").input_value() == "transition_ends"
        screenshot(page, "coach-week-evaluation-phone")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/stroom/workers/{jamal.pk}/indication/")

        page.goto(page.base + "/stroom/")
        kinds = [page.locator(".this-week-item").nth(n).get_attribute("data-kind")
                 for n in range(page.locator(".this-week-item").count())]
        assert "trajectory_end" not in kinds and "transition_evaluation_request_due" not in kinds, kinds
        assert "Jamal Benali" not in page.locator(".this-week").inner_text()
        screenshot(page, "coach-week-home-after-phone")
    finally:
        context.close()
