"""The coach's Monday morning (docs/journeys.md): the whole team's week filled in with the keyboard only."""

import pytest

from pop.models import FeedbackDraft, PopStatus, WeeklyFeedback, YearlyReview
from tests.e2e.conftest import log_in, stroom
from tests.factories import EmploymentFactory, MembershipFactory, WorkerFactory, coached_worker
from tests.pop.helpers import ensure_catalogue, make_version

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _active_id(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)")


def _sticking_out(page):
    """How many elements of the page's main part reach past the right edge of a 390 px phone."""
    return page.evaluate("Array.from(document.querySelectorAll('main *'))"
                         ".filter(e => e.getBoundingClientRect().right > 390.5).length")


def _saras_team(*names):
    """Sara's workers, one per (first, last) name, with the competence catalogue the ratings need."""
    ensure_catalogue()
    org, activity = stroom()
    sara = MembershipFactory(organisation=org, role="coach", user__first_name="Sara", user__email="sara@example.org")
    return [coached_worker(activity, sara, first_name=first, last_name=last) for first, last in names]


@pytest.fixture
def draft():
    """Koen the coordinator, and Jamal with a draft POP: (coordinator, worker, version)."""
    ensure_catalogue()
    org, activity = stroom()
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    worker = WorkerFactory(organisation=org, first_name="Jamal", last_name="Benali")
    EmploymentFactory(worker=worker, activity=activity)
    return coordinator, worker, make_version(worker)


def test_coach_fills_in_the_team_week_with_the_keyboard_only(page, screenshot):
    workers = _saras_team(("Jamal", "Benali"), ("Lotte", "Peeters"), ("Ahmed", "Yilmaz"))

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
    assert _sticking_out(page) == 0, "nothing on the team screen sticks out at 390 px"


def test_worker_signs_the_review_on_screen(page, screenshot, draft):
    coordinator, worker, version = draft
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


def test_the_coordinator_approves_the_draft_with_the_button_on_the_tab(page, draft):
    """The button posts the version the tab was shown with; a missing one would now be refused. A
    coordinator approves his draft in one step: there is nobody to submit it to."""
    coordinator, worker, version = draft
    log_in(page, coordinator.user.email)
    page.goto(page.base + f"/stroom/workers/{worker.pk}/pop/")
    assert page.get_by_role("button", name="Ter nazicht indienen").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Goedkeuren").click()
    assert "Het plan is goedgekeurd" in page.content() and "Iemand anders" not in page.content()
    version.refresh_from_db()
    assert version.status == PopStatus.APPROVED


def test_on_a_phone_a_save_with_two_wrong_rows_keeps_the_three_right_ones_and_the_rest_as_a_draft(page, screenshot):
    """Issue #16: three rows right, one without presence, one with a rating out of range."""
    workers = _saras_team(("Jamal", "Aerts"), ("Lotte", "Bosmans"), ("Ahmed", "Claes"), ("Nora", "Dewitte"),
                          ("Tom", "Eeckhout"))
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()
    page.on("dialog", on_dialog)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "sara@example.org")
    page.goto(page.base + "/stroom/feedback/")
    for worker in workers[:3]:
        p = f"w{worker.pk}-"
        page.select_option(f"#{p}presence", "present")
        for group in page.locator(f"#row-{worker.pk} .fb-rating").all():
            group.locator("label", has_text="3").click()
        page.fill(f"#{p}observation", f"Goed gewerkt {worker.first_name}")
    hint = page.locator(f"#row-{workers[0].pk} .fb-level-hint").first.text_content()
    assert hint.startswith("3 · ") and len(hint) > 10, "the chosen level's descriptor shows under the buttons"
    no_presence, bad_rating = workers[3], workers[4]
    page.fill(f"#w{no_presence.pk}-observation", "Vergeten aan te duiden")
    page.select_option(f"#w{bad_rating.pk}-presence", "present")
    # A rating the server refuses (the buttons offer only 1–4: a stale or altered page).
    radio = page.locator(f"#row-{bad_rating.pk} .fb-rating input[value='4']").first
    radio.evaluate("el => { el.value = '9'; }")
    page.locator(f"#row-{bad_rating.pk} .fb-rating label", has_text="4").first.click()

    # Enter in an observation field does not submit the half-filled screen.
    page.focus(f"#w{workers[0].pk}-observation")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert "/stroom/feedback/" in page.url and not WeeklyFeedback.objects.exists()

    # Leaving with unsaved changes asks first.
    page.reload()
    assert dialogs == ["beforeunload"]
    dialogs.clear()
    # The reload was allowed: the screen is empty again, fill it anew (quickly) and save.
    for worker in workers[:3]:
        page.select_option(f"#w{worker.pk}-presence", "present")
        for group in page.locator(f"#row-{worker.pk} .fb-rating").all():
            group.locator("label", has_text="3").click()
    page.fill(f"#w{no_presence.pk}-observation", "Vergeten aan te duiden")
    page.select_option(f"#w{bad_rating.pk}-presence", "present")
    page.locator(f"#row-{bad_rating.pk} .fb-rating input[value='4']").first.evaluate("el => { el.value = '9'; }")
    page.locator(f"#row-{bad_rating.pk} .fb-rating label", has_text="4").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Feedback bewaren").click()
    page.wait_for_load_state()
    assert dialogs == [], "no prompt when the screen is being saved"
    assert "3 werknemers bewaard, 2 hebben nog een fout." in page.content()
    assert set(WeeklyFeedback.objects.values_list("worker_id", flat=True)) == {w.pk for w in workers[:3]}
    assert _active_id(page) == f"w{no_presence.pk}-presence", "focus is on the first error"
    assert page.locator(f"#fb-errors a[href='#row-{no_presence.pk}']").count() == 1
    assert page.locator(f"#fb-errors a[href='#row-{bad_rating.pk}']").count() == 1
    screenshot(page, "feedback-team-errors-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "feedback-team-errors-1366")
    page.set_viewport_size({"width": 390, "height": 844})

    # The draft survives a reload, with the typed values and their errors; no prompt (nothing unsaved).
    page.reload()
    assert dialogs == []
    assert page.input_value(f"#w{no_presence.pk}-observation") == "Vergeten aan te duiden"
    assert "Kies de aanwezigheid" in page.content() and "1 tot 4" in page.content()
    assert _active_id(page) == f"w{no_presence.pk}-presence"
    assert FeedbackDraft.objects.count() == 1
    assert _sticking_out(page) == 0, "nothing on the screen with errors sticks out at 390 px"
    assert problems == [], problems
