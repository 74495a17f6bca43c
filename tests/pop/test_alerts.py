"""The pop deadline providers, through the real daily scan (run twice: one alert, resolved when met)."""

import datetime

import pytest

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from pop import services
from pop.models import ActionStatus, PopStatus, WeeklyFeedback
from tests.pop.helpers import make_version

D = datetime.date
pytestmark = pytest.mark.django_db


def _open(kind):
    return list(Alert.objects.filter(kind=kind, state="open").values_list("worker_id", "due"))


def test_first_pop_alert_is_raised_once_and_resolved_by_the_vdab_registration(personas):
    personas.employment.contract_start = D(2026, 1, 31)
    personas.employment.save()
    services.pop_schedule_refresh(worker=personas.worker)
    scan_organisation(organisation=personas.org, today=D(2026, 2, 10))
    assert _open("pop_first_registration") == []  # lead time 14 days: not yet visible
    scan_organisation(organisation=personas.org, today=D(2026, 2, 20))
    scan_organisation(organisation=personas.org, today=D(2026, 2, 20))
    assert _open("pop_first_registration") == [(personas.worker.pk, D(2026, 2, 28))]
    version = make_version(personas.worker, status=PopStatus.READY)
    services.pop_approve(version=version, actor=personas.coordinator.user, on=D(2026, 2, 21))
    services.pop_register_vdab(version=version, actor=personas.coordinator.user, on=D(2026, 2, 22),
                               today=D(2026, 2, 22))
    scan_organisation(organisation=personas.org, today=D(2026, 2, 22))
    assert _open("pop_first_registration") == []
    scan_organisation(organisation=personas.org, today=D(2026, 12, 30))
    assert _open("pop_yearly_review") == [(personas.worker.pk, D(2027, 2, 21))]


def test_overdue_action_and_missing_feedback_alerts(personas):
    version = make_version(personas.worker, status=PopStatus.APPROVED, approved_on=D(2026, 1, 5))
    version.actions.filter(position=1).update(status=ActionStatus.DONE)
    personas.employment.contract_start = D(2026, 1, 5)
    personas.employment.save()
    WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker, week_start=D(2026, 10, 5),
                                  presence="present")
    scan_organisation(organisation=personas.org, today=D(2026, 10, 20))
    assert _open("pop_action_due") == [(personas.worker.pk, D(2026, 6, 1))]  # the done one is not raised
    # Week of 12/10 expected by its Sunday 18/10 + 10 days grace = 28/10: shown from Monday 19/10 (the
    # coach's Monday, docs/journeys.md), not yet overdue on 20/10; still the same alert on 28/10.
    assert _open("feedback_missing") == [(personas.worker.pk, D(2026, 10, 28))]
    assert Alert.objects.get(kind="feedback_missing").notify_from == D(2026, 10, 19)
    scan_organisation(organisation=personas.org, today=D(2026, 10, 28))
    assert _open("feedback_missing") == [(personas.worker.pk, D(2026, 10, 28))]
    WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker, week_start=D(2026, 10, 12),
                                  presence="present")
    scan_organisation(organisation=personas.org, today=D(2026, 10, 29))
    # The week of 12/10 is resolved; the next empty one (19/10, over since Sunday 25/10) is a new alert.
    assert _open("feedback_missing") == [(personas.worker.pk, D(2026, 11, 4))]
