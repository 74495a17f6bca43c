"""A week typed on the coach's phone without a network and sent later (issue #21): pop.views.feedback_queued."""

import datetime
import json
import uuid

import pytest
import time_machine
from django.urls import reverse

from pop import services
from pop.models import QueuedFeedback, WeeklyFeedback
from pop.selectors import team_week
from tests.factories import CoachAssignmentFactory, MembershipFactory
from tests.pop.test_views import _url
from trajects.models import CoachAssignment

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 25)
MONDAY = D(2026, 11, 23)
WEEK = "2026-W48"


def _entry(worker, competences, *, version="0", submission=None, presence="present", rating="3", **fields):
    data = {"week": WEEK, "worker": str(worker.pk), "submission": submission or str(uuid.uuid4()),
            f"w{worker.pk}-version": version, f"w{worker.pk}-presence": presence,
            f"w{worker.pk}-observation": fields.get("observation", "Goed gewerkt in de keuken")}
    for c in competences:
        data[f"w{worker.pk}-c{c.pk}"] = rating
    return data


def _competences(p, client):
    return client.get(_url(p, "pop:team_feedback")).context["rows"][0]["row"].competences


def _coordinator_changes(p, *, version):
    rows, _draft = team_week(p.coach, MONDAY, worker_id=p.worker.pk)
    services.feedback_submit_queued(
        author=p.coordinator, submission_id=uuid.uuid4(), week_start=MONDAY, row=rows[0], errors={},
        entry={"presence": "sick", "punctuality": "", "ratings": {}, "observation": "Ziek gemeld",
               "notable": False, "next_step": ""}, version=version)


def _send(client, p, data):
    response = client.post(_url(p, "pop:feedback_queued"), data)
    return response.status_code, json.loads(response.content)


@time_machine.travel(TODAY)
def test_a_queued_week_is_stored_once_however_often_the_phone_sends_it(personas, login):
    client = login(personas.coach)
    competences = _competences(personas, client)
    data = _entry(personas.worker, competences)
    assert _send(client, personas, data) == (200, {"status": "saved", "duplicate": False})
    # The answer got lost in the cellar: the phone sends the same entry again.
    assert _send(client, personas, data) == (200, {"status": "saved", "duplicate": True})
    feedback = WeeklyFeedback.objects.get(worker=personas.worker, week_start=MONDAY)
    assert feedback.version == 1 and feedback.observation == "Goed gewerkt in de keuken"
    assert {r.rating for r in feedback.ratings.all()} == {3}
    assert QueuedFeedback.objects.filter(feedback=feedback, author=personas.coach).count() == 1


@time_machine.travel(TODAY)
def test_a_week_changed_meanwhile_answers_both_versions_and_overwrites_only_on_the_stored_version(personas,
                                                                                                  login):
    client = login(personas.coach)
    competences = _competences(personas, client)
    assert _send(client, personas, _entry(personas.worker, competences))[0] == 200
    # The coordinator corrects the week from the office while the coach's phone is offline.
    _coordinator_changes(personas, version=1)
    mine = _entry(personas.worker, competences, version="1", observation="Stond vroeg aan het fornuis")
    status, answer = _send(client, personas, mine)
    assert status == 409 and answer["status"] == "conflict" and answer["version"] == 2
    assert "Ziek gemeld" in answer["html"] and "Stond vroeg aan het fornuis" in answer["html"]
    assert 'data-offline-choice="mine"' in answer["html"] and 'data-offline-choice="theirs"' in answer["html"]
    assert WeeklyFeedback.objects.get(worker=personas.worker).observation == "Ziek gemeld"
    # The coach chose their own version, having seen the stored one: the same entry, on version 2.
    status, answer = _send(client, personas, {**mine, f"w{personas.worker.pk}-version": "2"})
    assert (status, answer["status"]) == (200, "saved")
    feedback = WeeklyFeedback.objects.get(worker=personas.worker)
    assert (feedback.observation, feedback.presence, feedback.version) == ("Stond vroeg aan het fornuis", "present", 3)


@pytest.mark.parametrize("version", ["0", "", "abc", None])
@time_machine.travel(TODAY)
def test_a_queued_week_without_the_stored_version_is_a_conflict(personas, login, version):
    client = login(personas.coach)
    competences = _competences(personas, client)
    assert _send(client, personas, _entry(personas.worker, competences))[0] == 200
    data = _entry(personas.worker, competences, version=version, observation="Overschreven?")
    if version is None:
        del data[f"w{personas.worker.pk}-version"]
    assert _send(client, personas, data)[0] == 409
    assert WeeklyFeedback.objects.get(worker=personas.worker).observation == "Goed gewerkt in de keuken"


@time_machine.travel(TODAY)
def test_a_worker_no_longer_assigned_is_refused_and_nothing_is_stored(personas, login):
    client = login(personas.coach)
    client.cookies.load({"django_language": "en"})
    competences = _competences(personas, client)
    CoachAssignment.objects.filter(worker=personas.worker, coach=personas.coach).update(end=D(2026, 11, 24))
    status, answer = _send(client, personas, _entry(personas.worker, competences))
    assert status == 422 and answer["status"] == "refused" and "no longer assigned" in answer["message"]
    assert not WeeklyFeedback.objects.filter(worker=personas.worker).exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"week": "2026-W60"}, "cannot be read"),
    ({"submission": "not-a-uuid"}, "cannot be read"),
    ({"worker": "x"}, "cannot be read"),
    ({"week": "2026-W49"}, "in the future"),
    ({"presence": ""}, "presence"),
    ({"rating": "7"}, "1 to 4"),
])
@time_machine.travel(TODAY)
def test_bad_entries_are_refused_with_a_message_and_change_nothing(personas, login, change, message):
    client = login(personas.coach)
    client.cookies.load({"django_language": "en"})
    competences = _competences(personas, client)
    fields = {k: v for k, v in change.items() if k in ("presence", "rating")}
    data = _entry(personas.worker, competences, **fields)
    data.update({k: v for k, v in change.items() if k not in fields})
    if "week" in change:
        data["week"] = change["week"]
    status, answer = _send(client, personas, data)
    assert status == 422 and answer["status"] == "refused" and message in answer["message"], answer
    assert not WeeklyFeedback.objects.exists() and not QueuedFeedback.objects.exists()


@time_machine.travel(TODAY)
def test_another_users_submission_id_is_not_taken_for_theirs(personas, login):
    client = login(personas.coach)
    competences = _competences(personas, client)
    data = _entry(personas.worker, competences)
    assert _send(client, personas, data)[0] == 200
    colleague = MembershipFactory(organisation=personas.org, role="coach")
    CoachAssignmentFactory(worker=personas.worker, coach=colleague)
    other = login(colleague)
    status, answer = _send(other, personas, {**data, f"w{personas.worker.pk}-version": "1"})
    assert status == 422 and answer["status"] == "refused"


@time_machine.travel(TODAY)
def test_the_online_team_screen_refuses_a_row_saved_by_someone_else_meanwhile(personas, login):
    client = login(personas.coach)
    client.cookies.load({"django_language": "en"})
    url = _url(personas, "pop:team_feedback")
    competences = _competences(personas, client)
    assert _send(client, personas, _entry(personas.worker, competences))[0] == 200
    page = client.get(url, {"week": WEEK}).content.decode()
    assert f'name="w{personas.worker.pk}-version" value="1"' in page
    _coordinator_changes(personas, version=1)
    p = f"w{personas.worker.pk}-"
    post = {"week": WEEK, "save": "1", "on_error": "save_valid", "on_error_shown": "save_valid",
            p + "version": "1", p + "presence": "present", p + "observation": "Mijn versie"}
    assert client.post(url, post).status_code == 302
    assert WeeklyFeedback.objects.get(worker=personas.worker).observation == "Ziek gemeld"
    page = client.get(url, {"week": WEEK}).content.decode()
    assert "Someone else changed this week" in page and "Mijn versie" in page
    assert f'name="{p}version" value="2"' in page  # saving again now is a conscious overwrite
    assert client.post(url, {**post, p + "version": "2"}).status_code == 302
    assert WeeklyFeedback.objects.get(worker=personas.worker).observation == "Mijn versie"


def test_the_worker_card_shows_name_activity_and_focus_competences_only(personas, login):
    client = login(personas.coach)
    response = client.get(reverse("pop:worker_card", kwargs={"org_slug": personas.org.slug,
                                                             "pk": personas.worker.pk}))
    page = response.content.decode()
    assert response.status_code == 200 and personas.worker.full_name in page and personas.activity.name in page
    assert response["X-Portal-Offline"] == "cache"
    assert personas.worker.insz not in page and personas.worker.insz_display not in page
