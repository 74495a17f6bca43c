import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lde_portal.reports.dashboards import panels_for
from lde_portal.reports.registry import EXPORTERS, ExportFilters
from pop import services as pop_services
from pop.models import ProviderType, Training, WeeklyFeedback
from tests.factories import ActivityFactory, CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from trajects import services as trajects_services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 5, 14)


@pytest.fixture
def known(personas):
    """A fixture with known answers: 3 employed in the activity Fietspunt (one part-time), 1 in Wasserij
    whose contract ended in 2024, 1 in recruitment; trainings of 2025 and 2024."""
    p = personas
    p.wasserij = ActivityFactory(organisation=p.org, name="Wasserij")
    for fte in ("1.0", "0.5"):
        w = WorkerFactory(organisation=p.org)
        EmploymentFactory(worker=w, activity=p.activity, fte=Decimal(fte), contract_start=datetime.date(2025, 2, 1))
        CoachAssignmentFactory(worker=w, coach=p.other_coach)
    gone = WorkerFactory(organisation=p.org, status="exited")
    EmploymentFactory(worker=gone, activity=p.wasserij, contract_start=datetime.date(2023, 1, 1),
                      contract_end=datetime.date(2024, 12, 31))
    WorkerFactory(organisation=p.org, status="recruitment")
    t = Training.objects.create(organisation=p.org, course="VCA", provider="Extern", hours=Decimal("8"),
                                provider_type=ProviderType.EXTERNAL, start_date=datetime.date(2025, 3, 1),
                                cost=Decimal("200"))
    t.participants.set([p.worker, gone])
    old = Training.objects.create(organisation=p.org, course="Taal", provider="CVO", hours=Decimal("30"),
                                  provider_type=ProviderType.LANGUAGE, start_date=datetime.date(2024, 3, 1))
    old.participants.set([p.worker])
    trajects_services.trajectory_start(worker=p.worker, actor=None, regime="LDE", start=datetime.date(2021, 3, 1))
    for w in p.org.workers.all():
        pop_services.pop_schedule_refresh(worker=w)
    return p


def _panel(p, membership, key, filters):
    return next(x for x in panels_for(p.org, membership, filters, TODAY) if x.key == key)


def _rows(p, key, filters):
    return list(EXPORTERS[key].rows(p.org, p.manager, filters))


@pytest.mark.parametrize("filters, expected", [
    (ExportFilters(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)), 3),
    (ExportFilters(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)), 2),  # personas.worker + gone
    (ExportFilters(start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31)), 4),
])
def test_workforce_equals_the_workers_export(known, filters, expected):
    panel = _panel(known, known.manager, "trajects.workforce", filters)
    assert panel.figures[0].value == expected == len(_rows(known, "workers", filters))
    assert sum(b.value for b in panel.bars) == expected
    fte = sum((r[10] for r in _rows(known, "workers", filters)), Decimal(0))
    assert panel.figures[1].value == str(fte.quantize(Decimal("0.1"))).replace(".", ",")


def test_workforce_by_activity_links_to_the_filtered_worker_list(known):
    filters = ExportFilters(start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31),
                            activity_id=known.wasserij.pk)
    panel = _panel(known, known.manager, "trajects.workforce", filters)
    assert panel.figures[0].value == 1 == len(_rows(known, "workers", filters))
    assert panel.bars[0].url.startswith(reverse("reports:figure_list", kwargs={"org_slug": known.org.slug,
                                                                              "key": "workers"}))
    assert panel.bars[0].url.endswith(f"&activity={known.wasserij.pk}")


def test_training_totals_equal_the_training_fund_export(known):
    filters = ExportFilters(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
    panel = _panel(known, known.manager, "pop.trainings", filters)
    rows = _rows(known, "trainings", filters)
    assert len(rows) == 2
    assert panel.figures[0].value == "16,0" and sum(r[6] for r in rows) == Decimal("16")
    assert panel.figures[1].value == "€ 200,00" and sum(r[9] for r in rows) == Decimal("200")
    assert [b.label for b in panel.bars] == ["External trainer"] or [b.label for b in panel.bars] == ["Externe opleider"]


def test_pop_compliance_equals_the_pop_status_export(known):
    with time_machine.travel(TODAY):
        filters = ExportFilters()
        panel = _panel(known, known.manager, "pop.compliance", filters)
        rows = _rows(known, "pop-status", filters)
    assert panel.figures[1].value == sum(1 for r in rows if r[8])


def test_feedback_coverage_panel_equals_the_export(known):
    monday = datetime.date(2025, 5, 12)
    WeeklyFeedback.objects.create(organisation=known.org, worker=known.worker, week_start=monday,
                                  presence="present", author=known.coach)
    filters = ExportFilters(start=monday - datetime.timedelta(weeks=1), end=monday)
    panel = _panel(known, known.coordinator, "pop.feedback_coverage", filters)
    rows = list(EXPORTERS["feedback-coverage"].rows(known.org, known.coordinator, filters))
    assigned, given = sum(r[3] for r in rows), sum(r[4] for r in rows)
    assert (assigned, given) == (6, 1)
    assert panel.figures[0].value == f"{round(100 * given / assigned)}%"


def test_each_role_gets_its_own_panels(known):
    keys = {m: [x.key for x in panels_for(known.org, getattr(known, m), ExportFilters(), TODAY)]
            for m in ("coach", "coordinator", "manager", "org_admin")}
    assert keys["coach"] == ["trajects.my_workers", "pop.feedback_todo"]
    assert keys["coordinator"] == ["trajects.team_deadlines", "pop.review_status", "pop.feedback_coverage",
                                   "trajects.caseload"]
    assert keys["manager"] == keys["org_admin"] == ["trajects.workforce", "trajects.by_regime",
                                                    "trajects.ends_per_quarter", "pop.trainings", "pop.compliance",
                                                    "throughflow.exits", "throughflow.ratio", "inflow.lead_time",
                                                    "indication.lead_time"]


def _grow(p, n):
    for _ in range(n):
        w = WorkerFactory(organisation=p.org)
        EmploymentFactory(worker=w, activity=p.activity)
        CoachAssignmentFactory(worker=w, coach=p.coach)
        trajects_services.trajectory_start(worker=w, actor=None, regime="LDE", start=datetime.date(2022, 3, 1))
        pop_services.pop_schedule_refresh(worker=w)
        WeeklyFeedback.objects.create(organisation=p.org, worker=w, week_start=datetime.date(2025, 5, 5),
                                      presence="present", author=p.coach)


@pytest.mark.parametrize("persona", ["coach", "coordinator", "manager"])
def test_dashboard_page_has_a_fixed_query_count(personas, client, persona):
    membership = getattr(personas, persona)
    client.force_login(membership.user)
    url = reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})
    query = {} if persona == "coach" else {"start": "01/01/2024", "end": "31/12/2025"}

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    client.get(url, query)  # the first request of a session writes to it
    few, response = measure()
    _grow(personas, 49)
    many, response = measure()
    assert many == few
    assert b"<svg" in response.content or persona == "coach"


def test_another_organisations_manager_gets_404(personas, client):
    client.force_login(personas.outsider.user)
    assert client.get(reverse("reports:dashboard", kwargs={"org_slug": personas.org.slug})).status_code == 404
