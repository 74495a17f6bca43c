import datetime

import icalendar
import pytest
import time_machine
from django.urls import reverse

from lde_portal.alerts import services
from lde_portal.alerts.scan import scan_organisation
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory

from .conftest import end_contract

D = datetime.date


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, 0), tick=False):
        yield


def _feed_url(token):
    return reverse("calendar_feed", kwargs={"token": token})


@pytest.fixture
def feed(personas, provider):
    personas.worker.first_name, personas.worker.last_name = "Fatima", "El Amrani"
    personas.worker.save()
    end_contract(personas, D(2026, 6, 30))
    hidden = WorkerFactory(organisation=personas.org, first_name="Zeno", last_name="Verborgen")
    EmploymentFactory(worker=hidden, contract_end=D(2026, 6, 29))
    CoachAssignmentFactory(worker=hidden, coach=personas.other_coach)
    scan_organisation(organisation=personas.org, today=D(2026, 6, 10))
    return services.calendar_token_regenerate(membership=personas.coach).calendar_token


@pytest.mark.django_db
def test_the_feed_is_valid_icalendar_with_all_day_events_and_no_names(client, feed, personas):
    response = client.get(_feed_url(feed))  # no login: agenda apps cannot log in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    (event,) = events
    assert event.decoded("dtstart") == D(2026, 6, 30)  # a date: an all-day event
    assert event.decoded("dtend") == D(2026, 7, 1)
    assert str(event["summary"]) == "Contract end · F.E.A."
    body = response.content.decode()
    for secret in ("Fatima", "Amrani", "Zeno", "Contract ends: renew", personas.worker.insz):
        assert secret not in body


@pytest.mark.django_db
def test_a_regenerated_or_revoked_link_answers_404(client, feed, personas):
    new = services.calendar_token_regenerate(membership=personas.coach).calendar_token
    assert client.get(_feed_url(feed)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    services.calendar_token_revoke(membership=personas.coach)
    assert client.get(_feed_url(new)).status_code == 404
    assert client.get(_feed_url("not-a-token")).status_code == 404


@pytest.mark.django_db
def test_a_deactivated_member_feed_answers_404(client, feed, personas):
    personas.coach.active = False
    personas.coach.save()
    assert client.get(_feed_url(feed)).status_code == 404


@pytest.mark.django_db
def test_regenerating_through_the_page_revokes_the_old_link(client, feed, personas, login):
    login(personas.coach).post(reverse("alerts:calendar_token", kwargs={"org_slug": personas.org.slug}),
                               {"action": "regenerate"})
    assert client.get(_feed_url(feed)).status_code == 404
