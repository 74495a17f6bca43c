"""The coordinator's yearly POP review (docs/journeys.md): review list → a due POP → approved in one step → the
VDAB registration deadline shows."""

import datetime

import pytest
from django.utils import timezone

from pop import services
from pop.models import PopStatus, PopVersion
from tests.e2e.conftest import log_in, stroom
from tests.factories import CoachAssignmentFactory, EmploymentFactory, MembershipFactory, WorkerFactory
from tests.pop.helpers import ensure_catalogue, make_version

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_koen_reviews_a_due_pop_and_approves_it_in_one_step(page, screenshot):
    ensure_catalogue()
    today = timezone.localdate()
    org, activity = stroom()
    koen = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    sara = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__last_name="Verstraete")
    worker = WorkerFactory(organisation=org, first_name="Jamal", last_name="Benali")
    EmploymentFactory(worker=worker, activity=activity, contract_start=today - datetime.timedelta(days=800))
    CoachAssignmentFactory(worker=worker, coach=sara)
    approved_on = today - datetime.timedelta(days=340)  # the yearly review is due in about 25 days
    make_version(worker, year=approved_on.year, status=PopStatus.APPROVED, approved_on=approved_on,
                 registered_on=approved_on)
    services.pop_schedule_refresh(worker=worker)
    draft = services.pop_start(worker=worker, actor=sara.user, today=today)
    for n, what in enumerate(["Elke dag om 8 uur op het werk zijn", "Zelf vragen stellen"], start=5):
        draft.actions.create(what=what, supporter="Sara", position=n,
                             due_date=today + datetime.timedelta(days=90))

    log_in(page, koen.user.email)
    page.goto(page.base + "/stroom/pop-reviews/")
    row = page.locator("tbody tr", has_text="Jamal Benali")
    assert "Sara Verstraete" in row.inner_text() and "voorbereid" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name="Jamal Benali").click()
    assert page.get_by_role("button", name="Ter nazicht indienen").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Goedkeuren").click()
    assert "Het plan is goedgekeurd" in page.content()
    deadline = page.get_by_test_id("registration-due")
    assert deadline.is_visible() and "moet geregistreerd worden bij VDAB tegen" in deadline.inner_text()
    screenshot(page, "pop-review-approved")
    assert PopVersion.objects.get(pk=draft.pk).status == PopStatus.APPROVED
