"""Pausing and resuming a throughflow track: the phase clock stops, the due date shifts by the paused days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from lde_portal.concurrency import ConflictError
from throughflow import rules, services
from throughflow.models import Track, TrackPause

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 9, 1)


@pytest.mark.parametrize(("due", "paused_from", "resumed_on", "expected"), [
    (D(2025, 2, 28), D(2025, 2, 10), D(2025, 2, 10), D(2025, 2, 28)),   # resumed the same day: 0 days
    (D(2025, 2, 28), D(2025, 2, 10), D(2025, 2, 20), D(2025, 3, 10)),   # 10 days over a month end (non-leap)
    (D(2024, 2, 28), D(2024, 2, 10), D(2024, 2, 20), D(2024, 3, 9)),    # the same in a leap year: via 29/02
    (D(2024, 2, 29), D(2024, 2, 29), D(2024, 3, 1), D(2024, 3, 1)),     # paused on the leap day itself, 1 day
    (D(2025, 1, 31), D(2025, 1, 31), D(2025, 3, 3), D(2025, 3, 3)),     # paused on the last day, 31 days
    (D(2025, 12, 31), D(2025, 11, 15), D(2026, 1, 15), D(2026, 3, 2)),  # over a year end: 61 days
    (D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 20), D(2025, 2, 28)),    # paused after the last day: no shift
])
def test_phase_due_after_pause(due, paused_from, resumed_on, expected):
    assert rules.phase_due_after_pause(due, paused_from, resumed_on) == expected


def test_resume_before_the_pause_is_not_arithmetic():
    with pytest.raises(ValueError):
        rules.paused_days(D(2025, 3, 10), D(2025, 3, 9))


@pytest.mark.parametrize(("months", "problems"), [
    ([1, 3, 6, 12], []),
    ([6], []),
    ([1, 3, 12], ["durable"]),
    ([], ["empty"]),
    ([0, 6], ["range"]),
    ([6, 37], ["range"]),
])
def test_followup_months_problems(months, problems):
    assert rules.followup_months_problems(months) == problems


def _track(worker):
    return services.track_open(worker=worker, actor=None, today=TODAY, data={
        "decision_date": D(2025, 1, 10), "start": D(2025, 2, 1), "coach_name": "An Peeters"})


def _pause(track, day, reason="Ziekte", version=None):
    return services.track_pause(track=track, actor=None, today=TODAY, expected_version=version,
                                data={"paused_from": day, "reason": reason})


def _resume(track, day, version=None):
    return services.track_resume(track=track, actor=None, today=TODAY, expected_version=version,
                                 data={"resumed_on": day, "note": "Terug"})


def test_pause_and_resume_shift_the_phase_due_date_and_keep_history(personas):
    track = _track(personas.worker)
    assert track.phase_due == D(2025, 2, 28)
    _pause(track, D(2025, 2, 10))
    track.refresh_from_db()
    assert track.paused_since == D(2025, 2, 10)
    pause = _resume(track, D(2025, 2, 20))
    track.refresh_from_db()
    assert (track.paused_since, track.phase_due) == (None, D(2025, 3, 10))
    assert (pause.days, pause.phase_due_before, pause.phase_due_after) == (10, D(2025, 2, 28), D(2025, 3, 10))
    _pause(track, D(2025, 3, 1))
    _resume(track, D(2025, 3, 4))
    track.refresh_from_db()
    assert track.phase_due == D(2025, 3, 13) and TrackPause.objects.count() == 2


def _snapshot():
    return list(Track.objects.values_list("paused_since", "phase_due", "version")), list(
        TrackPause.objects.values_list("paused_from", "resumed_on"))


@pytest.mark.parametrize(("steps", "field", "message"), [
    # resume before the pause date
    ([("pause", D(2025, 2, 10)), ("resume", D(2025, 2, 9))], "resumed_on", "vóór het begin van de pauze (10/02/2025)"),
    # an overlapping pause: starts before the previous one was resumed
    ([("pause", D(2025, 2, 10)), ("resume", D(2025, 2, 20)), ("pause", D(2025, 2, 15))], "paused_from",
     "overlapt met de vorige (10/02/2025 tot 20/02/2025)"),
    # pausing twice
    ([("pause", D(2025, 2, 10)), ("pause", D(2025, 2, 12))], None, "al gepauzeerd sinds 10/02/2025"),
    # resuming a running track
    ([("resume", D(2025, 2, 12))], None, "niet gepauzeerd"),
    # a pause in the future or before the phase started
    ([("pause", D(2025, 9, 2))], "paused_from", "kan niet in de toekomst liggen"),
    ([("pause", D(2025, 1, 31))], "paused_from", "vóór het begin van de huidige fase (01/02/2025)"),
    # no reason
    ([("pause_no_reason", D(2025, 2, 10))], "reason", "Geef de reden van de pauze"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_saved(personas, steps, field, message):
    track = _track(personas.worker)
    *before, last = steps
    for kind, day in before:
        _pause(track, day) if kind == "pause" else _resume(track, day)
    saved = _snapshot()
    kind, day = last
    with pytest.raises(ValidationError) as exc:
        if kind == "pause":
            _pause(track, day)
        elif kind == "pause_no_reason":
            _pause(track, day, reason="  ")
        else:
            _resume(track, day)
    text = " ".join(exc.value.message_dict[field]) if field else " ".join(exc.value.messages)
    assert message in text
    assert _snapshot() == saved


def test_closed_track_cannot_be_paused(personas):
    track = _track(personas.worker)
    services.exit_record(worker=personas.worker, actor=None, today=TODAY,
                         data={"date": D(2025, 3, 1), "reason": "drop_out"})
    with pytest.raises(ValidationError) as exc:
        _pause(track, D(2025, 3, 1))
    assert "afgesloten" in exc.value.messages[0] and not TrackPause.objects.exists()


def test_stale_form_is_a_conflict(personas):
    track = _track(personas.worker)
    _pause(track, D(2025, 2, 10), version=1)
    with pytest.raises(ConflictError):
        _resume(track, D(2025, 2, 20), version=1)


def test_no_phase_change_while_paused(personas):
    track = _track(personas.worker)
    _pause(track, D(2025, 2, 10))
    with pytest.raises(ValidationError) as exc:
        services.track_change_phase(track=track, actor=None, phase="job_matching", since=D(2025, 2, 15))
    assert "hervat" in exc.value.messages[0]


def test_no_phase_alert_while_paused(personas):
    track = _track(personas.worker)
    scan_organisation(organisation=personas.org, today=D(2025, 2, 20))
    assert Alert.objects.filter(kind="throughflow_phase_due", state="open").count() == 1
    _pause(track, D(2025, 2, 18))
    scan_organisation(organisation=personas.org, today=D(2025, 3, 20))
    assert not Alert.objects.filter(kind="throughflow_phase_due", state="open").exists()
    _resume(track, D(2025, 3, 20))  # 30 days: 28/02 → 30/03
    scan_organisation(organisation=personas.org, today=D(2025, 3, 20))
    alert = Alert.objects.get(kind="throughflow_phase_due", state="open")
    assert alert.due == D(2025, 3, 30)


def test_tab_shows_paused_track_and_pause_history(personas, login):
    track = _track(personas.worker)
    _pause(track, D(2025, 2, 10), reason="Familiale omstandigheden")
    client = login(personas.coach)
    url = reverse("throughflow:tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    body = client.get(url).content.decode()
    assert "gepauzeerd sinds 10/02/2025" in body and "Familiale omstandigheden" in body
    assert "Traject hervatten" in body and "Fase wijzigen" not in body


def test_pause_form_keeps_the_input_on_errors(personas, login):
    _track(personas.worker)
    client = login(personas.coach)
    url = reverse("throughflow:track_pause", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    response = client.post(url, {"version": "1", "paused_from": "31/01/2025", "reason": "Ziekenhuis"})
    body = response.content.decode()
    assert response.status_code == 200 and "vóór het begin van de huidige fase" in body and "Ziekenhuis" in body
    assert not TrackPause.objects.exists()
