import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lde_portal.alerts import tasks
from lde_portal.alerts.models import Alert, AlertRecipient, AlertSettings, AlertState
from lde_portal.alerts.registry import register_provider, unregister_provider
from lde_portal.alerts.scan import scan_organisation
from tests.factories import CoachAssignmentFactory, EmploymentFactory, OrganisationFactory, WorkerFactory

from .conftest import KIND, end_contract

D = datetime.date
DUE = D(2026, 6, 30)  # lead times 30 and 7 days: visible from 31/05; escalation after 14 days overdue


def _scan(personas, on):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(6, 0)), tick=False):
        return scan_organisation(organisation=personas.org)


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "expected_state", "escalated"), [
    (D(2026, 5, 30), None, False),              # not yet: before the largest lead time
    (D(2026, 5, 31), AlertState.OPEN, False),    # first day of the 30-day lead time
    (D(2026, 6, 30), AlertState.OPEN, False),    # due today
    (D(2026, 7, 13), AlertState.OPEN, False),    # overdue by 13 days: not yet escalated
    (D(2026, 7, 14), AlertState.OPEN, True),     # overdue by the escalation delay (14 days)
])
def test_time_travel_stages(personas, provider, today, expected_state, escalated):
    end_contract(personas, DUE)
    _scan(personas, today)
    alerts = list(Alert.objects.filter(kind=KIND))
    if expected_state is None:
        assert alerts == []
        return
    (alert,) = alerts
    assert alert.state == expected_state
    assert alert.due == DUE and alert.notify_from == D(2026, 5, 31)
    assert bool(alert.escalated_at) is escalated
    recipients = set(AlertRecipient.objects.filter(alert=alert).values_list("membership_id", flat=True))
    assert recipients == ({personas.coach.pk, personas.coordinator.pk} if escalated else {personas.coach.pk})


@pytest.mark.django_db
def test_resolved_when_the_condition_is_gone_and_reopened_when_it_returns(personas, provider):
    employment = end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    employment.contract_end = None
    employment.save()
    result = _scan(personas, D(2026, 6, 2))
    alert = Alert.objects.get(kind=KIND)
    assert result.resolved == 1 and alert.state == AlertState.RESOLVED and alert.resolved_at
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 3))
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN and alert.resolved_at is None


@pytest.mark.django_db
def test_a_moved_deadline_resolves_the_old_alert_and_raises_a_new_one(personas, provider):
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    end_contract(personas, D(2026, 6, 20))
    _scan(personas, D(2026, 6, 2))
    states = dict(Alert.objects.values_list("due", "state"))
    assert states == {DUE: AlertState.RESOLVED, D(2026, 6, 20): AlertState.OPEN}


@pytest.mark.django_db
def test_the_worker_exiting_resolves_the_alert(personas, provider):
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    personas.worker.status = "exited"
    personas.worker.save()
    _scan(personas, D(2026, 6, 2))
    assert Alert.objects.get().state == AlertState.RESOLVED


@pytest.mark.django_db
def test_running_the_scan_twice_leaves_exactly_one_alert(personas, provider):
    end_contract(personas, DUE)
    first = _scan(personas, D(2026, 7, 20))
    second = _scan(personas, D(2026, 7, 20))
    tasks.scan_all.delay("2026-07-20")  # and once more through the Celery task (in-process here)
    assert first.raised == 1 and second.raised == 0
    assert Alert.objects.count() == 1
    assert AlertRecipient.objects.count() == 2  # the coach, and the coordinator after escalation
    assert second.escalated == 0


@pytest.mark.django_db
def test_a_missed_day_is_caught_up(personas, provider):
    """No scan ran for weeks (broker down): the next run raises and escalates from the database state."""
    end_contract(personas, DUE)
    _scan(personas, D(2026, 8, 1))
    alert = Alert.objects.get()
    assert alert.state == AlertState.OPEN and alert.escalated_at


@pytest.mark.django_db
def test_lead_times_come_from_the_organisation_settings(personas, provider):
    AlertSettings.objects.create(organisation=personas.org, lead_times={KIND: [60]}, escalation_delay_days=3)
    end_contract(personas, DUE)
    _scan(personas, D(2026, 5, 1))  # 60 days before
    assert Alert.objects.get().notify_from == D(2026, 5, 1)
    _scan(personas, D(2026, 7, 3))
    assert Alert.objects.get().escalated_at


@pytest.mark.django_db
def test_a_failing_provider_is_logged_and_does_not_stop_the_others_nor_resolve_its_alerts(personas, provider, caplog):
    end_contract(personas, DUE)
    calls = []

    def broken(organisation, today, settings):
        calls.append(organisation.pk)
        raise RuntimeError("provider bug")

    _scan(personas, D(2026, 6, 1))
    register_provider("test_broken", broken, label="Broken")
    try:
        register_provider(KIND, broken, label="Contract end")  # the same kind now fails
        result = _scan(personas, D(2026, 6, 2))
    finally:
        unregister_provider("test_broken")
    assert set(result.failed_kinds) == {KIND, "test_broken"}
    assert Alert.objects.get().state == AlertState.OPEN  # not resolved by a crash
    assert "provider bug" in caplog.text


@pytest.mark.django_db
def test_a_failing_organisation_does_not_stop_the_others(personas, provider, monkeypatch, caplog):
    end_contract(personas, DUE)
    other_employment = EmploymentFactory(worker=personas.foreign_worker, contract_end=DUE)
    CoachAssignmentFactory(worker=personas.foreign_worker, coach=personas.outsider)
    real = scan_organisation

    def flaky(*, organisation, today=None):
        if organisation.pk == personas.org.pk:
            raise RuntimeError("database hiccup in one organisation")
        return real(organisation=organisation, today=today)

    monkeypatch.setattr("lde_portal.alerts.scan.scan_organisation", flaky)
    tasks.scan_all.delay("2026-06-15")
    assert list(Alert.objects.values_list("subject_key", flat=True)) == [f"employment:{other_employment.pk}"]
    assert "database hiccup" in caplog.text


@pytest.mark.django_db
def test_a_candidate_naming_another_organisations_worker_is_dropped(personas):
    from lde_portal.alerts.registry import AlertCandidate

    def leaky(organisation, today, settings):
        yield AlertCandidate(kind="test_leak", worker_id=personas.foreign_worker.pk, subject_key="x:1", due=today,
                             notify_from=today, recipients=("coordinators",))

    register_provider("test_leak", leaky, label="Leak")
    try:
        _scan(personas, D(2026, 6, 1))
    finally:
        unregister_provider("test_leak")
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_recipients_follow_the_coach_assignment(personas, provider):
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    personas.assignment.end = D(2026, 6, 1)
    personas.assignment.save()
    CoachAssignmentFactory(worker=personas.worker, coach=personas.other_coach, start=D(2026, 6, 2))
    _scan(personas, D(2026, 6, 2))
    assert set(AlertRecipient.objects.values_list("membership_id", flat=True)) == {personas.other_coach.pk}


@pytest.mark.django_db
def test_an_alert_without_coach_goes_to_the_coordinators(personas, provider):
    personas.assignment.delete()
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    assert set(AlertRecipient.objects.values_list("membership_id", flat=True)) == {personas.coordinator.pk}


@pytest.mark.django_db
def test_a_snooze_ends_on_its_date(personas, provider):
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 1))
    Alert.objects.update(state=AlertState.SNOOZED, snoozed_until=D(2026, 6, 10), snooze_reason="wacht op VDAB")
    _scan(personas, D(2026, 6, 9))
    assert Alert.objects.get().state == AlertState.SNOOZED
    _scan(personas, D(2026, 6, 10))
    assert Alert.objects.get().state == AlertState.OPEN


@pytest.mark.django_db
def test_a_done_task_is_not_raised_again(personas, task_provider):
    end_contract(personas, DUE)
    _scan(personas, D(2026, 6, 20))
    Alert.objects.update(state=AlertState.DONE)
    _scan(personas, D(2026, 6, 21))
    assert Alert.objects.get().state == AlertState.DONE


def _org_with_workers(n, due):
    org = OrganisationFactory()
    from lde_portal.accounts.models import Role
    from tests.factories import MembershipFactory

    coach = MembershipFactory(organisation=org, role=Role.COACH)
    MembershipFactory(organisation=org, role=Role.COORDINATOR)
    for _ in range(n):
        worker = WorkerFactory(organisation=org)
        EmploymentFactory(worker=worker, contract_end=due)
        CoachAssignmentFactory(worker=worker, coach=coach)
    return org


@pytest.mark.django_db
def test_the_scan_queries_do_not_grow_with_the_number_of_workers(provider):
    counts = {}
    for n in (5, 50):
        org = _org_with_workers(n, DUE)
        for day in (D(2026, 6, 1), D(2026, 7, 20)):  # raising, then escalating
            with CaptureQueriesContext(connection) as ctx:
                scan_organisation(organisation=org, today=day)
            counts[(n, day)] = len(ctx.captured_queries)
        assert Alert.objects.filter(organisation=org, escalated_at__isnull=False).count() == n
    assert counts[(5, D(2026, 6, 1))] == counts[(50, D(2026, 6, 1))]
    assert counts[(5, D(2026, 7, 20))] == counts[(50, D(2026, 7, 20))]


@pytest.mark.django_db
def test_scan_alerts_command(personas, provider):
    from io import StringIO

    from django.core.management import CommandError, call_command

    end_contract(personas, DUE)
    out = StringIO()
    call_command("scan_alerts", "--org", personas.org.slug, "--date", "2026-06-01", stdout=out)
    assert "stroom: 1 raised" in out.getvalue()
    call_command("scan_alerts", "--date", "2026-06-01", stdout=out)
    assert Alert.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("scan_alerts", "--org", "nope")
    with pytest.raises(CommandError):
        call_command("scan_alerts", "--date", "01/06/2026")


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "escalated"), [
    (D(2026, 7, 14), True),    # overdue by the 14-day delay: escalated
    (D(2026, 9, 28), True),    # overdue by 90 days: the horizon's last day
    (D(2026, 9, 29), False),   # overdue by 91 days: past the horizon, never escalated
    (D(2029, 3, 31), False),   # "2802 dagen te laat": not the coordinators' emergency
])
def test_overdue_alerts_past_the_escalation_horizon_do_not_escalate(personas, provider, settings, today, escalated):
    settings.PORTAL_ALERT_ESCALATION_HORIZON_DAYS = 90
    end_contract(personas, DUE)
    _scan(personas, today)
    alert = Alert.objects.get(kind=KIND)
    assert bool(alert.escalated_at) is escalated
    recipients = set(AlertRecipient.objects.filter(alert=alert).values_list("membership_id", flat=True))
    assert recipients == ({personas.coach.pk, personas.coordinator.pk} if escalated else {personas.coach.pk})


@pytest.mark.django_db
@pytest.mark.parametrize(("horizon", "escalated_on_day_200"), [(90, False), (365, True)])
def test_an_escalation_is_taken_back_past_the_horizon(personas, provider, settings, horizon, escalated_on_day_200):
    settings.PORTAL_ALERT_ESCALATION_HORIZON_DAYS = horizon
    end_contract(personas, DUE)
    _scan(personas, D(2026, 7, 20))
    assert Alert.objects.get(kind=KIND).escalated_at
    _scan(personas, DUE + datetime.timedelta(days=200))
    alert = Alert.objects.get(kind=KIND)
    assert bool(alert.escalated_at) is escalated_on_day_200 and alert.state == AlertState.OPEN
    recipients = set(AlertRecipient.objects.filter(alert=alert).values_list("membership_id", flat=True))
    assert recipients == ({personas.coach.pk, personas.coordinator.pk} if escalated_on_day_200
                          else {personas.coach.pk})
