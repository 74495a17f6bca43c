"""POP due dates with real dates (month ends, leap years), pure and through the stored schedule."""

import datetime

import pytest
import time_machine

from pop import rules, services
from pop.models import PopStatus
from tests.factories import EmploymentFactory
from tests.pop.helpers import make_version
from trajects.rules import RuleSet

D = datetime.date


@pytest.mark.parametrize(("hire", "due"), [
    (D(2026, 1, 31), D(2026, 2, 28)),   # month end clamps
    (D(2024, 1, 31), D(2024, 2, 29)),   # leap year
    (D(2026, 1, 15), D(2026, 2, 15)),
    (D(2026, 12, 20), D(2027, 1, 20)),  # over the year end
    (D(2026, 3, 31), D(2026, 4, 30)),
])
def test_first_pop_due_one_month_after_hiring(hire, due):
    result = rules.pop_due(RuleSet.default(), hire_date=hire, first_registered_on=None, last_approved_on=None,
                           active=True)
    assert (result.next_due, result.next_due_kind) == (due, "first_registration")


@pytest.mark.parametrize(("approved", "due"), [
    (D(2025, 2, 28), D(2026, 2, 28)),
    (D(2024, 2, 29), D(2025, 2, 28)),   # 29/02 + 12 months in a non-leap year
    (D(2026, 11, 23), D(2027, 11, 23)),
])
def test_yearly_review_due_twelve_months_after_last_approval(approved, due):
    result = rules.pop_due(RuleSet.default(), hire_date=D(2020, 1, 1), first_registered_on=D(2020, 1, 20),
                           last_approved_on=approved, active=True)
    assert (result.next_due, result.next_due_kind) == (due, "yearly_review")


def test_no_running_deadline_for_an_inactive_worker():
    result = rules.pop_due(RuleSet.default(), hire_date=D(2026, 1, 31), first_registered_on=None,
                           last_approved_on=None, active=False)
    assert result.next_due is None and result.first_pop_due == D(2026, 2, 28)


@pytest.mark.parametrize(("value", "monday"), [
    ("2026-W01", D(2025, 12, 29)), ("2026-W53", D(2026, 12, 28)), ("2020-W53", D(2020, 12, 28)),
    ("2026-W99", None), ("zomaar", None), ("0001-W01", None), ("9999-W52", None), ("2100-W01", D(2100, 1, 4)),
])
def test_parse_iso_week(value, monday):
    assert rules.parse_iso_week(value) == monday


@pytest.mark.django_db
def test_schedule_follows_hiring_approval_and_registration(personas):
    """Hired 31/01/2026 (the earliest contract counts): first POP due 28/02; after approval on 20/02 and
    VDAB registration on 25/02 the yearly review is due on 20/02/2027."""
    worker = personas.worker
    personas.employment.contract_start = D(2026, 3, 15)
    personas.employment.save()
    EmploymentFactory(worker=worker, activity=personas.activity, contract_start=D(2026, 1, 31))
    with time_machine.travel(D(2026, 2, 10)):
        schedule = services.pop_schedule_refresh(worker=worker)
    assert (schedule.hire_date, schedule.next_due, schedule.next_due_kind) == (
        D(2026, 1, 31), D(2026, 2, 28), "first_registration")
    version = make_version(worker, status=PopStatus.READY)
    with time_machine.travel(D(2026, 2, 20)):
        services.pop_approve(version=version, actor=personas.coordinator.user)
    schedule.refresh_from_db()
    assert schedule.next_due == D(2026, 2, 28), "approved but not yet registered with VDAB"
    with time_machine.travel(D(2026, 2, 26)):
        services.pop_register_vdab(version=version, actor=personas.coordinator.user, on=D(2026, 2, 25))
    schedule.refresh_from_db()
    assert (schedule.first_registered_on, schedule.next_due, schedule.next_due_kind) == (
        D(2026, 2, 25), D(2027, 2, 20), "yearly_review")


@pytest.mark.django_db
def test_leap_day_hire_and_future_registration_refused(personas):
    personas.employment.contract_start = D(2024, 1, 31)
    personas.employment.save()
    with time_machine.travel(D(2024, 2, 5)):
        assert services.pop_schedule_refresh(worker=personas.worker).next_due == D(2024, 2, 29)
        version = make_version(personas.worker, year=2024, status=PopStatus.READY)
        services.pop_approve(version=version, actor=personas.coordinator.user)
        with pytest.raises(Exception, match="toekomst|future"):
            services.pop_register_vdab(version=version, actor=personas.coordinator.user, on=D(2024, 2, 6))


@pytest.mark.django_db
def test_refresh_command_is_idempotent(personas):
    from django.core.management import call_command

    from pop.models import PopSchedule

    personas.employment.contract_start = D(2026, 1, 31)
    personas.employment.save()
    call_command("pop_refresh_due")
    call_command("pop_refresh_due", org="stroom")
    schedule = PopSchedule.objects.get(worker=personas.worker)
    assert PopSchedule.objects.filter(worker=personas.worker).count() == 1
    assert schedule.next_due == D(2026, 2, 28)


@pytest.mark.django_db
def test_refresh_task_runs_twice_without_duplicates(personas):
    from pop.models import PopSchedule
    from pop.tasks import refresh_due

    assert refresh_due.delay().get() >= 2
    assert refresh_due.delay(personas.org.pk).get() == 1
    assert PopSchedule.objects.filter(worker=personas.worker).count() == 1


@pytest.mark.django_db
def test_schedule_reads_the_edited_rule_table(personas):
    """The first-POP deadline follows an edit of the rule table (GENERAL.pop_first_registration_months),
    like every trajectory deadline does: pop reads the same table, not the shipped defaults."""
    from trajects.models import RegimeRule

    personas.employment.contract_start = D(2026, 1, 31)
    personas.employment.save()
    RegimeRule.objects.filter(regime="GENERAL", key="pop_first_registration_months").update(value=2)
    with time_machine.travel(D(2026, 2, 10)):
        schedule = services.pop_schedule_refresh(worker=personas.worker)
    assert (schedule.next_due, schedule.next_due_kind) == (D(2026, 3, 31), "first_registration")


# (approved on, first POP due, first registered on) → registration due
REGISTRATION_CASES = [
    (None, D(2026, 2, 15), None, None),                             # nothing approved yet
    (D(2026, 2, 1), D(2026, 2, 15), None, D(2026, 2, 15)),          # first POP: the hiring deadline
    (D(2026, 3, 1), D(2026, 2, 15), None, D(2026, 2, 15)),          # approved late: still that deadline (overdue)
    (D(2027, 1, 31), D(2026, 2, 15), D(2026, 2, 10), D(2027, 2, 28)),  # a later plan: one month, month-end clamped
]


@pytest.mark.django_db
@pytest.mark.parametrize(("approved_on", "first_due", "first_registered", "expected"), REGISTRATION_CASES)
def test_registration_due(approved_on, first_due, first_registered, expected):
    from trajects.selectors import ruleset

    assert rules.registration_due(ruleset(), approved_on=approved_on, first_pop_due=first_due,
                                  first_registered_on=first_registered) == expected
