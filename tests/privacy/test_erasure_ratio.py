"""Issue #11: "after erasure the throughflow ratio of the organisation is unchanged" — plain and durable,
for the organisation, per activity and per coach, also when the erased worker is the durable exit."""

import datetime

import pytest

from lde_portal.accounts.models import Role
from lde_portal.privacy import services as privacy_services
from tests.factories import ActivityFactory, CoachAssignmentFactory, EmploymentFactory, MembershipFactory, WorkerFactory
from throughflow import selectors, services
from throughflow.models import Exit, FollowUp
from trajects.models import Worker

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 3, 1)


def _figures(org, year):
    report = selectors.throughflow_ratio(org, year)
    rows = lambda rs: sorted((str(r.key), r.label, r.exits, r.throughflow, r.durable, r.ratio, r.durable_ratio)  # noqa: E731
                             for r in rs)
    t = report.total
    return (t.exits, t.throughflow, t.durable, t.ratio, t.durable_ratio), rows(report.by_activity), rows(report.by_coach)


def _exited(personas, activity, coach, day, reason, still_employed_at_6=None):
    worker = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=worker, activity=activity, contract_start=D(2022, 1, 1))
    CoachAssignmentFactory(worker=worker, coach=coach, start=D(2022, 1, 1))
    exit_ = services.exit_record(worker=worker, actor=None, today=TODAY,
                                 data={"date": day, "reason": reason, "destination_employer": "Bakkerij Peeters",
                                       "note": f"Naar de bakkerij van de oom van {worker.first_name}"})
    if still_employed_at_6 is not None:
        followup = FollowUp.objects.get(exit=exit_, months=selectors.DURABLE_MONTHS)
        services.followup_record(followup=followup, actor=None, today=TODAY,
                                 data={"done_on": followup.due, "still_employed": still_employed_at_6,
                                       "note": f"{worker.first_name} werkt er nog"})
    return worker


@pytest.mark.parametrize("erased", ["durable", "not_durable", "drop_out"])
def test_erasure_leaves_the_throughflow_ratio_unchanged(personas, erased):
    kitchen = ActivityFactory(organisation=personas.org, name="Sociaal restaurant")
    coach_b = MembershipFactory(organisation=personas.org, role=Role.COACH)
    workers = {
        "durable": _exited(personas, personas.activity, personas.coach, D(2025, 2, 14), "external", True),
        "not_durable": _exited(personas, kitchen, personas.coach, D(2025, 3, 3), "external", False),
        "internal": _exited(personas, kitchen, coach_b, D(2025, 5, 30), "internal"),
        "drop_out": _exited(personas, personas.activity, coach_b, D(2025, 6, 2), "drop_out"),
        "other_year": _exited(personas, personas.activity, personas.coach, D(2024, 11, 4), "external", True),
    }
    before = {year: _figures(personas.org, year) for year in (2024, 2025)}
    assert before[2025][0] == (4, 3, 1, 75, 25)  # the fixture holds what the test is about

    worker = workers[erased]
    request = privacy_services.erasure_request(worker=worker, actor=personas.coordinator.user,
                                               reason="Schriftelijke vraag van de werknemer")
    privacy_services.erasure_decide(request=request, actor=personas.org_admin.user, approve=True)

    erased_worker = Worker.objects.get(pk=worker.pk)
    assert erased_worker.first_name == "Werknemer" and erased_worker.last_name == f"#{worker.pk}"
    assert {year: _figures(personas.org, year) for year in (2024, 2025)} == before
    assert Exit.objects.filter(worker=worker).count() == 1
    # The free text about the person goes; the other workers' notes stay.
    assert not Exit.objects.filter(worker=worker).exclude(note="").exists()
    assert not FollowUp.objects.filter(worker=worker).exclude(note="").exists()
    assert Exit.objects.exclude(worker=worker).exclude(note="").count() == 4


def test_retention_clears_the_exit_notes_after_the_period_and_the_dry_run_lists_them(personas):
    old = _exited(personas, personas.activity, personas.coach, D(2023, 1, 16), "external", True)
    recent = _exited(personas, personas.activity, personas.coach, D(2025, 6, 2), "drop_out")
    plan = privacy_services.retention_plan(personas.org, today=TODAY)
    listed = [i for section in plan if section.handler.key == "throughflow.notes" for i in section.items]
    assert [i.worker_id for i in listed] == [old.pk]
    before = _figures(personas.org, 2023)
    privacy_services.retention_run(personas.org, today=TODAY)
    assert Exit.objects.get(worker=old).note == "" and Exit.objects.get(worker=recent).note != ""
    assert not FollowUp.objects.filter(worker=old).exclude(note="").exists()
    assert _figures(personas.org, 2023) == before
    again = privacy_services.retention_plan(personas.org, today=TODAY)
    assert not [i for section in again if section.handler.key == "throughflow.notes" for i in section.items]
