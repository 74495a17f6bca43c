import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.reports import rendering, xlsx
from lde_portal.reports.registry import EXPORTERS, ExportFilters
from pop.models import ProviderType, Training, WeeklyFeedback
from tests.factories import ActivityFactory, CoachAssignmentFactory, EmploymentFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def _url(p, key, **params):
    from urllib.parse import urlencode

    return reverse("reports:export", kwargs={"org_slug": p.org.slug, "key": key}) + "?" + urlencode(params)


def _content(response):
    return b"".join(response.streaming_content)


def test_the_domain_apps_register_their_exporters():
    assert {"workers", "trajectories", "deadlines", "pop-status", "feedback-coverage", "trainings"} <= set(EXPORTERS)
    for exporter in EXPORTERS.values():
        assert exporter.headers and all(c.header for c in exporter.columns)


def test_csv_download(personas, client):
    personas.worker.last_name = '=HYPERLINK("http://x","y")'
    personas.worker.first_name = "Zoë"
    personas.worker.save()
    client.force_login(personas.manager.user)
    response = client.get(_url(personas, "workers", format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = _content(response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Familienaam", "Voornaam", "INSZ"]
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][1] == "Zoë"
    assert rows[1][9] == "30,4"  # decimal comma for Belgian Excel
    assert rows[1][7] == "01/01/2024"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.organisation_id == personas.org.pk and "1 rows" in entry.summary


def test_xlsx_download_opens_with_openpyxl(personas, client):
    personas.worker.last_name = '=HYPERLINK("http://x","y")'
    personas.worker.save()
    client.force_login(personas.coordinator.user)
    response = client.get(_url(personas, "workers", format="xlsx"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(_content(response)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Familienaam"
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][7] == datetime.datetime(2024, 1, 1)
    assert sheet.cell(row=2, column=8).number_format == "DD/MM/YYYY"


def test_unknown_exporter_is_404_and_bad_filters_are_explained(personas, client):
    client.force_login(personas.manager.user)
    assert client.get(_url(personas, "nope", format="csv")).status_code == 404
    response = client.get(_url(personas, "workers", format="csv", start="01/02/2025", end="01/01/2025"))
    assert response.status_code == 400
    assert "could not be exported" in response.content.decode() or "kon niet" in response.content.decode()


def test_another_organisations_manager_cannot_export(personas, client):
    client.force_login(personas.outsider.user)
    assert client.get(_url(personas, "workers", format="csv")).status_code == 404


def test_workers_export_filters_period_and_activity(personas):
    other = ActivityFactory(organisation=personas.org, name="Wasserij")
    late = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=late, activity=other, contract_start=datetime.date(2025, 6, 1))
    ended = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=ended, activity=other, contract_start=datetime.date(2023, 1, 1),
                      contract_end=datetime.date(2024, 12, 31))
    exporter = EXPORTERS["workers"]

    def names(**kw):
        return [r[0] for r in exporter.rows(personas.org, personas.manager, ExportFilters(**kw))]

    assert len(names()) == 3
    assert names(activity_id=other.pk) == sorted([late.last_name, ended.last_name])
    assert names(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 3, 31)) == [personas.worker.last_name]
    assert exporter.count(personas.org, personas.manager, ExportFilters(start=datetime.date(2025, 1, 1))) == 2


def test_training_fund_layout_groups_by_category_and_splits_cost(personas):
    second = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=second, activity=personas.activity)
    t1 = Training.objects.create(organisation=personas.org, course="Taal op de werkvloer", provider="CVO",
                                 provider_type=ProviderType.LANGUAGE, hours=Decimal("20"),
                                 start_date=datetime.date(2025, 3, 1), cost=Decimal("300"))
    t1.participants.set([personas.worker, second])
    t2 = Training.objects.create(organisation=personas.org, course="VCA", provider="-Externe",
                                 provider_type=ProviderType.EXTERNAL, hours=Decimal("8"),
                                 start_date=datetime.date(2025, 2, 1), cost=Decimal("100"))
    t2.participants.set([personas.worker])
    rows = list(EXPORTERS["trainings"].rows(personas.org, personas.manager, ExportFilters()))
    assert [r[0] for r in rows] == ["Externe opleider", "Taalondersteuning", "Taalondersteuning"]
    assert rows[0][5] == "-Externe"  # neutralised by the renderer, not the exporter
    assert rendering.csv_value(rows[0][5]) == "'-Externe"
    assert rows[1][9] == Decimal("150.00")
    assert EXPORTERS["trainings"].count(personas.org, personas.manager, ExportFilters()) == 3
    in_march = ExportFilters(start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31))
    assert len(list(EXPORTERS["trainings"].rows(personas.org, personas.manager, in_march))) == 2


def test_feedback_coverage_per_coach_and_week(personas):
    monday = datetime.date(2025, 3, 3)
    second = WorkerFactory(organisation=personas.org)
    CoachAssignmentFactory(worker=second, coach=personas.coach, start=datetime.date(2024, 1, 1))
    WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker, week_start=monday,
                                  presence="present", author=personas.coach)
    rows = list(EXPORTERS["feedback-coverage"].rows(
        personas.org, personas.coordinator, ExportFilters(start=monday, end=monday + datetime.timedelta(days=13))))
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        (monday, 2, 1, 50), (monday + datetime.timedelta(days=7), 2, 0, 0)]
    assert rows[0][2] == "2025-W10"


def _many_workers(personas, n):
    for _ in range(n):
        worker = WorkerFactory(organisation=personas.org)
        EmploymentFactory(worker=worker, activity=personas.activity)
        CoachAssignmentFactory(worker=worker, coach=personas.coach)


@pytest.mark.parametrize("key", ["workers", "trajectories", "deadlines", "pop-status", "feedback-coverage",
                                 "trainings"])
def test_exporters_use_a_fixed_number_of_queries(personas, key, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exporter = EXPORTERS[key]

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            list(exporter.rows(personas.org, personas.manager, ExportFilters()))
        return len(ctx.captured_queries)

    few = measure()
    _many_workers(personas, 49)
    assert measure() == few


def test_xlsx_writes_text_as_text_and_types_the_rest():
    """A writer that guesses would make a URL a hyperlink, "0123" a number, "=1+1" a formula."""
    buffer = io.BytesIO()
    row = ("http://evil.example", "0123", "=1+1", "@SUM(A1)", Decimal("30.4"), 7, True, None,
           datetime.date(2024, 1, 31), datetime.datetime(2024, 1, 31, 14, 5, tzinfo=datetime.UTC))
    rendering.write_xlsx([f"h{i}" for i in range(len(row))], iter([row]), buffer, title="Test")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    header, values = list(sheet.iter_rows(values_only=True))
    assert header[0] == "h0"
    assert values[:4] == ("http://evil.example", "0123", "'=1+1", "'@SUM(A1)")
    assert values[4:8] == (30.4, 7, "ja", None)
    assert values[8] == datetime.datetime(2024, 1, 31) and values[9] == datetime.datetime(2024, 1, 31, 14, 5)
    assert sheet.cell(row=2, column=9).number_format == "DD/MM/YYYY"
    assert sheet.cell(row=2, column=10).number_format == "DD/MM/YYYY HH:MM"
    assert not sheet.cell(row=2, column=1).hyperlink and sheet.cell(row=2, column=3).data_type == "s"


@pytest.mark.parametrize("value, serial", [
    # Excel's own serials (=DATEVALUE / =VALUE in a Belgian Excel): day 61 is 01/03/1900, after the phantom 29/02.
    (datetime.date(1900, 3, 1), 61),
    (datetime.date(2000, 1, 1), 36526),
    (datetime.date(2024, 2, 29), 45351),
    (datetime.date(2026, 11, 23), 46349),
    (datetime.datetime(2026, 11, 23, 12, 0), 46349.5),
    (datetime.datetime(2026, 3, 29, 2, 30, tzinfo=datetime.UTC), 46110 + 2.5 / 24),
])
def test_dates_are_written_as_excel_serials(value, serial):
    if isinstance(value, datetime.datetime):
        assert xlsx.excel_serial(value) == pytest.approx(serial, abs=1e-9)
    else:
        assert (value - xlsx.EXCEL_EPOCH).days == serial
    buffer = io.BytesIO()
    rendering.write_xlsx(["d"], iter([(value,)]), buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.cell(row=2, column=1)
    assert cell.value == datetime.datetime.combine(value, datetime.time()) if type(value) is datetime.date \
        else cell.value == value.replace(tzinfo=None)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_workers_csv_names_a_status_with_the_word_the_pages_use(personas, client, language):
    from trajects.models import WorkerStatus

    personas.worker.status = WorkerStatus.EXITED
    personas.worker.save()
    client.force_login(personas.manager.user)
    client.cookies["django_language"] = language
    data = _content(client.get(_url(personas, "workers", format="csv")))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][4] == "Status"
    assert rows[1][4] == "Uitgestroomd"  # the badge on the worker list and the dossier says the same
