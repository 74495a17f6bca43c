"""Exits, throughflow and recruitment lead time on the manager dashboard, in the exports and on their lists:
the same numbers everywhere for the same filters (issue #9), on a fixture with answers computed by hand."""

import csv
import datetime
import inspect
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indication import services as indication_services
from lde_portal.reports.dashboards import panels_for
from lde_portal.reports.registry import EXPORTERS, ExportFilters
from tests.factories import ActivityFactory, CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from throughflow import services
from throughflow.models import FollowUp

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)
Y2025 = ExportFilters(start=D(2025, 1, 1), end=D(2025, 12, 31))
HIRED = D(2020, 1, 1)


def _worker(p, activity, coach=None, start=HIRED):
    worker = WorkerFactory(organisation=p.org)
    EmploymentFactory(worker=worker, activity=activity, contract_start=start)
    if coach:
        CoachAssignmentFactory(worker=worker, coach=coach, start=start)
    return worker


def _exit(worker, day, reason, six_months=None, **data):
    exit_ = services.exit_record(worker=worker, actor=None, today=TODAY,
                                 data={"date": day, "reason": reason, **data})
    if six_months is not None:
        FollowUp.objects.filter(exit=exit_, months=6).update(done_on=TODAY, still_employed=six_months)
    return exit_


@pytest.fixture
def exits(personas):
    """2025: Groen (coach) A external + durable, B external not durable, D drop-out; Keuken C internal
    (6-month follow-up open), E retirement. 2024: F external durable; 2023: G drop-out.
    By hand, 2025: 5 exits, 3 throughflow (60 %), 1 durable (20 %); Groen 3 exits, 2 throughflow;
    2024: 1/1 = 100 %, durable 100 %; 2023: 0/1 = 0 %."""
    p = personas
    p.groen = ActivityFactory(organisation=p.org, name="Groen")
    p.keuken = ActivityFactory(organisation=p.org, name="Keuken")
    p.a = _worker(p, p.groen, p.coach)
    _exit(p.a, D(2025, 2, 28), "external", six_months=True, destination_employer="Bakkerij Peeters",
          contract_type="open_ended", weekly_hours=Decimal("30"))
    _exit(_worker(p, p.groen, p.coach), D(2025, 3, 31), "external", six_months=False)
    _exit(_worker(p, p.keuken), D(2025, 12, 31), "internal")
    _exit(_worker(p, p.groen, p.coach), D(2025, 6, 1), "drop_out")
    _exit(_worker(p, p.keuken), D(2025, 1, 1), "retirement")
    _exit(_worker(p, p.groen, p.coach), D(2024, 12, 31), "external", six_months=True)
    _exit(_worker(p, p.keuken), D(2023, 5, 1), "drop_out")
    return p


def _panel(p, key, filters, today=TODAY):
    return next(x for x in panels_for(p.org, p.manager, filters, today) if x.key == key)


def _rows(p, key, filters):
    return list(EXPORTERS[key].rows(p.org, p.manager, filters))


def _content(response):
    return b"".join(response.streaming_content)


# --------------------------------------------------------------------------- exporters


def test_exit_and_aftercare_exporters_are_registered_with_documented_columns():
    assert {"exits", "aftercare"} <= set(EXPORTERS)
    assert EXPORTERS["exits"].headers[:3] == ["Familienaam", "Voornaam", "INSZ"]
    assert "Nog aan het werk na 6 maanden" in EXPORTERS["exits"].headers
    assert EXPORTERS["aftercare"].headers[5:8] == ["Maanden na uitstroom", "Gepland op", "Contact op"]


@pytest.mark.parametrize("key", ["exits", "aftercare"])
def test_rows_is_a_generator_so_exports_stream(exits, key):
    rows = EXPORTERS[key].rows(exits.org, exits.manager, ExportFilters())
    assert inspect.isgenerator(rows)
    assert next(rows)


def test_exits_export_rows(exits):
    rows = _rows(exits, "exits", Y2025)
    assert len(rows) == 5
    a = next(r for r in rows if r[0] == exits.a.last_name)
    assert a[2] == exits.a.insz and a[3] == "Groen" and a[6] == D(2025, 2, 28)
    assert a[7] == "Externe doorstroom naar een reguliere werkgever" and a[8] == "Ja"
    assert a[9:14] == ("Bakkerij Peeters", "Onbepaalde duur", Decimal("30.0"), "Geen", "Ja")
    assert a[5] == D(2020, 1, 1) or a[5] is None
    assert sorted(r[13] for r in rows) == ["", "", "", "Ja", "Nee"]  # not recorded yet stays empty
    assert EXPORTERS["exits"].count(exits.org, exits.manager, Y2025) == 5
    assert len(_rows(exits, "exits", ExportFilters(activity_id=exits.keuken.pk))) == 3


def test_aftercare_export_rows(exits):
    rows = _rows(exits, "aftercare", ExportFilters(start=D(2025, 8, 1), end=D(2025, 8, 31)))
    # Due in August 2025: A +6 (28/08), B... +6 of 31/03 is 30/09; so only A's.
    assert [(r[0], r[5], r[6], r[8]) for r in rows] == [(exits.a.last_name, 6, D(2025, 8, 28), "Ja")]
    assert EXPORTERS["aftercare"].count(exits.org, exits.manager, ExportFilters()) == 7 * 4


def test_exits_csv_and_xlsx_neutralise_a_formula_name(exits, client):
    exits.a.last_name = '=HYPERLINK("http://x","y")'
    exits.a.save()
    client.force_login(exits.manager.user)
    url = reverse("reports:export", kwargs={"org_slug": exits.org.slug, "key": "exits"})
    data = _content(client.get(url, {"format": "csv", "start": "01/01/2025", "end": "31/12/2025"}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Familienaam" and len(rows) == 6
    assert ['\'=HYPERLINK("http://x","y")'] == [r[0] for r in rows if "HYPERLINK" in r[0]]
    response = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(_content(response))).active
    assert '\'=HYPERLINK("http://x","y")' in [r[0] for r in sheet.iter_rows(values_only=True)]
    aftercare = reverse("reports:export", kwargs={"org_slug": exits.org.slug, "key": "aftercare"})
    data = _content(client.get(aftercare, {"format": "csv"})).decode("utf-8-sig")
    assert "'=HYPERLINK" in data and "\r\n=HYPERLINK" not in data


@pytest.mark.parametrize("key", ["exits", "aftercare"])
def test_exit_exporters_use_a_fixed_number_of_queries(personas, key):
    exporter = EXPORTERS[key]

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            n = len(list(exporter.rows(personas.org, personas.manager, ExportFilters())))
        return len(ctx.captured_queries), n

    _exit(_worker(personas, personas.activity, personas.coach), D(2025, 3, 1), "external")
    few, n = measure()
    for _ in range(49):
        _exit(_worker(personas, personas.activity, personas.coach), D(2025, 3, 1), "drop_out")
    many, n_many = measure()
    assert many == few and n_many == 50 * n


# --------------------------------------------------------------------------- dashboard == exports


@pytest.mark.parametrize("filters", [Y2025, ExportFilters(start=D(2025, 1, 1), end=D(2025, 6, 30)),
                                     ExportFilters(start=D(2023, 1, 1), activity_id=-1), ExportFilters(start=D(2023, 1, 1))])
def test_exits_by_reason_equals_the_exits_export(exits, filters):
    panel = _panel(exits, "throughflow.exits", filters)
    rows = _rows(exits, "exits", filters)
    assert panel.figures[0].value == len(rows)
    assert panel.figures[1].value == sum(1 for r in rows if r[8] == "Ja")
    per_reason = {}
    for r in rows:
        per_reason[r[7]] = per_reason.get(r[7], 0) + 1
    assert sorted(b.value for b in panel.bars) == sorted(per_reason.values())


def test_exits_by_reason_hand_computed_and_linked(exits):
    panel = _panel(exits, "throughflow.exits", ExportFilters(start=D(2025, 1, 1), end=D(2025, 12, 31),
                                                             activity_id=exits.groen.pk))
    assert [f.value for f in panel.figures] == [3, 2]
    assert [(str(b.label), b.value) for b in panel.bars] in ([("External throughflow", 2), ("Drop-out", 1)],
                                                            [("Externe doorstroom", 2), ("Uitval", 1)])
    assert "reason=external" in panel.bars[0].url and f"activity={exits.groen.pk}" in panel.bars[0].url
    assert "start=01%2F01%2F2025" in panel.figures[0].url


def test_exits_by_reason_without_period_is_this_year(exits):
    assert _panel(exits, "throughflow.exits", ExportFilters(), today=D(2025, 7, 1)).figures[0].value == 5


def _ratio_from_export(rows):
    n = len(rows)
    return round(100 * sum(r[8] == "Ja" for r in rows) / n), round(
        100 * sum(r[8] == "Ja" and r[13] == "Ja" for r in rows) / n)


def test_ratio_panel_equals_the_exits_export_and_the_ratio_page(exits):
    from throughflow import selectors

    panel = _panel(exits, "throughflow.ratio", Y2025)
    assert [f.value for f in panel.figures[:2]] == ["60%", "20%"]
    assert str(panel.figures[1].note).startswith("1 ") and "1 " in str(panel.figures[1].note).split("·")[1]  # C open
    assert _ratio_from_export(_rows(exits, "exits", Y2025)) == (60, 20)
    report = selectors.throughflow_ratio(exits.org, 2025).total
    assert (report.ratio, report.durable_ratio) == (60, 20)
    # One calendar year: the chart adds the years before it (from the first year with an exit, 2023).
    assert [str(b.label) for b in panel.bars[::2]] == ["2023", "2024", "2025"]
    # A year opens the exit list of that year narrowed to its throughflow (the denominator shown beside it).
    assert "throughflow/exits/" in panel.bars[-2].url and panel.bars[-2].url.endswith("throughflow=1")
    assert "start=01%2F01%2F2025" in panel.bars[-2].url and "durable=1" in panel.bars[-1].url
    assert panel.figures[2].value == "-40"


def test_ratio_trend_per_year(exits):
    panel = _panel(exits, "throughflow.ratio", ExportFilters(), today=D(2025, 12, 31))
    # Last five years, starting at the first year with an exit (2023).
    labels = [str(b.label) for b in panel.bars]
    assert labels[::2] == ["2023", "2024", "2025"]
    assert [b.value for b in panel.bars[::2]] == [0, 100, 60]
    assert [b.value for b in panel.bars[1::2]] == [0, 100, 20]
    for year, bar in zip((2023, 2024, 2025), panel.bars[::2], strict=True):
        y = ExportFilters(start=D(year, 1, 1), end=D(year, 12, 31))
        rows = _rows(exits, "exits", y)
        assert bar.value == _ratio_from_export(rows)[0]
    assert panel.figures[0].value == "57%"  # 4 of 7 over the three years
    assert panel.figures[2].value == "-40"  # 2025 against 2024
    assert panel.bars_max == 100


def test_ratio_of_a_cut_year_links_to_the_exit_list(exits):
    panel = _panel(exits, "throughflow.ratio", ExportFilters(start=D(2025, 1, 1), end=D(2025, 3, 31)))
    assert panel.figures[0].value == "67%"  # A, B external of A, B, E
    assert "throughflow/exits/" in panel.bars[0].url and "end=31%2F03%2F2025" in panel.bars[0].url
    assert _ratio_from_export(_rows(exits, "exits", ExportFilters(start=D(2025, 1, 1), end=D(2025, 3, 31))))[0] == 67


# --------------------------------------------------------------------------- the exit list


def test_exit_list_shows_the_panel_numbers(exits, client):
    client.force_login(exits.manager.user)
    url = reverse("throughflow:exit_list", kwargs={"org_slug": exits.org.slug})
    response = client.get(url, {"start": "01/01/2025", "end": "31/12/2025"})
    assert response.status_code == 200
    assert len(response.context["exits"]) == 5
    assert (response.context["summary"].ratio, response.context["summary"].durable_ratio) == (60, 20)
    response = client.get(url, {"start": "01/01/2025", "end": "31/12/2025", "reason": "external"})
    assert len(response.context["exits"]) == 2
    response = client.get(url, {"throughflow": "on", "activity": exits.keuken.pk})
    assert [e.reason for e in response.context["exits"]] == ["internal"]
    response = client.get(url, {"start": "01/01/2025", "end": "01/01/2024"})
    assert "end" in response.context["form"].errors


def test_exit_list_has_a_fixed_query_count(personas, client):
    client.force_login(personas.manager.user)
    url = reverse("throughflow:exit_list", kwargs={"org_slug": personas.org.slug})
    _exit(_worker(personas, personas.activity, personas.coach), D(2025, 3, 1), "external")
    client.get(url)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    for _ in range(49):
        _exit(_worker(personas, personas.activity, personas.coach), D(2025, 3, 1), "drop_out")
    assert measure() == few


# --------------------------------------------------------------------------- recruitment lead time


def _recruit(p, activity, referred, advice, start):
    worker = WorkerFactory(organisation=p.org)
    indication_services.advice_create(worker=worker, actor=None, data={
        "type": "lde_advice", "decision_date": advice, "referred_on": referred})
    EmploymentFactory(worker=worker, activity=activity, contract_start=start)
    return worker


@pytest.fixture
def recruits(personas):
    """2025 starts: 60, 90 and 75 days (Fietspunt 60 + 90, Groen 75): median 75. One 2024 start (30 days),
    one advice without referral date and one referral still waiting for a contract (not counted)."""
    p = personas
    p.groen = ActivityFactory(organisation=p.org, name="Groen")
    _recruit(p, p.activity, D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 2))      # 31 + 29 = 60
    _recruit(p, p.activity, D(2025, 2, 1), D(2025, 3, 15), D(2025, 5, 2))     # 42 + 48 = 90
    _recruit(p, p.groen, D(2025, 3, 1), D(2025, 4, 1), D(2025, 5, 15))        # 31 + 44 = 75
    _recruit(p, p.activity, D(2024, 5, 1), D(2024, 5, 20), D(2024, 5, 31))     # 30
    WorkerFactory(organisation=p.org)
    waiting = WorkerFactory(organisation=p.org)
    indication_services.advice_create(worker=waiting, actor=None, data={
        "type": "lde_advice", "decision_date": D(2025, 6, 1), "referred_on": D(2025, 4, 1)})
    return p


def test_lead_time_panel_equals_its_list(recruits, client):
    panel = _panel(recruits, "indication.lead_time", Y2025)
    assert panel.figures[1].value == 3
    assert panel.figures[0].value in ("75 days", "75 dagen")
    assert [(b.value, b.display.split(" (")[1]) for b in panel.bars] == [(75, "n=2)"), (75, "n=1)")]
    client.force_login(recruits.manager.user)
    response = client.get(panel.figures[0].url)
    assert response.status_code == 200
    assert [r.total for r in response.context["rows"]] == [75, 90, 60]
    assert response.context["median_total"] == 75
    assert (response.context["median_to_advice"], response.context["median_to_start"]) == (31, 44)
    response = client.get(panel.bars[0].url)  # Fietspunt sorts before Groen
    assert sorted(r.total for r in response.context["rows"]) == [60, 90]


def test_lead_time_without_period_is_this_year(recruits):
    panel = _panel(recruits, "indication.lead_time", ExportFilters(), today=D(2024, 8, 1))
    assert panel.figures[1].value == 1 and "30" in str(panel.figures[0].value)


def test_referral_after_the_decision_is_refused_next_to_the_field(personas, client):
    client.force_login(personas.coordinator.user)
    url = reverse("indication:advice_add", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    response = client.post(url, {"type": "lde_advice", "issuing_body": "vdab", "decision_date": "01/03/2025",
                                 "referred_on": "02/03/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["referred_on"]
    assert not personas.worker.advices.exists()
    assert 'value="02/03/2025"' in response.content.decode()


def test_lead_time_list_has_a_fixed_query_count(personas, client):
    client.force_login(personas.manager.user)
    url = reverse("indication:lead_time", kwargs={"org_slug": personas.org.slug})
    _recruit(personas, personas.activity, D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1))
    client.get(url)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), len(response.context["rows"])

    few, n = measure()
    for _ in range(49):
        _recruit(personas, personas.activity, D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1))
    assert measure() == (few, 50 * n)


# --------------------------------------------------------------------------- manager dashboard and yearly report


def test_manager_dashboard_has_the_new_panels_in_order(exits):
    keys = [x.key for x in panels_for(exits.org, exits.manager, ExportFilters(), TODAY)]
    assert keys[-4:] == ["throughflow.exits", "throughflow.ratio", "inflow.lead_time", "indication.lead_time"]


def test_manager_dashboard_query_count_holds_with_exits_and_recruitments(personas, client):
    client.force_login(personas.manager.user)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    query = {"start": "01/01/2024", "end": "31/12/2025"}

    def grow(n):
        for _ in range(n):
            w = _recruit(personas, personas.activity, D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1))
            CoachAssignmentFactory(worker=w, coach=personas.coach, start=D(2024, 3, 1))
            _exit(w, D(2025, 3, 1), "external", six_months=True)

    grow(1)
    client.get(url, query)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    few, _ = measure()
    grow(49)
    many, response = measure()
    assert many == few
    body = response.content.decode()
    assert "throughflow/exits/" in body and "indication/lead-time/" in body


def test_yearly_report_has_exits_ratio_and_lead_time(exits, client):
    from pypdf import PdfReader

    client.force_login(exits.manager.user)
    response = client.get(reverse("reports:yearly_report", kwargs={"org_slug": exits.org.slug}), {"year": "2025"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Uitstroom per reden" in text or "Exits by reason" in text
    assert "60%" in text and "20%" in text


def test_every_registered_exporter_streams_its_rows(personas):
    """Bounded memory starts here: rows() hands out one row at a time (the sector-scale benchmark in
    tests/perf measures it)."""
    for key, exporter in EXPORTERS.items():
        assert inspect.isgenerator(exporter.rows(personas.org, personas.manager, ExportFilters())), key
