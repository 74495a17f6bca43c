"""Exits (docs/domain.md §3.7): validation, what an exit closes, and what stays readable."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from pop.selectors import team_workers
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from throughflow import services
from throughflow.models import Exit, FollowUp
from trajects import services as trajects_services
from trajects.models import CoachAssignment, Trajectory, WorkerStatus
from trajects.selectors import worker_list

pytestmark = pytest.mark.django_db
D = datetime.date


TODAY = D(2025, 6, 1)


def _exit(worker, day, reason="external", today=TODAY, **extra):
    data = {"date": day, "reason": reason, "destination_employer": "Bakkerij Peeters", **extra}
    return services.exit_record(worker=worker, actor=None, data=data, today=today)


@pytest.mark.parametrize(("day", "field_message"), [
    (D(2023, 12, 31), "vóór de start van de tewerkstelling of het traject (01/01/2024)"),
    (D(2025, 6, 2), "kan niet in de toekomst liggen (vandaag is 01/06/2025)"),
])
def test_exit_outside_the_employment_is_refused_and_nothing_saved(personas, day, field_message):
    with pytest.raises(ValidationError) as exc:
        _exit(personas.worker, day)
    assert field_message in " ".join(exc.value.message_dict["date"])
    personas.worker.refresh_from_db()
    assert personas.worker.status == WorkerStatus.ACTIVE
    assert not Exit.objects.exists() and not FollowUp.objects.exists()
    assert CoachAssignment.objects.get(pk=personas.assignment.pk).end is None


def test_exit_before_the_trajectory_start_is_refused(personas):
    personas.employment.delete()
    trajects_services.trajectory_start(worker=personas.worker, actor=None, regime="LDE", start=D(2021, 3, 1),
                                       opened_on=D(2021, 3, 1), today=D(2021, 3, 1))
    with pytest.raises(ValidationError) as exc:
        _exit(personas.worker, D(2021, 2, 15))
    assert "01/03/2021" in exc.value.message_dict["date"][0]
    assert Trajectory.objects.get().closed_on is None


def test_exit_closes_trajectory_employment_assignments_and_plans_followups(personas):
    trajectory = trajects_services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                                    start=D(2021, 2, 1), today=D(2025, 5, 1))
    exit_ = _exit(personas.worker, D(2025, 5, 31), contract_type="open_ended", weekly_hours=30)
    trajectory.refresh_from_db()
    personas.worker.refresh_from_db()
    personas.employment.refresh_from_db()
    assert (trajectory.closed_on, trajectory.closed_reason) == (D(2025, 5, 31), "exit")
    assert personas.employment.contract_end == D(2025, 5, 31)
    assert CoachAssignment.objects.get(pk=personas.assignment.pk).end == D(2025, 5, 31)
    assert (personas.worker.status, personas.worker.status_since) == (WorkerStatus.EXITED, D(2025, 5, 31))
    assert (exit_.activity, exit_.coach, exit_.trajectory) == (personas.activity, personas.coach, trajectory)
    assert [(f.months, f.due) for f in exit_.followups.all()] == [
        (1, D(2025, 6, 30)), (3, D(2025, 8, 31)), (6, D(2025, 11, 30)), (12, D(2026, 5, 31))]
    with pytest.raises(ValidationError):
        _exit(personas.worker, D(2025, 5, 31))


def test_after_exit_worker_leaves_active_lists_and_only_aftercare_alerts_remain(personas):
    other = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=other, activity=personas.activity)
    CoachAssignmentFactory(worker=other, coach=personas.coach)
    trajects_services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                       start=D(2021, 2, 1), today=D(2025, 5, 1))
    scan_organisation(organisation=personas.org, today=D(2025, 5, 1))
    mine = Alert.objects.filter(state="open", worker_id=personas.worker.pk)
    assert mine.filter(kind="trajectory_end").exists()

    with time_machine.travel(D(2025, 6, 1)):
        assert personas.worker in team_workers(personas.coach)
        _exit(personas.worker, D(2025, 5, 31))
        scan_organisation(organisation=personas.org, today=D(2025, 6, 20))
        assert list(team_workers(personas.coach)) == [other]
        assert list(worker_list(personas.coach)) == [other]
        assert personas.worker in worker_list(personas.coordinator)  # still readable for the coordinators
    assert set(mine.values_list("kind", flat=True)) == {"aftercare_followup"}
    # Recording the follow-up resolves it too.
    followup = FollowUp.objects.get(worker=personas.worker, months=1)
    services.followup_record(followup=followup, actor=None, today=D(2025, 7, 1),
                             data={"done_on": D(2025, 7, 1), "still_employed": True, "same_employer": True,
                                   "support_needed": False, "note": "OK"})
    scan_organisation(organisation=personas.org, today=D(2025, 7, 2))
    assert not mine.filter(state="open", kind="aftercare_followup", subject_key=f"followup:{followup.pk}").exists()


def test_followup_validation(personas):
    _exit(personas.worker, D(2025, 5, 31))
    followup = FollowUp.objects.get(months=1)
    with pytest.raises(ValidationError) as exc:
        services.followup_record(followup=followup, actor=None, today=D(2025, 7, 1),
                                 data={"done_on": D(2025, 5, 1), "still_employed": None})
    assert set(exc.value.message_dict) == {"done_on", "still_employed"}
    followup.refresh_from_db()
    assert followup.done_on is None


def test_exit_form_shows_errors_and_keeps_input(personas, login):
    client = login(personas.coordinator)
    url = reverse("throughflow:exit_add", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    response = client.post(url, {"date": "01/01/2020", "reason": "external", "destination_employer": "Colruyt",
                                 "support_after": "none"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "01/01/2024" in body and "Colruyt" in body
    assert not Exit.objects.exists()


def test_exit_and_followup_through_the_views(personas, login):
    client = login(personas.coordinator)
    kwargs = {"org_slug": personas.org.slug, "pk": personas.worker.pk}
    today = datetime.date.today()
    # The 1-month call is answered from its due date on (test_coach_exit.py): exit 40 days ago.
    exit_day = today - datetime.timedelta(days=40)
    response = client.post(reverse("throughflow:exit_add", kwargs=kwargs),
                           {"date": exit_day.strftime("%d/%m/%Y"), "reason": "drop_out", "support_after": "none"})
    assert response.status_code == 302
    followup = FollowUp.objects.get(months=1)
    response = client.post(reverse("throughflow:followup_edit", kwargs={**kwargs, "followup_pk": followup.pk}),
                           {"done_on": today.strftime("%d/%m/%Y"), "still_employed": "false", "note": "Zoekt werk",
                            "version": followup.version})
    assert response.status_code == 302, response.context["form"].errors
    followup.refresh_from_db()
    assert (followup.done_on, followup.still_employed) == (today, False)
    page = client.get(reverse("throughflow:tab", kwargs=kwargs)).content.decode()
    assert "Zoekt werk" in page


def test_throughflow_tab_query_count_is_fixed(personas, login, django_assert_num_queries):
    """1 vs 50 exited workers in the organisation, the viewed worker with a recorded follow-up."""
    client = login(personas.coordinator)
    exit_ = _exit(personas.worker, D(2025, 5, 31))
    FollowUp.objects.filter(exit=exit_, months=1).update(done_on=D(2025, 7, 1), still_employed=True,
                                                         recorded_by=personas.coordinator.user)
    url = reverse("throughflow:tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    client.get(url)
    with django_assert_num_queries(14) as one:  # +1: the throughflow track; +1: the readiness checks; +5: job target, applications, internships, handover notes, consents
        response = client.get(url)
    assert "Bakkerij Peeters" in response.content.decode()
    for _ in range(49):
        worker = WorkerFactory(organisation=personas.org)
        EmploymentFactory(worker=worker, activity=personas.activity)
        _exit(worker, D(2025, 5, 1), reason="drop_out")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_subject_access_file_contains_the_exit_and_followups(personas):
    from lde_portal.privacy.registry import collect

    _exit(personas.worker, D(2025, 5, 31))
    sections = dict(collect(personas.worker))
    assert len(sections["Uitstroom"]) == 1 and len(sections["Nazorgopvolgingen"]) == 4
    assert sections["Uitstroom"][0]["bestemmingswerkgever"] == "Bakkerij Peeters"


def _rendered_version(html):
    """The version the page put in its form, as a browser would post it back ("" when the form carries none)."""
    import re

    match = re.search(r'name="version" value="(\d*)"', html)
    return match.group(1) if match else ""


def test_two_people_recording_the_same_followup_the_second_gets_the_conflict_and_nothing_is_overwritten(personas):
    from django.test import Client

    from lde_portal.accounts.models import Role
    from tests.factories import MembershipFactory

    today = datetime.date.today()
    services.exit_record(worker=personas.worker, actor=None,
                         data={"date": today - datetime.timedelta(days=40), "reason": "external",
                               "destination_employer": "Bakkerij Peeters"})
    followup = FollowUp.objects.get(months=1)
    url = reverse("throughflow:followup_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                                       "followup_pk": followup.pk})
    # Two coordinators phone the former worker the same week.
    coach, coordinator = Client(), Client()
    coach.force_login(MembershipFactory(organisation=personas.org, role=Role.COORDINATOR).user)
    coordinator.force_login(personas.coordinator.user)
    day = today.strftime("%d/%m/%Y")
    # Both open the form before either saves.
    seen_by_coach = _rendered_version(coach.get(url).content.decode())
    seen_by_coordinator = _rendered_version(coordinator.get(url).content.decode())
    assert coach.post(url, {"done_on": day, "still_employed": "true", "same_employer": "true",
                            "note": "Werkt graag bij de bakker", "version": seen_by_coach}).status_code == 302
    response = coordinator.post(url, {"done_on": day, "still_employed": "false", "note": "Zoekt werk",
                                      "version": seen_by_coordinator})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft deze opvolging intussen geregistreerd" in html
    # What is stored now next to what the coordinator typed, which is still in the form.
    assert "Werkt graag bij de bakker" in html and "Zoekt werk</textarea>" in html
    followup.refresh_from_db()
    assert (followup.still_employed, followup.note) == (True, "Werkt graag bij de bakker")
    # Saving again, knowingly, on the version now offered wins.
    response = coordinator.post(url, {"done_on": day, "still_employed": "false", "note": "Zoekt werk",
                                      "version": _rendered_version(html)})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.still_employed, followup.note) == (False, "Zoekt werk")
