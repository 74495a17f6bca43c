import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pop.models import FeedbackDraft, PopStatus, PopVersion, Training, WeeklyFeedback, YearlyReview
from pop.services import pop_schedule_refresh
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from tests.pop.helpers import PDF, PNG, generic, make_training, make_version, technical

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 25)
WEEK = "2026-W48"


def _url(p, name, **kwargs):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kwargs})


def _workers(p, n, coach=None, start=None):
    start = start or D(2024, 1, 1)
    workers = []
    for _ in range(n):
        w = WorkerFactory(organisation=p.org)
        EmploymentFactory(worker=w, activity=p.activity, contract_start=start)
        CoachAssignmentFactory(worker=w, coach=coach or p.coach)
        workers.append(w)
    return workers


def _team_post(rows_workers, competences, rating="3", presence="present"):
    # As the page posts it: the choice for rows with an error, and the choice the page showed.
    data = {"week": WEEK, "save": "1", "on_error": "save_valid", "on_error_shown": "save_valid"}
    for w in rows_workers:
        data[f"w{w.pk}-presence"] = presence
        data[f"w{w.pk}-observation"] = f"Goed bezig {w.first_name}"
        for c in competences:
            data[f"w{w.pk}-c{c.pk}"] = rating
    return data


@time_machine.travel(TODAY)
def test_team_screen_for_15_workers_is_one_get_and_one_post_within_15_queries(personas, login,
                                                                               django_assert_max_num_queries):
    workers = [personas.worker, *_workers(personas, 14)]
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    client.get(url)  # warm-up: session
    with django_assert_max_num_queries(15):
        response = client.get(url, {"week": WEEK})
    assert len(response.context["rows"]) == 15 and len(response.context["missing"]) == 15
    competences = response.context["rows"][0]["row"].competences
    with django_assert_max_num_queries(15):
        response = client.post(url, _team_post(workers, competences))
    assert response.status_code == 302
    assert WeeklyFeedback.objects.filter(week_start=D(2026, 11, 23)).count() == 15
    response = client.get(url, {"week": WEEK})
    assert response.context["missing"] == [] and response.context["done"] == 15
    assert "✓" in response.content.decode()


@time_machine.travel(TODAY)
def test_team_screen_refuses_bad_rows_and_keeps_everything_typed(personas, login):
    late = _workers(personas, 1, start=D(2026, 12, 1))[0]
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    competences = client.get(url).context["rows"][0]["row"].competences
    data = _team_post([personas.worker, late], competences)
    data[f"w{personas.worker.pk}-c{competences[0].pk}"] = "7"
    response = client.post(url, data, follow=True)
    errors = response.context["form"].errors
    assert f"w{personas.worker.pk}-c{competences[0].pk}" in errors and f"w{late.pk}-presence" in errors
    assert not WeeklyFeedback.objects.exists()
    html = response.content.decode()
    assert f"Goed bezig {personas.worker.first_name}" in html and "1 tot 4" in html
    assert "nog niet in dienst" in html
    response = client.post(url, {**_team_post([personas.worker], competences), "week": "2026-W50"})
    assert "toekomst" in response.content.decode() and not WeeklyFeedback.objects.exists()


def _five_rows(personas, client, url):
    """Three correct rows, one without presence, one with a rating out of range (the coach's Monday)."""
    workers = [personas.worker, *_workers(personas, 4)]
    competences = client.get(url, {"week": WEEK}).context["rows"][0]["row"].competences
    data = _team_post(workers, competences)
    no_presence, bad_rating = workers[3], workers[4]
    data[f"w{no_presence.pk}-presence"] = ""
    data[f"w{no_presence.pk}-observation"] = "Vergeten aan te duiden"
    data[f"w{bad_rating.pk}-c{competences[1].pk}"] = "9"
    data[f"w{bad_rating.pk}-next_step"] = "Band leren vervangen"
    return workers, competences, data


@time_machine.travel(TODAY)
def test_save_keeps_the_correct_rows_and_drafts_the_rows_with_an_error(personas, login):
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    workers, competences, data = _five_rows(personas, client, url)
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(WeeklyFeedback.objects.values_list("worker_id", flat=True)) == {w.pk for w in workers[:3]}
    draft = FeedbackDraft.objects.get()
    assert {name.split("-")[0] for name in draft.data} == {f"w{workers[3].pk}", f"w{workers[4].pk}"}
    assert set(draft.errors) == {f"w{workers[3].pk}-presence", f"w{workers[4].pk}-c{competences[1].pk}"}
    html = client.get(response.url).content.decode()
    assert "3 werknemers bewaard, 2 hebben nog een fout." in html
    assert f'href="#row-{workers[3].pk}"' in html and f'href="#row-{workers[4].pk}"' in html
    assert "Vergeten aan te duiden" in html and "Band leren vervangen" in html
    assert "Kies de aanwezigheid" in html and html.count("Een score gaat van 1 tot 4.") == 1
    assert f'aria-describedby="w{workers[4].pk}-c{competences[1].pk}-error"' in html
    # The saved rows show what is stored, not an empty row.
    assert f'value="Goed bezig {workers[0].first_name}"' in html


@time_machine.travel(TODAY)
def test_the_rows_with_an_error_survive_a_session_time_out(personas, login, client):
    from django.contrib.sessions.models import Session

    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    workers, competences, data = _five_rows(personas, client, url)
    client.post(url, data)
    Session.objects.all().delete()  # the idle time-out: the server forgets the session
    assert client.get(url, {"week": WEEK}).status_code == 302  # to the login page
    client = login(personas.coach)
    response = client.get(url, {"week": WEEK})
    assert set(response.context["form"].errors) == {f"w{workers[3].pk}-presence",
                                                    f"w{workers[4].pk}-c{competences[1].pk}"}
    html = response.content.decode()
    assert "Vergeten aan te duiden" in html and "Band leren vervangen" in html
    assert f'id="w{workers[4].pk}-c{competences[0].pk}-3" value="3" checked>' in html


@time_machine.travel(TODAY)
def test_keep_everything_as_draft_is_a_choice_made_once(personas, login):
    from pop.models import FeedbackPreference

    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    assert 'value="save_valid" id="on_error-save_valid" checked' in client.get(url).content.decode()
    workers, competences, data = _five_rows(personas, client, url)
    response = client.post(url, {**data, "on_error": "keep_all"}, follow=True)
    assert not WeeklyFeedback.objects.exists()
    assert FeedbackPreference.objects.get(membership=personas.coach).on_error == "keep_all"
    assert {name.split("-")[0] for name in FeedbackDraft.objects.get().data} == {f"w{w.pk}" for w in workers}
    html = response.content.decode()
    assert "Niets bewaard: 2 werknemers hebben een fout" in html
    assert f'value="Goed bezig {workers[0].first_name}"' in html
    assert 'value="keep_all" id="on_error-keep_all" checked' in html
    # The next save without the choice in the post still follows it.
    data.pop("on_error", None)
    client.post(url, data)
    assert not WeeklyFeedback.objects.exists()


@time_machine.travel(TODAY)
def test_a_draft_save_drops_the_errors_of_the_rows_corrected_since(personas, login):
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    workers, competences, data = _five_rows(personas, client, url)
    client.post(url, data)
    typed = dict(FeedbackDraft.objects.get().data)
    typed[f"w{workers[3].pk}-presence"] = "present"
    client.post(url, {"week": WEEK, "save_draft": "1", **typed}, headers={"X-Autosave": "1"})
    assert set(FeedbackDraft.objects.get().errors) == {f"w{workers[4].pk}-c{competences[1].pk}"}


@time_machine.travel(TODAY)
def test_the_rating_buttons_carry_the_level_descriptors(personas, login):
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    competences = client.get(url, {"week": WEEK}).context["rows"][0]["row"].competences
    client.post(url, _team_post([personas.worker], competences, rating="3"))
    html = client.get(url, {"week": WEEK}).content.decode()
    stiptheid = next(c for c in competences if c.name == "Stiptheid")
    name = f"w{personas.worker.pk}-c{stiptheid.pk}"
    assert (f'<label class="btn btn-outline-primary" for="{name}-4">4<span class="visually-hidden"> – '
            "Komt altijd op tijd. Houdt zich aan pauzes en afspraken.</span></label>") in html
    assert (f'<p class="fb-level-hint" id="{name}-hint">3 · Komt bijna altijd op tijd. Verwittigt altijd als het '
            "niet lukt.</p>") in html


@time_machine.travel(TODAY)
def test_team_screen_draft_is_kept_server_side(personas, login):
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    response = client.post(url, {"week": WEEK, "save_draft": "1", f"w{personas.worker.pk}-observation": "half af"})
    assert response.status_code == 302
    assert FeedbackDraft.objects.get().data == {f"w{personas.worker.pk}-observation": "half af"}
    client.logout()
    client = login(personas.coach)
    assert "half af" in client.get(url, {"week": WEEK}).content.decode()
    assert not WeeklyFeedback.objects.exists()


@pytest.mark.parametrize("viewer", ["coordinator", "coach"])
def test_pop_page_query_count_is_fixed(personas, login, django_assert_num_queries, viewer):
    make_version(personas.worker, year=2025, status=PopStatus.APPROVED, approved_on=D(2025, 2, 1))
    make_training(personas.org, [personas.worker])
    pop_schedule_refresh(worker=personas.worker)
    client = login(getattr(personas, viewer))
    url = _url(personas, "pop:pop_tab", pk=personas.worker.pk)
    client.get(url)
    with django_assert_num_queries(12) as one:
        client.get(url)
    for year in range(1976, 2025):
        make_version(personas.worker, year=year, status=PopStatus.SUPERSEDED, approved_on=D(year, 2, 1), actions=3)
    for _ in range(49):
        make_training(personas.org, [personas.worker], certificate=False)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].versions) == 50 and len(response.context["page"].trainings) == 50


def test_feedback_history_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coordinator)
    url = _url(personas, "pop:feedback_tab", pk=personas.worker.pk)

    def add(week):
        f = WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker, author=personas.coach,
                                          week_start=D(2026, 11, 23) - datetime.timedelta(weeks=week),
                                          presence="present")
        f.ratings.create(competence=generic(), rating=1 + week % 4)
        f.ratings.create(competence=technical(), rating=2)

    add(0)
    client.get(url)
    with django_assert_num_queries(7) as one:
        client.get(url)
    for week in range(1, 50):
        add(week)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["entries"]) == 50
    assert response.content.decode().count("<polyline") == 2


@time_machine.travel(TODAY)
def test_review_list_query_count_is_fixed_and_shows_due_and_overdue(personas, login, django_assert_num_queries):
    def worker_due(approved_on):
        w = _workers(personas, 1)[0]
        make_version(w, year=approved_on.year, status=PopStatus.APPROVED, approved_on=approved_on,
                     registered_on=approved_on)
        pop_schedule_refresh(worker=w)
        return w

    overdue = worker_due(D(2025, 10, 1))
    not_due = worker_due(D(2026, 6, 1))
    client = login(personas.coordinator)
    url = _url(personas, "pop:review_list")
    client.get(url)
    with django_assert_num_queries(6) as one:
        response = client.get(url)
    assert [s.worker for s in response.context["schedules"]] == [overdue]
    for i in range(49):
        worker_due(D(2025, 12, 1) + datetime.timedelta(days=i))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    shown = [s.worker for s in response.context["schedules"]]
    assert len(shown) == 50 and not_due not in shown
    assert personas.coach.user.get_full_name() in response.content.decode()


def _pop_post(version, goal, competences=None, actions=("A", "B")):
    competences = competences or [(generic(), 2, 3), (technical(), 1, 3)]
    data = {"version": version, "long_term_goal": goal, "short_term_goal": "", "job_target": "",
            "comp-TOTAL_FORMS": len(competences), "comp-INITIAL_FORMS": 0,
            "action-TOTAL_FORMS": len(actions), "action-INITIAL_FORMS": 0}
    for i, (c, now, target) in enumerate(competences):
        data.update({f"comp-{i}-competence": c.pk, f"comp-{i}-current_level": now,
                     f"comp-{i}-target_level": target, f"comp-{i}-focus": "on"})
    for i, what in enumerate(actions):
        data.update({f"action-{i}-what": what, f"action-{i}-status": "open"})
    return data


def test_second_save_of_the_same_version_gets_a_conflict_and_overwrites_nothing(personas, login):
    version = make_version(personas.worker)
    url = _url(personas, "pop:pop_edit", pk=personas.worker.pk, version_pk=version.pk)
    coach, coordinator = login(personas.coach), None
    opened = version.version
    assert coach.post(url, _pop_post(opened, "Doel van de coach")).status_code == 302
    from django.test import Client

    coordinator = Client()
    coordinator.force_login(personas.coordinator.user)
    response = coordinator.post(url, _pop_post(opened, "Doel van de coördinator"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders" in html and "Doel van de coach" in html and "Doel van de coördinator" in html
    version.refresh_from_db()
    assert version.long_term_goal == "Doel van de coach"


def test_submit_with_one_action_shows_a_clear_message_and_keeps_the_draft(personas, login):
    version = make_version(personas.worker, actions=1)
    client = login(personas.coach)
    url = _url(personas, "pop:pop_submit", pk=personas.worker.pk, version_pk=version.pk)
    response = client.post(url, {"version": version.version}, follow=True)
    assert "minstens twee verbeteracties" in response.content.decode()
    version.refresh_from_db()
    assert version.status == PopStatus.DRAFT


def test_coordinator_approves_and_edit_after_approval_creates_a_version_with_history(personas, login):
    version = make_version(personas.worker, status=PopStatus.READY)
    client = login(personas.coordinator)
    client.post(_url(personas, "pop:pop_approve", pk=personas.worker.pk, version_pk=version.pk),
                {"version": version.version})
    version.refresh_from_db()
    assert version.status == PopStatus.APPROVED
    url = _url(personas, "pop:pop_edit", pk=personas.worker.pk, version_pk=version.pk)
    assert client.post(url, _pop_post(version.version, "Nieuw doel", actions=("A", "B", "C"))).status_code == 302
    assert PopVersion.objects.filter(pop__worker=personas.worker).count() == 2
    history = client.get(_url(personas, "pop:pop_history", pk=personas.worker.pk)).content.decode()
    assert "Nieuw doel" in history and "Werken in een fietsenwinkel" in history


# A form that posts no version, or a garbled one, cannot show which save it saw: refused like a stale one.
VERSION_CASES = [
    # posted version (None: not posted at all; "stale"/"current": relative to the stored one), accepted
    (None, False),
    ("", False),
    ("abc", False),
    ("2.0", False),
    ("stale", False),
    ("current", True),
]
REFUSED = "Iemand anders heeft dit plan intussen gewijzigd"


def _posted(case, stored):
    if case is None:
        return {}
    return {"version": {"stale": stored - 1, "current": stored}.get(case, case)}


def _someone_else_saved_twice(version):
    PopVersion.objects.filter(pk=version.pk).update(version=3)
    version.refresh_from_db()
    return version


@pytest.mark.parametrize(("action", "persona", "before", "after", "done"), [
    ("pop:pop_submit", "coach", PopStatus.DRAFT, PopStatus.READY, "klaar voor nazicht"),
    ("pop:pop_approve", "coordinator", PopStatus.READY, PopStatus.APPROVED, "Het plan is goedgekeurd"),
])
@pytest.mark.parametrize(("case", "accepted"), VERSION_CASES)
def test_submit_and_approve_need_the_current_version(personas, login, action, persona, before, after, done,
                                                      case, accepted):
    from lde_portal.audit.models import AuditEntry

    version = _someone_else_saved_twice(make_version(personas.worker, status=before))
    response = login(getattr(personas, persona)).post(
        _url(personas, action, pk=personas.worker.pk, version_pk=version.pk), _posted(case, 3), follow=True)
    body = response.content.decode()
    version.refresh_from_db()
    if accepted:
        assert version.status == after and version.version == 4 and done in body and REFUSED not in body
    else:
        assert REFUSED in body and done not in body
        assert (version.status, version.version, version.approved_on) == (before, 3, None)
        assert not AuditEntry.objects.filter(object_type="pop.popversion").exists()


@pytest.mark.parametrize(("case", "accepted"), VERSION_CASES)
def test_plan_edit_needs_the_current_version(personas, login, case, accepted):
    version = _someone_else_saved_twice(make_version(personas.worker))
    data = {k: v for k, v in _pop_post(0, "Nieuw doel").items() if k != "version"}
    response = login(personas.coach).post(_url(personas, "pop:pop_edit", pk=personas.worker.pk,
                                               version_pk=version.pk), {**data, **_posted(case, 3)})
    version.refresh_from_db()
    if accepted:
        assert response.status_code == 302 and version.long_term_goal == "Nieuw doel"
    else:
        # The typed goal stays in the form and the stored version is offered, as after someone else's save.
        assert response.status_code == 200 and "Iemand anders" in response.content.decode()
        assert "Nieuw doel" in response.content.decode() and response.context["form"].data["version"] == 3
        assert (version.long_term_goal, version.version) == ("Werken in een fietsenwinkel", 3)


@pytest.mark.parametrize(("case", "accepted"), VERSION_CASES)
def test_review_edit_needs_the_current_version(personas, login, case, accepted):
    version = make_version(personas.worker)
    review = YearlyReview.objects.create(organisation_id=personas.org.pk, pop_version=version, date=D(2026, 11, 20),
                                         participants="Jamal, Sara", conclusions="Goed", version=3)
    response = login(personas.coach).post(
        _url(personas, "pop:review_edit", pk=personas.worker.pk, version_pk=version.pk),
        {"date": "21/11/2026", "participants": "Jamal, Sara", "conclusions": "Nieuw besluit", **_posted(case, 3)})
    review.refresh_from_db()
    if accepted:
        assert response.status_code == 302 and review.conclusions == "Nieuw besluit"
    else:
        assert response.status_code == 200 and "Iemand anders heeft dit gesprek intussen bewaard" in (
            response.content.decode())
        assert (review.conclusions, review.date, review.version) == ("Goed", D(2026, 11, 20), 3)


@pytest.mark.parametrize(("case", "accepted"), VERSION_CASES)
def test_vdab_registration_needs_the_current_version(personas, login, case, accepted):
    """Two people recording the registration at once both see an empty date: the second is refused."""
    version = _someone_else_saved_twice(make_version(personas.worker, status=PopStatus.APPROVED,
                                                     approved_on=D(2026, 11, 2)))
    with time_machine.travel(TODAY):
        body = login(personas.coordinator).post(
            _url(personas, "pop:pop_register", pk=personas.worker.pk, version_pk=version.pk),
            {"on": "20/11/2026", **_posted(case, 3)}, follow=True).content.decode()
    version.refresh_from_db()
    if accepted:
        assert (version.vdab_registered_on, version.version) == (D(2026, 11, 20), 4) and REFUSED not in body
    else:
        assert REFUSED in body and (version.vdab_registered_on, version.version) == (None, 3)


def test_the_tab_posts_the_version_with_the_vdab_registration(personas, login):
    version = make_version(personas.worker, status=PopStatus.APPROVED, approved_on=D(2026, 11, 2))
    page = login(personas.coordinator).get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    form = page.split(_url(personas, "pop:pop_register", pk=personas.worker.pk, version_pk=version.pk))[1]
    assert f'name="version" value="{version.version}"' in form.split("</form>")[0]


def test_the_tab_posts_the_version_with_submit_and_approve(personas, login):
    draft = make_version(personas.worker)
    page = login(personas.coordinator).get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    assert f'name="version" value="{draft.version}"' in page


def test_coach_cannot_approve(personas, login):
    version = make_version(personas.worker, status=PopStatus.READY)
    response = login(personas.coach).post(_url(personas, "pop:pop_approve", pk=personas.worker.pk,
                                                version_pk=version.pk))
    assert response.status_code == 403


def test_review_with_drawn_signature_and_checked_upload(personas, login):
    import base64

    version = make_version(personas.worker)
    client = login(personas.coach)
    url = _url(personas, "pop:review_edit", pk=personas.worker.pk, version_pk=version.pk)
    base = {"date": "20/11/2026", "participants": "Jamal, Sara", "conclusions": "Goed", "worker_view": "Ik ben blij"}
    response = client.post(url, {**base, "upload": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 200 and "PDF, PNG of JPEG" in response.content.decode()
    assert not YearlyReview.objects.exists()
    signature = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert client.post(url, {**base, "signature": signature}).status_code == 302
    review = YearlyReview.objects.get()
    assert review.ack_method == "signature" and review.ack_file.name.endswith(".png")
    assert "signature" not in review.ack_file.name.rsplit("/", 1)[-1]  # random name
    file_url = _url(personas, "pop:review_file", pk=personas.worker.pk, version_pk=version.pk)
    response = client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    response = client.post(url, {**base, "version": review.version,
                                 "upload": SimpleUploadedFile("scan.jpg", PDF, content_type="image/jpeg")})
    review.refresh_from_db()
    assert review.ack_method == "upload" and review.ack_file.name.endswith(".pdf")


def test_upload_larger_than_5_mb_is_refused(personas, login):
    client = login(personas.coordinator)
    big = SimpleUploadedFile("c.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = client.post(_url(personas, "pop:training_add"), {
        "course": "VCA", "provider": "Syntra", "provider_type": "external", "hours": "8", "cost": "10",
        "start_date": "01/10/2026", "participants": [personas.worker.pk], "certificate_upload": big})
    assert response.status_code == 200 and "5 MB" in response.content.decode()
    assert not Training.objects.exists()


def test_training_record_and_list_filters(personas, login):
    client = login(personas.coordinator)
    response = client.post(_url(personas, "pop:training_add"), {
        "course": "Nederlands op de werkvloer", "provider": "CVO", "provider_type": "language", "hours": "40",
        "cost": "120", "start_date": "01/10/2026", "end_date": "01/12/2026", "participants": [personas.worker.pk],
        "competences": [generic("Nederlands op de werkvloer").pk],
        "certificate_upload": SimpleUploadedFile("certificaat-origineel.pdf", PDF)})
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.certificate.name.endswith(".pdf") and "origineel" not in training.certificate.name
    listed = client.get(_url(personas, "pop:training_list"), {"provider_type": "language"})
    assert listed.context["trainings"] == [training]
    assert client.get(_url(personas, "pop:training_list"), {"provider_type": "internal"}).context["trainings"] == []
    pop_page = login(personas.coach).get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    assert "Nederlands op de werkvloer" in pop_page
    other = login(personas.other_coach).get(_url(personas, "pop:training_list"))
    assert other.context["trainings"] == []


def test_print_view_is_plain_and_without_confidential_data(personas, login):
    version = make_version(personas.worker)
    response = login(personas.coach).get(_url(personas, "pop:pop_print", pk=personas.worker.pk,
                                              version_pk=version.pk))
    html = response.content.decode()
    assert "Mijn plan voor 2026" in html and "Komt soms te laat" in html
    assert personas.worker.insz not in html and personas.worker.last_name not in html
    assert "<script>" not in html and "style=" not in html


@time_machine.travel(TODAY)
def test_background_autosave_stores_the_draft_without_a_page(personas, login):
    client = login(personas.coach)
    response = client.post(_url(personas, "pop:team_feedback"),
                           {"week": WEEK, "save_draft": "1", f"w{personas.worker.pk}-presence": "sick"},
                           headers={"X-Autosave": "1"})
    assert response.status_code == 204
    assert FeedbackDraft.objects.get().data == {f"w{personas.worker.pk}-presence": "sick"}


@time_machine.travel(TODAY)
def test_team_screen_shows_a_worker_not_yet_employed_without_inputs(personas, login):
    late = _workers(personas, 1, start=D(2026, 12, 1))[0]
    response = login(personas.coach).get(_url(personas, "pop:team_feedback"), {"week": WEEK})
    html = response.content.decode()
    assert "nog niet in dienst (start 01/12/2026)" in html
    assert f'name="w{late.pk}-presence"' not in html
    assert [w.worker for w in response.context["missing"]] == [personas.worker]


def test_org_admin_adds_a_technical_competence_with_four_levels(personas, login):
    client = login(personas.org_admin)
    response = client.post(_url(personas, "pop:competence_add"), {
        "name": "Fietsen inspecteren", "kind": "technical", "activity_type": "", "description": "",
        "level_1": "a", "level_2": "b", "level_3": "c", "level_4": "d"})
    assert "soort activiteit" in response.content.decode()
    response = client.post(_url(personas, "pop:competence_add"), {
        "name": "Fietsen inspecteren", "kind": "technical", "activity_type": "bicycle_point", "description": "",
        "level_1": "Ziet niets", "level_2": "Met hulp", "level_3": "Meestal zelf", "level_4": "Zelfstandig"})
    assert response.status_code == 302
    catalogue = client.get(_url(personas, "pop:competence_list")).content.decode()
    assert "Fietsen inspecteren" in catalogue and "Meestal zelf" in catalogue
    other = login(personas.outsider).get(reverse("pop:competence_list", kwargs={"org_slug": "elders"}))
    assert "Fietsen inspecteren" not in other.content.decode()


@time_machine.travel(TODAY)
def test_team_screen_query_count_is_the_same_for_1_and_50_workers(personas, login, django_assert_num_queries):
    """Issue #10: the screen is one page for the whole caseload; its cost must not grow per worker in SQL."""
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    client.get(url)  # warm-up: session
    # Session, user, membership, workers, focus, competences, their levels, feedback, draft, preference.
    with django_assert_num_queries(11) as one:
        client.get(url, {"week": WEEK})
    _workers(personas, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, {"week": WEEK})
    assert len(response.context["rows"]) == 50


@time_machine.travel(TODAY)
def test_team_screen_shows_stored_presence_and_ratings_selected(personas, login):
    worker = personas.worker
    client = login(personas.coach)
    url = _url(personas, "pop:team_feedback")
    competences = client.get(url, {"week": WEEK}).context["rows"][0]["row"].competences
    data = _team_post([worker], competences, rating="3", presence="partly")
    assert client.post(url, data).status_code == 302
    html = client.get(url, {"week": WEEK}).content.decode()
    assert '<option value="partly" selected>' in html and '<option value="present" selected>' not in html
    c = competences[0].pk
    assert f'id="w{worker.pk}-c{c}-3" value="3" checked>' in html
    assert f'id="w{worker.pk}-c{c}-0" value="">' in html  # rated: "not rated" is not checked
    assert f'href="/{personas.org.slug}/workers/{worker.pk}/feedback/"' in html


def test_a_coordinator_approves_a_draft_in_one_step(personas, login):
    version = make_version(personas.worker, status=PopStatus.DRAFT)
    client = login(personas.coordinator)
    tab = client.get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    approve = _url(personas, "pop:pop_approve", pk=personas.worker.pk, version_pk=version.pk)
    assert f'action="{approve}"' in tab and "Ter nazicht indienen" not in tab
    # A coach still submits: the plan waits for a coordinator.
    coach_tab = login(personas.coach).get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    assert f'action="{approve}"' not in coach_tab and "Ter nazicht indienen" in coach_tab
    client = login(personas.coordinator)
    response = client.post(approve, {"version": version.version}, follow=True)
    assert "Het plan is goedgekeurd" in response.content.decode()
    version.refresh_from_db()
    assert version.status == PopStatus.APPROVED


def test_after_approval_the_vdab_registration_deadline_shows(personas, login):
    personas.employment.contract_start = datetime.date(2026, 1, 31)
    personas.employment.save()
    version = make_version(personas.worker, status=PopStatus.READY)
    client = login(personas.coordinator)
    with time_machine.travel(datetime.date(2026, 2, 20)):
        pop_schedule_refresh(worker=personas.worker)
        client.post(_url(personas, "pop:pop_approve", pk=personas.worker.pk, version_pk=version.pk),
                    {"version": version.version})
        tab = client.get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    assert 'data-testid="registration-due"' in tab
    assert "geregistreerd worden bij VDAB tegen 28/02/2026" in tab


# (last approval, worker status) → on the review list of 02/12/2026 (due in the next 60 days or overdue)
REVIEW_WINDOW = [
    (D(2025, 11, 20), "active", True),      # review due 20/11/2026: overdue
    (D(2025, 12, 2), "active", True),       # due today
    (D(2026, 1, 31), "active", True),       # due 31/01/2027: day 60, still in
    (D(2026, 2, 1), "active", False),       # due 01/02/2027: day 61
    (D(2026, 1, 10), "suspended", True),    # a suspended worker's plan still runs
    (D(2025, 6, 1), "exited", False),       # an exited worker has no review
]


@pytest.mark.parametrize(("approved_on", "status", "listed"), REVIEW_WINDOW)
def test_the_review_list_window(personas, login, approved_on, status, listed):
    worker = personas.worker
    worker.status = status
    worker.save()
    make_version(worker, year=approved_on.year, status=PopStatus.APPROVED, approved_on=approved_on,
                 registered_on=approved_on)
    pop_schedule_refresh(worker=worker)
    with time_machine.travel(D(2026, 12, 2)):
        response = login(personas.coordinator).get(reverse("pop:review_list", kwargs={"org_slug": personas.org.slug}))
    names = [s.worker.pk for s in response.context["schedules"]]
    assert (worker.pk in names) is listed


def test_the_prepared_levels_have_a_visible_legend(personas, login):
    version = make_version(personas.worker)
    version.preparation = {"since": "2025-11-20", "until": "2026-11-20", "weeks": 40,
                           "averages": {str(generic().pk): {"name": "Stiptheid", "average": 2.4, "count": 40}},
                           "previous_levels": {str(generic().pk): 3}, "notable": [], "actions_done": [],
                           "actions_overdue": []}
    version.save()
    html = login(personas.coordinator).get(
        _url(personas, "pop:pop_edit", pk=personas.worker.pk, version_pk=version.pk)).content.decode()
    assert "3 → 2" in html
    assert "het niveau in het vorige plan → het niveau dat de wekelijkse feedback nu toont" in html


def test_the_competence_picker_lists_every_activity_type_the_workers_own_first(personas, login):
    import re

    from pop.models import Competence

    version = make_version(personas.worker)
    own = personas.employment.activity.type
    html = login(personas.coach).get(
        _url(personas, "pop:pop_edit", pk=personas.worker.pk, version_pk=version.pk)).content.decode()
    select = re.search(r'<select name="comp-0-competence".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    options = re.findall(r'<option value="(\d+)"', select)
    catalogue = Competence.objects.filter(organisation__isnull=True, active=True)
    assert len(options) == catalogue.count() >= 40
    first_ids = {int(i) for i in re.findall(r'value="(\d+)"', groups[0][1])}
    assert first_ids == set(catalogue.filter(kind="technical", activity_type=own).values_list("pk", flat=True))
    assert "deze werknemer" in groups[0][0] and groups[1][0] == "Generieke competenties"
    other_types = {c.activity_type for c in catalogue.filter(kind="technical").exclude(activity_type=own)}
    assert len(groups) == 2 + len(other_types)


def test_the_star_of_a_focus_competence_is_explained_by_a_visible_legend(personas, login):
    make_version(personas.worker)
    page = login(personas.coach).get(_url(personas, "pop:pop_tab", pk=personas.worker.pk)).content.decode()
    assert "★" in page
    legend = page.split('class="small text-body-secondary mb-2 pop-legend"')[1].split("</p>")[0]
    assert "focuscompetentie: wordt elke week beoordeeld in de weekfeedback" in legend
    assert "visually-hidden" not in legend and 'title="In de weekfeedback"' not in page  # seen, not hovered
