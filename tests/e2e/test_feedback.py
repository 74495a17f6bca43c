"""The coach's Monday morning (journeys.md): the whole team's week filled in with the keyboard only."""

import datetime

import pytest

from pop.models import WeeklyFeedback
from tests.e2e.conftest import log_in
from tests.factories import (
    ActivityFactory,
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkerFactory,
)
from tests.pop.helpers import ensure_catalogue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _active_id(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)")


def test_coach_fills_in_the_team_week_with_the_keyboard_only(page, screenshot):
    ensure_catalogue()
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    activity = ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    workers = []
    for first, last in [("Jamal", "Benali"), ("Lotte", "Peeters"), ("Ahmed", "Yilmaz")]:
        worker = WorkerFactory(organisation=org, first_name=first, last_name=last)
        EmploymentFactory(worker=worker, activity=activity, contract_start=datetime.date(2024, 1, 1))
        CoachAssignmentFactory(worker=worker, coach=coach)
        workers.append(worker)

    log_in(page, "sara@example.org")
    page.goto(page.base + "/stroom/feedback/")
    assert "0 van de 3 werknemers hebben feedback" in page.content()
    screenshot(page, "feedback-team-empty")

    first = f"w{workers[0].pk}-presence"
    for _ in range(60):
        page.keyboard.press("Tab")
        if _active_id(page) == first:
            break
    assert _active_id(page) == first, "the first row's presence is reachable with Tab"

    for i, worker in enumerate(workers):
        p = f"w{worker.pk}-"
        assert _active_id(page) == p + "presence"
        page.keyboard.type("a")  # Aanwezig
        page.keyboard.press("Tab")
        assert _active_id(page) == p + "punctuality"
        page.keyboard.type("o")  # Op tijd
        rating_groups = page.locator(f"#row-{worker.pk} .fb-rating").count()
        assert rating_groups == 3
        for g in range(rating_groups):
            page.keyboard.press("Tab")
            assert _active_id(page).startswith(p + "c"), "Tab moves to the next rating group of the same row"
            for _ in range(1 + (g + i) % 4):
                page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
        assert _active_id(page) == p + "observation"
        page.keyboard.type(f"Goed gewerkt {worker.first_name}")
        page.keyboard.press("Tab")
        assert _active_id(page) == p + "next_step"
        page.keyboard.type("Verder oefenen")
        page.keyboard.press("Tab")
        assert _active_id(page) == p + "notable"
        if i == 0:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")

    assert "Feedback bewaren" in _active_id(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Feedback bewaard voor 3 werknemers" in page.content()
    assert "3 van de 3 werknemers hebben feedback" in page.content()

    stored = {f.worker_id: f for f in WeeklyFeedback.objects.prefetch_related("ratings")}
    assert set(stored) == {w.pk for w in workers}
    first_row = stored[workers[0].pk]
    assert first_row.presence == "present" and first_row.punctuality == "on_time" and first_row.notable
    assert sorted(r.rating for r in first_row.ratings.all()) == [1, 2, 3]
    assert stored[workers[1].pk].observation == "Goed gewerkt Lotte" and not stored[workers[1].pk].notable
    screenshot(page, "feedback-team-saved")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "feedback-team-390")
    # The team screen itself fits a phone (the navbar brand is the foundation's).
    too_wide = page.evaluate("Array.from(document.querySelectorAll('main *'))"
                             ".filter(e => e.getBoundingClientRect().right > 390.5).length")
    assert too_wide == 0, "nothing on the team screen sticks out at 390 px"


def test_worker_signs_the_review_on_screen(page, screenshot):
    from pop.models import YearlyReview
    from tests.pop.helpers import make_version

    ensure_catalogue()
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    activity = ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    worker = WorkerFactory(organisation=org, first_name="Jamal", last_name="Benali")
    EmploymentFactory(worker=worker, activity=activity)
    version = make_version(worker)

    log_in(page, coordinator.user.email)
    page.goto(page.base + f"/stroom/workers/{worker.pk}/pop/{version.pk}/review/")
    page.fill("#id_conclusions", "Jamal is stiptere geworden.")
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 100 + (-1) ** step * 30)
    page.mouse.up()
    assert page.input_value("#signature-data").startswith("data:image/png;base64,")
    screenshot(page, "pop-review-signature")
    with page.expect_navigation():
        page.get_by_role("button", name="Bewaren").click()
    review = YearlyReview.objects.get()
    assert review.ack_method == "signature" and review.ack_file.read().startswith(b"\x89PNG")
    assert "Ondertekend op het scherm" in page.content()


def test_the_plan_is_submitted_and_approved_with_the_buttons_on_the_tab(page):
    """The buttons post the version the tab was shown with; a missing one would now be refused."""
    from pop.models import PopStatus
    from tests.pop.helpers import make_version

    ensure_catalogue()
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    activity = ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    worker = WorkerFactory(organisation=org, first_name="Jamal", last_name="Benali")
    EmploymentFactory(worker=worker, activity=activity)
    version = make_version(worker)

    log_in(page, coordinator.user.email)
    page.goto(page.base + f"/stroom/workers/{worker.pk}/pop/")
    with page.expect_navigation():
        page.get_by_role("button", name="Ter nazicht indienen").click()
    assert "klaar voor nazicht" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Goedkeuren").click()
    assert "Het plan is goedgekeurd" in page.content() and "Iemand anders" not in page.content()
    version.refresh_from_db()
    assert version.status == PopStatus.APPROVED
