"""Issue #16 on the demo data, in Chromium, asserting on what the user sees.

Defect 7: a dashboard figure opens the list behind it (a year's throughflow ratio: the workers who flowed
through, beside the exits it is computed on); the per-regime list and its export carry the regime; the
trend "against last year" shows; the yearly report PDF prints whole activity names.
Defect 8: the Traject tab gives the rule in Dutch with its legal source; the audit trail names records and
fields as people do.
"""

import re

import openpyxl
import pytest
from django.utils import timezone

from tests.e2e.demo_site import demo, demo_page, log_in_demo, visible_text  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def test_a_years_throughflow_ratio_opens_the_workers_behind_it(demo, demo_page, screenshot):  # noqa: F811
    page = demo_page
    log_in_demo(page, demo, "els@stroom.demo")
    page.goto(page.base + "/stroom/reports/dashboard/")
    panel = page.locator(".card", has_text="Doorstroomratio per jaar")
    year = timezone.localdate().year
    # "Against last year": the demo has exits over several years, so the trend figure shows.
    assert f"{year} tegenover {year - 1}" in visible_text(panel)
    bar = panel.locator("svg.bar-chart a").filter(has=page.locator("title", has_text=re.compile(rf"^{year}: ")))
    n, total = map(int, re.search(r"\((\d+)/(\d+)\)", bar.first.text_content()).groups())
    assert n > 0
    bar.first.click()
    page.wait_for_url("**/throughflow/exits/**")
    assert page.get_by_test_id("list-heading").inner_text() == f"{n} doorstroom (extern + intern)"
    assert page.locator("main tbody tr").count() == n
    assert page.locator("tbody .badge", has_text="doorstroom").count() == n  # each row is a throughflow exit
    denominator = page.locator(".card", has_text="Alle uitstromen in de periode (noemer)")
    assert page.get_by_test_id("ratio-denominator").inner_text() == str(total)
    assert page.get_by_test_id("ratio-numerator").inner_text() == str(n)
    screenshot(page, "first-week-ratio-year-list")
    # The denominator is one click away: every exit of the year.
    denominator.get_by_role("link", name="Toon ze allemaal").click()
    page.wait_for_load_state()
    assert page.locator("main tbody tr").count() == total


def test_the_per_regime_list_and_its_export_show_the_regime(demo, demo_page, tmp_path):  # noqa: F811
    page = demo_page
    log_in_demo(page, demo, "els@stroom.demo")
    page.goto(page.base + "/stroom/reports/dashboard/")
    bar = page.locator(".card", has_text="Werknemers per regime").locator("svg.bar-chart a").filter(
        has_text="IMW (5 jaar)")
    counted = int(bar.first.text_content().split()[-1])
    bar.first.click()
    page.wait_for_url("**/reports/lists/workers/**regime=IMW_5Y**")
    assert page.get_by_role("columnheader", name="Regime").is_visible()
    cells = page.locator('tbody td[data-label="Regime"]').all_inner_texts()
    assert cells == ["IMW (5 jaar)"] * counted
    with page.expect_download() as info:
        page.locator("a.figure-export").click()
    path = tmp_path / "workers.xlsx"
    info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    column = rows[0].index("Regime")
    assert [r[column] for r in rows[1:]] == ["IMW (5 jaar)"] * counted


def test_the_yearly_report_prints_whole_activity_names(demo, demo_page, tmp_path):  # noqa: F811
    page = demo_page
    import pypdf

    from lde_portal.accounts.models import Activity

    with demo.orm():
        names = list(Activity.objects.filter(organisation__slug="stroom").values_list("name", flat=True))
    assert any(len(name) > 20 for name in names), "the demo has an activity name the chart cuts"
    log_in_demo(page, demo, "els@stroom.demo")
    page.goto(page.base + "/stroom/reports/dashboard/")
    page.select_option("#yearly-year", str(timezone.localdate().year))
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF downloaden").click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    text = "".join(page_.extract_text() for page_ in pypdf.PdfReader(path).pages)
    # A wrapped name may break at any space or hyphen: compare without white space.
    flat = re.sub(r"\s+", "", text)
    for name in names:
        assert re.sub(r"\s+", "", name) in flat, name
    assert "…" not in text


def _imw_worker(site):
    """An active demo worker on a running IMW (5 years) trajectory."""
    from trajects.models import Trajectory

    with site.orm():
        return (Trajectory.objects.filter(organisation__slug="stroom", regime="IMW_5Y", closed_on__isnull=True,
                                          worker__status="active").values_list("worker_id", flat=True).first())


def test_the_traject_tab_gives_the_rule_in_dutch_with_its_source(demo, demo_page):  # noqa: F811
    page = demo_page
    worker_id = _imw_worker(demo)
    log_in_demo(page, demo, "koen@stroom.demo")
    page.goto(f"{page.base}/stroom/workers/{worker_id}/trajectory/")
    end = page.locator("tr", has_text="Einde traject")
    text = visible_text(end)
    assert "5 jaar vanaf de eerste dag van het kwartaal van de beslissing" in text
    assert "Bron: BVR 15/07/2022" in end.locator(".deadline-source").inner_text()
    main = visible_text(page)
    for internal in ("term_years", "IMW_5Y", "years from term start", "Source:"):
        assert internal not in main, internal


def test_the_audit_trail_names_records_and_fields_as_people_do(demo, demo_page):  # noqa: F811
    page = demo_page
    worker_id = _imw_worker(demo)
    log_in_demo(page, demo, "koen@stroom.demo")
    page.goto(f"{page.base}/stroom/workers/{worker_id}/")
    page.get_by_role("link", name="Vertrouwelijk").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Audittrail").first.click()
    page.wait_for_url("**/audit/")
    read = page.locator("tbody tr", has_text="vertrouwelijk luik gelezen").first
    assert read.locator(".audit-record").inner_text() == "Vertrouwelijk luik"
    trail = visible_text(page, "tbody")
    assert "Regime: — → IMW (5 jaar, hernieuwbaar)" in trail
    assert not re.search(r"\b[a-z_]+\.[a-z_]+ #\d+", trail), "an internal record name"
    fields = page.locator("tbody .audit-details strong").all_inner_texts()
    assert fields and not [f for f in fields if "_" in f or f != f.strip() or not f[0].isupper()], fields
    assert "Gepland einde" in fields and "IMW_5Y" not in trail
