"""The journeys of journeys.md for the coach, the coordinator and the manager, step by step on the demo
data, at desktop (1366×900) and phone (390×844) size, asserting on what the user sees. Each screen size gets
a demo of its own (on PostgreSQL what the browser saves is committed), so the phone walk finds what the
desktop walk found; within one size the journeys touch different workers."""

import re

import openpyxl
import pytest
from django.utils import timezone

from tests.e2e.demo_site import demo_page, log_in_demo, serve_demo, visible_text  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# The three things of the coach's week (journeys.md, coach step 1), in the order "Deze week" shows them.
WEEK_KINDS = ("Einde traject", "Weekfeedback ontbreekt", "Verbeteractie vervalt")


@pytest.fixture(scope="module", params=["desktop", "phone"])
def size(request):
    return request.param


@pytest.fixture(scope="module")
def demo(size, django_db_setup, django_db_blocker):
    yield from serve_demo(django_db_blocker)


def _fits(page):
    """Nothing is cut off sideways: the page is not wider than the screen."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_coach_monday_morning(demo, demo_page, size, screenshot):  # noqa: F811
    page = demo_page
    page.set_viewport_size(SIZES[size])
    log_in_demo(page, demo, "sara@stroom.demo")
    # 1. Her workers, and above them the week's three kinds of things first.
    assert page.get_by_role("heading", name="Dag Sara").is_visible()
    week = page.locator(".card", has_text="Deze week").first
    titles = [re.sub(r"\s+", " ", t) for t in week.locator("li.this-week-item").all_inner_texts()]
    first = [next((k for k in WEEK_KINDS if t.startswith(k)), None) for t in titles[:5]]
    assert first[0] == "Einde traject" and "Jamal Benali" in titles[0] and "VDAB-evaluatie" in titles[0], titles[:3]
    assert first.count("Weekfeedback ontbreekt") == 2 and "Verbeteractie vervalt" in first, titles[:5]
    assert any("band vervangen" in t for t in titles[:5]), titles[:5]
    n_workers = int(page.locator("h2", has_text="Mijn werknemers").locator(".badge").inner_text())
    assert page.locator("a.worker-card").count() == n_workers
    _fits(page)
    screenshot(page, f"journey-coach-home-{size}")

    # 2. "Feedback deze week": one screen with every worker, filled in and saved once.
    page.get_by_role("link", name="Feedback deze week").first.click()
    page.wait_for_url("**/feedback/")
    assert page.get_by_role("heading", name="Feedback deze week").is_visible()
    assert page.locator("fieldset.fb-row").count() == n_workers
    row = page.locator("fieldset.fb-row", has_text="Jamal Benali")
    row.locator("select[name$='-presence']").select_option("present")
    row.locator("fieldset.fb-rating").first.locator("label", has_text="3").click()
    # Each level says what it means for the competence where the coach chooses it.
    assert row.locator("fieldset.fb-rating").first.locator("input[value='3']").get_attribute("data-hint")
    page.get_by_role("button", name="Feedback bewaren").click()
    page.wait_for_load_state()
    assert "bewaard" in visible_text(page, ".alert, .messages, main")
    _fits(page)
    screenshot(page, f"journey-coach-feedback-{size}")

    # 3. From Jamal's alert to the evaluation request, which already knows the reason and the date; the alert goes.
    page.goto(page.base + "/stroom/")
    page.locator(".card", has_text="Deze week").first.get_by_role("link", name="Openen").first.click()
    page.wait_for_url("**/indication/evaluations/new/")
    assert page.get_by_role("heading", name="VDAB-evaluatie aanvragen").is_visible()
    assert page.locator("#id_reason option:checked").inner_text() == "Einde overgangsregeling"
    assert page.input_value("#id_requested_on") == timezone.localdate().strftime("%d/%m/%Y")
    assert "TRANSITION" not in visible_text(page)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/indication/")
    assert "De evaluatieaanvraag is bewaard." in visible_text(page)
    page.goto(page.base + "/stroom/")
    assert "Einde traject · Jamal Benali" not in visible_text(page.locator(".card", has_text="Deze week").first)


def test_coordinator_yearly_pop_review(demo, demo_page, size, screenshot):  # noqa: F811
    page = demo_page
    page.set_viewport_size(SIZES[size])
    log_in_demo(page, demo, "koen@stroom.demo")
    # 1. The POPs due in the next 60 days and the overdue ones, with each worker's coach.
    page.goto(page.base + "/stroom/reports/dashboard/")
    figure = page.locator(".dashboard-panel", has_text="POP-evaluatie").locator("a.stat-figure",
                                                                                 has_text="Binnen 60 dagen")
    due = int(figure.locator(".fs-3").inner_text())
    figure.click()
    page.wait_for_url("**/pop-reviews/?show=due")
    assert page.locator("main tbody tr").count() == due >= 6
    coaches = page.locator('tbody td[data-label="Begeleiders"]').all_inner_texts()
    assert all(c.strip() not in ("", "—") for c in coaches), coaches
    page.get_by_role("link", name=re.compile(r"Alle \(")).click()
    page.wait_for_url("**/pop-reviews/?")
    _fits(page)
    screenshot(page, f"journey-coordinator-reviews-{size}")

    # 2. The prepared draft is there: last year's competences with the average from the weekly feedback.
    row = page.locator("tbody tr", has_text="voorbereid").first
    name = row.locator("td").first.inner_text().strip()
    row.get_by_role("link", name=name).click()
    page.wait_for_url("**/pop/")
    assert page.get_by_role("link", name="Verder met het klad").is_visible()
    assert page.locator("table", has_text="Competentie").locator("tbody tr").count() >= 3
    assert "In de weekfeedback" in visible_text(page)
    page.get_by_role("button", name="Goedkeuren").first.click()
    page.wait_for_load_state()
    text = visible_text(page)
    assert "Het plan is goedgekeurd." in text
    assert re.search(r"moet geregistreerd worden bij VDAB tegen \d\d/\d\d/\d{4}", text), text[:400]
    _fits(page)
    screenshot(page, f"journey-coordinator-approved-{size}")

    # 3. The plain-language version to take home.
    print_link = page.get_by_role("link", name="Afdrukken voor de werknemer")
    href = print_link.get_attribute("href")
    response = page.request.get(page.base + href)
    assert response.ok
    assert name.split()[0] in response.text() or response.headers["content-type"] == "application/pdf"


def test_manager_board_meeting_and_training_fund(demo, demo_page, size, screenshot, tmp_path):  # noqa: F811
    page = demo_page
    page.set_viewport_size(SIZES[size])
    log_in_demo(page, demo, "els@stroom.demo")
    # 1. Workers and FTE per activity and regime, ends per quarter, exits by reason, the ratios against last year.
    page.goto(page.base + "/stroom/reports/dashboard/")
    for title in ("Werknemers en VTE per activiteit", "Werknemers per regime", "Trajecteinden per kwartaal",
                  "Uitstroom per reden", "Doorstroomratio per jaar"):
        assert page.locator(".card", has_text=title).first.is_visible(), title
    year = timezone.localdate().year
    ratio = page.locator(".card", has_text="Doorstroomratio per jaar")
    assert "Duurzaam" in visible_text(ratio) and f"{year} tegenover {year - 1}" in visible_text(ratio)
    _fits(page)
    screenshot(page, f"journey-manager-dashboard-{size}")
    bar = ratio.locator("svg.bar-chart a").filter(has=page.locator("title", has_text=re.compile(rf"^{year}: ")))
    n, total = map(int, re.search(r"\((\d+)/(\d+)\)", bar.first.text_content()).groups())
    bar.first.click()
    page.wait_for_url("**/throughflow/exits/**")
    assert page.get_by_test_id("list-heading").inner_text() == f"{n} doorstroom (extern + intern)"
    assert page.locator("main tbody tr").count() == n
    assert page.get_by_test_id("ratio-denominator").inner_text() == str(total)
    _fits(page)
    screenshot(page, f"journey-manager-ratio-workers-{size}")

    # 2. The yearly report PDF for the board and the training export in the training fund's layout.
    page.goto(page.base + "/stroom/reports/dashboard/")
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF downloaden").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.locator(".card", has_text="Vormingsuren en kosten").get_by_role("link", name=re.compile("Kostprijs")).click()
    page.wait_for_url("**/reports/lists/trainings/**")
    with page.expect_download() as info:
        page.locator("a.figure-export").click()
    xlsx = tmp_path / "trainings.xlsx"
    info.value.save_as(xlsx)
    header = next(openpyxl.load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    assert header[:3] == ("Categorie", "Familienaam", "Voornaam")

    # 3. Never the contents of a confidential section: only how many workers have an open referral.
    page.goto(page.base + "/stroom/indication/")
    assert re.search(r"\d+ werknemers? met een lopende doorverwijzing", visible_text(page))
    page.goto(page.base + "/stroom/workers/")
    page.locator("main a[href*='/workers/']").filter(has_text=re.compile(r"\w")).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Vertrouwelijk").count() == 0
