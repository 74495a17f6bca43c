"""Every dashboard figure opens a list page (never a download), and the list behind it has as many rows as
the figure counts (or sums to the figure), with the export one click further."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import resolve, reverse

from lde_portal.reports.dashboards import panels_for
from lde_portal.reports.registry import ExportFilters
from tests.reports.test_dashboards import TODAY, known  # noqa: F401 - the fixture with known answers
from trajects import services as trajects_services

pytestmark = pytest.mark.django_db
PERIOD = {"start": "01/01/2024", "end": "31/12/2025"}
FILTERS = ExportFilters(start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2025, 5, 14, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _count(page):
    return int(re.search(r'class="figure-count"[^>]*>(\d+) ', page).group(1))


def _total(page, header):
    """The figure list's total of one column (its footer cell labelled with the header)."""
    foot = page.split("<tfoot>")[1]
    return re.search(rf'data-label="{re.escape(header)}">(?:Totaal)?([^<]*)<', foot).group(1)


def _links(p, membership):
    for panel in panels_for(p.org, membership, FILTERS, TODAY):
        for item in [*panel.figures, *panel.bars]:
            yield panel.key, item


@pytest.mark.parametrize("persona", ["manager", "coordinator", "org_admin"])
def test_no_figure_downloads_a_file(known, login, persona):  # noqa: F811
    client = login(getattr(known, persona))
    for key, item in _links(known, getattr(known, persona)):
        assert item.url, (key, item.label)
        assert resolve(urlsplit(item.url).path).url_name != "export", (key, item.label)
        response = client.get(item.url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), (key, item.label)


def test_figure_lists_have_the_rows_the_figures_count(known, login):  # noqa: F811
    trajects_services.trajectory_start(worker=known.org.workers.filter(status="active").exclude(
        pk=known.worker.pk).first(), actor=None, regime="IMW_5Y", start=datetime.date(2025, 2, 1),
        decision_date=datetime.date(2025, 1, 20))
    client = login(known.manager)
    panels = {p.key: p for p in panels_for(known.org, known.manager, FILTERS, TODAY)}
    workforce = panels["trajects.workforce"]
    employed = client.get(workforce.figures[0].url).content.decode()
    assert _count(employed) == workforce.figures[0].value == 4
    fte = Decimal(_total(employed, "VTE").replace(",", "."))
    assert str(fte.quantize(Decimal("0.1"))).replace(".", ",") == workforce.figures[1].value
    for bar in workforce.bars:
        assert _count(client.get(bar.url).content.decode()) == bar.value, bar.label
    regime = panels["trajects.by_regime"]
    assert {b.label: b.value for b in regime.bars} == {"LDE": 1, "IMW (5 jaar)": 1, "Geen lopend traject": 2}
    for bar in regime.bars:
        page = client.get(bar.url).content.decode()
        assert _count(page) == bar.value, bar.label
        # The list and its export show the regime of each row.
        assert "<th scope=\"col\">Regime</th>" in page
        shown = re.findall(r'<td data-label="Regime">([^<]*)</td>', page.split("<tfoot>")[0])
        assert shown == [bar.label if bar.label != "Geen lopend traject" else ""] * bar.value
    trainings = panels["pop.trainings"]
    cost = client.get(trainings.figures[1].url).content.decode()
    assert "€ " + _total(cost, "Kost per deelnemer (EUR)") == trainings.figures[1].value == "€ 200,00"
    compliance = panels["pop.compliance"]
    on_time = client.get(compliance.figures[0].url).content.decode()
    overdue = client.get(compliance.figures[1].url).content.decode()
    assert _count(overdue) == compliance.figures[1].value
    assert f"{_count(on_time)} " in str(compliance.figures[0].note)
    assert on_time.count('<td data-label="Te laat">Ja</td>') == compliance.figures[1].value


def test_the_export_is_one_click_from_the_list_with_the_same_rows(known, login):  # noqa: F811
    client = login(known.manager)
    url = reverse("reports:figure_list", kwargs={"org_slug": known.org.slug, "key": "workers"})
    page = client.get(url, {**PERIOD, "regime": "none"}).content.decode()
    export = re.search(r'class="btn btn-sm btn-primary figure-export" href="([^"]+)"', page).group(1)
    response = client.get(export.replace("&amp;", "&").replace("format=xlsx", "format=csv"))
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].endswith(";Regime") and len(lines) - 1 == _count(page) == 3
