"""The indication deadlines reach the alerts platform once, and disappear when dealt with."""

import datetime

import pytest
import time_machine

from indication.alerts import ADVICE_EXPIRING, POP_BEFORE_VISIT, TRACK_START
from indication.models import EvaluationRequest
from lde_portal.alerts.models import Alert, AlertRecipient, AlertState
from lde_portal.alerts.scan import scan_organisation
from tests.indication.matrix import advice

pytestmark = pytest.mark.django_db
D = datetime.date


def _scan(p, on):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(6, 0)), tick=False):
        return scan_organisation(organisation=p.org)


def test_expiring_advice_track_start_and_pop_update_raise_one_alert_each_for_the_coach(personas):
    expiring = advice(personas.worker, valid_until=D(2027, 1, 31))
    advice(personas.worker, type="throughflow_decision", favourable=True, valid_until=None,
           decision_date=D(2026, 11, 3), track_start_due=D(2027, 2, 3))
    # Requested before the advice's 90-day lead time: it does not answer the expiring advice (a request in
    # that window would, tests/test_alert_resolution.py).
    EvaluationRequest.objects.create(organisation=personas.org, worker=personas.worker, reason="regular",
                                     requested_on=D(2026, 10, 30), planned_visit=D(2026, 12, 10),
                                     pop_update_due=D(2026, 11, 30))
    _scan(personas, D(2026, 11, 23))
    _scan(personas, D(2026, 11, 23))  # a second run adds nothing
    alerts = {a.kind: a for a in Alert.objects.filter(kind__in=[ADVICE_EXPIRING, TRACK_START, POP_BEFORE_VISIT])}
    assert set(alerts) == {ADVICE_EXPIRING, TRACK_START, POP_BEFORE_VISIT}
    assert Alert.objects.filter(kind__in=list(alerts)).count() == 3
    assert alerts[ADVICE_EXPIRING].due == D(2027, 1, 31)
    assert alerts[TRACK_START].due == D(2027, 2, 3)
    assert alerts[POP_BEFORE_VISIT].due == D(2026, 11, 30) and "10/12/2026" in alerts[POP_BEFORE_VISIT].title
    for alert in alerts.values():
        assert set(AlertRecipient.objects.filter(alert=alert).values_list("membership_id", flat=True)) == {
            personas.coach.pk}
    # A new advice replaces the expiring one: the condition is gone, the alert resolves.
    expiring.status = "replaced"
    expiring.save()
    _scan(personas, D(2026, 11, 24))
    assert Alert.objects.get(kind=ADVICE_EXPIRING).state == AlertState.RESOLVED


def test_no_alert_before_the_lead_time(personas):
    advice(personas.worker, valid_until=D(2027, 6, 30))  # 90 days lead: visible from 01/04/2027
    _scan(personas, D(2026, 11, 23))
    assert not Alert.objects.filter(kind=ADVICE_EXPIRING).exists()
