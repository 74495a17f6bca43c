"""The track opens on the favourable decision recorded by the indication app; manual entry without one."""

import datetime

import pytest
from django.urls import reverse

from tests.indication.matrix import advice
from throughflow.models import Track

pytestmark = pytest.mark.django_db
D = datetime.date


def _url(p):
    return reverse("throughflow:track_open", kwargs={"org_slug": p.org.slug, "pk": p.worker.pk})


def test_the_favourable_decision_prefills_and_locks_date_and_reference(personas, login):
    decision = advice(personas.worker, type="throughflow_decision", favourable=True, valid_until=None,
                      decision_date=D(2025, 1, 10), track_start_due=D(2025, 4, 10), consultant_name="Els Claes")
    client = login(personas.coach)
    page = client.get(_url(personas)).content.decode()
    assert "10/01/2025" in page and "VDAB · Els Claes" in page and "disabled" in page
    # A tampered date is ignored: the recorded decision wins.
    response = client.post(_url(personas), {"decision_date": "01/01/2020", "decision_reference": "x",
                                            "start": "01/02/2025", "coach_name": "An Peeters"})
    assert response.status_code == 302
    track = Track.objects.get()
    assert (track.decision_advice, track.decision_date, track.decision_reference) == (
        decision, D(2025, 1, 10), "VDAB · Els Claes")


def test_late_start_on_a_recorded_decision_still_needs_a_reason(personas, login):
    advice(personas.worker, type="throughflow_decision", favourable=True, valid_until=None,
           decision_date=D(2025, 1, 10), track_start_due=D(2025, 4, 10))
    client = login(personas.coach)
    post = {"start": "11/04/2025", "coach_name": "An Peeters"}
    body = client.post(_url(personas), post).content.decode()
    assert "documenteer de reden" in body and not Track.objects.exists()
    post["late_start_reason"] = "Werknemer was ziek"
    assert client.post(_url(personas), post).status_code == 302


@pytest.mark.parametrize("kind", [None, "unfavourable", "replaced"])
def test_without_a_favourable_decision_manual_entry_stays(personas, login, kind):
    if kind == "unfavourable":
        advice(personas.worker, type="throughflow_decision", favourable=False, valid_until=None)
    elif kind == "replaced":
        advice(personas.worker, type="throughflow_decision", favourable=True, valid_until=None, status="replaced")
    client = login(personas.coach)
    page = client.get(_url(personas)).content.decode()
    assert "Er is geen gunstige doorstroombeslissing geregistreerd" in page
    response = client.post(_url(personas), {"decision_date": "10/01/2025", "decision_reference": "VDAB-17",
                                            "start": "01/02/2025", "coach_name": "An Peeters"})
    assert response.status_code == 302
    track = Track.objects.get()
    assert (track.decision_advice, track.decision_reference) == (None, "VDAB-17")


def test_opening_the_track_on_the_decision_resolves_the_track_start_alert(personas):
    from indication import services as indication_services
    from lde_portal.alerts.models import Alert
    from lde_portal.alerts.scan import scan_organisation
    from throughflow import services
    from trajects.selectors import ruleset

    decision = advice(personas.worker, type="throughflow_decision", favourable=True, valid_until=None,
                      decision_date=D(2025, 1, 10))
    indication_services._refresh_track_start_due(decision, ruleset())
    decision.save()
    assert decision.track_start_due == D(2025, 4, 10)
    scan_organisation(organisation=personas.org, today=D(2025, 3, 20))
    assert Alert.objects.filter(kind="throughflow_track_start", state="open", worker_id=personas.worker.pk).exists()

    services.track_open(worker=personas.worker, actor=None, today=D(2025, 3, 21),
                        data={"decision_advice": decision, "start": D(2025, 3, 21), "coach_name": "An Peeters"})
    decision.refresh_from_db()
    assert (decision.track_started_on, decision.track_start_due) == (D(2025, 3, 21), None)
    # Editing the decision afterwards does not bring the deadline back.
    indication_services.advice_update(advice=decision, actor=None, data={"note": "gezien"},
                                      expected_version=decision.version)
    decision.refresh_from_db()
    assert decision.track_start_due is None
    scan_organisation(organisation=personas.org, today=D(2025, 3, 22))
    assert not Alert.objects.filter(kind="throughflow_track_start", state="open").exists()
