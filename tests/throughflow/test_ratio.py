"""The throughflow ratio against a hand-computed fixture (docs/throughflow.md has the definition)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory, EmploymentFactory, MembershipFactory, WorkerFactory
from throughflow import selectors, services
from throughflow.models import FollowUp

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


def _worker(org, activity, coach=None):
    from tests.factories import CoachAssignmentFactory

    worker = WorkerFactory(organisation=org)
    EmploymentFactory(worker=worker, activity=activity)
    if coach:
        CoachAssignmentFactory(worker=worker, coach=coach)
    return worker


def _exit(worker, day, reason, six_months=None):
    exit_ = services.exit_record(worker=worker, actor=None, today=TODAY,
                                 data={"date": day, "reason": reason, "destination_employer": "Werkgever"})
    if six_months is not None:
        FollowUp.objects.filter(exit=exit_, months=6).update(done_on=TODAY, still_employed=six_months)
    return exit_


@pytest.fixture
def fixture_exits(personas):
    """2025: five exits. Activity 'Groen' (coach): A external, still employed at 6 months (durable);
    B external, NO LONGER employed at 6 months; D drop-out. Activity 'Keuken' (no coach): C internal,
    6-month follow-up not recorded; E retirement. 2024: F external (other year).

    By hand: 3 throughflow / 5 exits = 60 %; durable 1 / 5 = 20 %. Groen 2/3 = 67 %, durable 1/3 = 33 %;
    Keuken 1/2 = 50 %, durable 0/2 = 0 %. Coach: 2/3 and 1/3 (= Groen); no coach: 1/2 and 0/2."""
    groen = ActivityFactory(organisation=personas.org, name="Groen")
    keuken = ActivityFactory(organisation=personas.org, name="Keuken")
    coach = personas.coach
    _exit(_worker(personas.org, groen, coach), D(2025, 2, 28), "external", six_months=True)
    _exit(_worker(personas.org, groen, coach), D(2025, 3, 31), "external", six_months=False)
    _exit(_worker(personas.org, keuken), D(2025, 12, 31), "internal")
    _exit(_worker(personas.org, groen, coach), D(2025, 6, 1), "drop_out")
    _exit(_worker(personas.org, keuken), D(2025, 1, 1), "retirement")
    _exit(_worker(personas.org, groen, coach), D(2024, 12, 31), "external", six_months=True)
    return groen, keuken


def test_ratio_equals_the_hand_computed_fixture(personas, fixture_exits):
    groen, keuken = fixture_exits
    report = selectors.throughflow_ratio(personas.org, 2025)
    t = report.total
    assert (t.exits, t.throughflow, t.durable, t.ratio, t.durable_ratio) == (5, 3, 1, 60, 20)
    assert [(r.label, r.exits, r.throughflow, r.durable, r.ratio, r.durable_ratio) for r in report.by_activity] == [
        ("Groen", 3, 2, 1, 67, 33), ("Keuken", 2, 1, 0, 50, 0)]
    assert [(r.key, r.exits, r.ratio, r.durable_ratio) for r in report.by_coach] == [
        (personas.coach.pk, 3, 67, 33), (None, 2, 50, 0)]
    assert report.years == [2025, 2024]
    last = selectors.throughflow_ratio(personas.org, 2024).total
    assert (last.exits, last.ratio, last.durable_ratio) == (1, 100, 100)


def test_ratio_page_shows_definition_figures_and_the_list(personas, fixture_exits, login):
    groen, _ = fixture_exits
    client = login(personas.manager)
    url = reverse("throughflow:ratio", kwargs={"org_slug": personas.org.slug})
    body = client.get(url, {"year": 2025}).content.decode()
    assert "60%" in body and "20%" in body and "÷" in body
    response = client.get(url, {"year": 2025, "by": "activity", "key": groen.pk})
    assert len(response.context["listing"]) == 3
    response = client.get(url, {"year": 2025, "by": "coach", "key": "none"})
    assert {e.reason for e in response.context["listing"]} == {"internal", "retirement"}


@pytest.mark.parametrize("six_months, shown", [(True, "ja"), (False, "nee"), (None, "—")])
def test_ratio_list_shows_a_pending_follow_up_as_not_known_yet(personas, login, six_months, shown):
    """Like the exit list: a 6-month follow-up not recorded yet is not a "no"."""
    worker = _worker(personas.org, ActivityFactory(organisation=personas.org))
    _exit(worker, D(2025, 2, 1), "external", six_months=six_months)
    response = login(personas.manager).get(reverse("throughflow:ratio", kwargs={"org_slug": personas.org.slug}),
                                           {"year": 2025, "by": "all"})
    row = response.content.decode().split(worker.full_name)[1].split("</tr>")[0]
    assert row.rstrip().endswith(f'data-label="Duurzaam">{shown}</td>')


def test_ratio_page_query_count_is_fixed(personas, login, django_assert_num_queries):
    activity = ActivityFactory(organisation=personas.org)
    _exit(_worker(personas.org, activity, personas.coach), D(2025, 2, 1), "external", six_months=True)
    client = login(personas.coordinator)
    url = reverse("throughflow:ratio", kwargs={"org_slug": personas.org.slug})
    params = {"year": 2025, "by": "all"}
    client.get(url, params)
    with django_assert_num_queries(7) as one:
        client.get(url, params)
    for i in range(49):
        coach = MembershipFactory(organisation=personas.org)
        _exit(_worker(personas.org, ActivityFactory(organisation=personas.org), coach), D(2025, 3, 1),
              "external" if i % 2 else "dismissal", six_months=bool(i % 3))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["listing"]) == 50
