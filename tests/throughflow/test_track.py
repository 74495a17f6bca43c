"""The throughflow track: start within 3 months of the decision, phase maxima as deadlines, the 140-hour budget."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from throughflow import selectors, services
from throughflow.models import Track

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 9, 1)


DECISION, START = D(2025, 1, 10), D(2025, 2, 1)


def _open(worker, decision=DECISION, start=START, reason=""):
    return services.track_open(worker=worker, actor=None, today=TODAY, data={
        "decision_date": decision, "start": start, "late_start_reason": reason, "coach_name": "An Peeters",
        "coach_organisation": "Jobcoaching Gent", "decision_reference": "VDAB-2025-17"})


@pytest.mark.parametrize(("start", "reason", "ok"), [
    (D(2025, 4, 10), "", True),            # exactly 3 months after 10/01/2025
    (D(2025, 4, 11), "", False),           # one day late, no reason: refused
    (D(2025, 4, 11), "Ziekte van de werknemer", True),  # late with a documented reason
    (D(2025, 1, 9), "", False),            # before the decision
])
def test_track_must_start_within_three_months_of_the_decision(personas, start, reason, ok):
    if ok:
        track = _open(personas.worker, start=start, reason=reason)
        assert (track.budget_hours, track.phase, track.phase_due) == (140, "preparation",
                                                                      start.replace(month=start.month + 1) - datetime.timedelta(days=1))
    else:
        with pytest.raises(ValidationError) as exc:
            _open(personas.worker, start=start, reason=reason)
        assert {"late_start_reason", "start"} & set(exc.value.message_dict)
        assert not Track.objects.exists()


@pytest.mark.parametrize(("phase", "since", "due"), [
    ("preparation", D(2025, 2, 1), D(2025, 2, 28)),
    ("job_matching", D(2025, 3, 1), D(2025, 5, 31)),
    ("internship", D(2025, 6, 1), D(2025, 8, 31)),
    ("aftercare", D(2025, 8, 31), D(2025, 11, 29)),  # 31/08 + 3 months = 30/11 (month end), last day 29/11
])
def test_phase_maxima_are_stored_deadlines(personas, phase, since, due):
    track = _open(personas.worker)
    track = services.track_change_phase(track=track, actor=None, phase=phase, since=since)
    assert track.phase_due == due


def test_phase_deadline_is_an_alert_until_the_exit(personas):
    track = _open(personas.worker)
    scan_organisation(organisation=personas.org, today=D(2025, 2, 20))
    alert = Alert.objects.get(kind="throughflow_phase_due", state="open")
    assert (alert.due, alert.worker_id) == (D(2025, 2, 28), personas.worker.pk)
    services.exit_record(worker=personas.worker, actor=None, today=TODAY,
                         data={"date": D(2025, 3, 1), "reason": "external", "destination_employer": "Colruyt"})
    track.refresh_from_db()
    assert track.closed_on == D(2025, 3, 1)
    scan_organisation(organisation=personas.org, today=D(2025, 3, 2))
    assert not Alert.objects.filter(kind="throughflow_phase_due", state="open").exists()


def test_hours_beyond_the_budget_are_allowed_and_flagged(personas, login):
    track = _open(personas.worker)
    for day in range(1, 13):
        services.hours_log(track=track, actor=None, today=TODAY, data={"date": D(2025, 3, day), "hours": Decimal(12)})
    summary = selectors.track_for(personas.worker)
    assert (summary.used, summary.remaining, summary.over) == (Decimal(144), Decimal(-4), True)
    body = login(personas.coach).get(reverse("throughflow:tab", kwargs={
        "org_slug": personas.org.slug, "pk": personas.worker.pk})).content.decode()
    assert "boven budget" in body and "4,00 uur boven het budget" in body


def test_hours_before_the_track_start_are_refused(personas):
    track = _open(personas.worker)
    with pytest.raises(ValidationError):
        services.hours_log(track=track, actor=None, today=TODAY, data={"date": D(2025, 1, 31), "hours": Decimal(2)})


@pytest.mark.parametrize(("hours_logged", "alert"), [
    ([10] * 11, False),     # 110 h of 140: under the 85 % warning share (119 h)
    ([10] * 12, True),      # 120 h: nearly used
    ([12] * 12, True),      # 144 h: over budget, still one alert
])
def test_budget_nearly_used_is_one_alert_for_the_coach(personas, hours_logged, alert):
    from throughflow.alerts import BUDGET_NEARLY_USED

    track = _open(personas.worker)
    for day, hours in enumerate(hours_logged, start=1):
        services.hours_log(track=track, actor=None, today=TODAY, data={"date": D(2025, 3, day), "hours": Decimal(hours)})
    for _ in range(2):  # the scan is idempotent
        scan_organisation(organisation=personas.org, today=TODAY)
    alerts = Alert.objects.filter(kind=BUDGET_NEARLY_USED, state="open")
    assert alerts.count() == (1 if alert else 0)
    if alert:
        assert alerts.get().due == D(2025, 3, len(hours_logged)) and alerts.get().worker_id == personas.worker.pk
