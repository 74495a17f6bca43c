import datetime

import pytest
from django.urls import reverse

from lde_portal.alerts.models import Alert, AlertRecipient, AlertSettings, AlertState
from lde_portal.alerts.scan import scan_organisation
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory

from .conftest import KIND, end_contract

D = datetime.date
TODAY = D(2026, 6, 24)  # a Wednesday
DUE = D(2026, 6, 30)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 24, 9, 0), tick=False)


def _url(personas, name, **kwargs):
    return reverse(f"alerts:{name}", kwargs={"org_slug": personas.org.slug, **kwargs})


def _add_workers(personas, n, due=DUE):
    for _ in range(n):
        worker = WorkerFactory(organisation=personas.org)
        EmploymentFactory(worker=worker, activity=personas.activity, contract_end=due)
        CoachAssignmentFactory(worker=worker, coach=personas.coach)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coach", "coordinator"])
def test_alert_list_query_count_is_fixed(personas, provider, login, django_assert_num_queries, persona):
    client = login(getattr(personas, persona))
    counts = []
    for extra in (0, 49):
        _add_workers(personas, extra)
        end_contract(personas, DUE)
        scan_organisation(organisation=personas.org, today=TODAY)
        params = {"scope": "team"} if persona == "coordinator" else {}
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(_url(personas, "list"), params)  # warm-up: the first request of a session writes it
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(personas, "list"), params)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 1 + extra
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_bell_counts_my_open_alerts_with_a_constant_number_of_queries(personas, provider, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.coach)
    counts = []
    for extra in (0, 49):
        _add_workers(personas, extra)
        end_contract(personas, DUE)
        scan_organisation(organisation=personas.org, today=TODAY)
        client.get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))  # warm-up
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))
        counts.append(len(ctx.captured_queries))
        assert f'<span class="badge rounded-pill text-bg-warning alert-bell-count">{1 + extra}</span>' in response.content.decode()
    assert counts[0] == counts[1]
    # The coordinator is not a recipient (not escalated yet): no badge.
    page = login(personas.coordinator).get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))
    assert "alert-bell-count" not in page.content.decode()


@pytest.mark.django_db
def test_filters(personas, provider, login):
    end_contract(personas, DUE)  # this week (Sunday 28/06 is the week end: 30/06 is "later")
    other = WorkerFactory(organisation=personas.org, first_name="Overdue")
    EmploymentFactory(worker=other, activity=personas.activity, contract_end=D(2026, 6, 20))
    CoachAssignmentFactory(worker=other, coach=personas.coach)
    soon = WorkerFactory(organisation=personas.org, first_name="Soon")
    EmploymentFactory(worker=soon, activity=personas.activity, contract_end=D(2026, 6, 26))
    CoachAssignmentFactory(worker=soon, coach=personas.other_coach)
    scan_organisation(organisation=personas.org, today=TODAY)
    coach = login(personas.coach)

    def names(params, client=coach):
        response = client.get(_url(personas, "list"), params)
        return {a.worker_first_name for a in response.context["page"].object_list}

    assert names({}) == {personas.worker.first_name, "Overdue"}
    assert names({"when": "overdue"}) == {"Overdue"}
    assert names({"when": "later"}) == {personas.worker.first_name}
    assert names({"when": "week"}) == set()
    assert names({"scope": "team"}) == {personas.worker.first_name, "Overdue"}  # coaches have no team view
    assert names({"worker": other.pk}) == {"Overdue"}
    assert names({"kind": "unknown"}) == {personas.worker.first_name, "Overdue"}  # invalid filter ignored
    coordinator = login(personas.coordinator)
    assert names({"scope": "team"}, coordinator) == {personas.worker.first_name, "Overdue", "Soon"}
    assert names({"scope": "team", "when": "week"}, coordinator) == {"Soon"}
    assert names({"scope": "mine"}, coordinator) == set()
    assert names({"scope": "team", "kind": KIND}, coordinator) == {personas.worker.first_name, "Overdue", "Soon"}


@pytest.mark.django_db
def test_snooze_validates_and_keeps_what_was_typed(personas, provider, login):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=TODAY)
    alert = Alert.objects.get()
    client = login(personas.coach)
    response = client.post(_url(personas, "snooze", pk=alert.pk), {"until": "20/06/2026", "reason": "wacht op VDAB"})
    assert response.status_code == 200
    assert response.context["form"].errors["until"]
    assert "wacht op VDAB" in response.content.decode()
    response = client.post(_url(personas, "snooze", pk=alert.pk), {"until": "31/02/2026", "reason": ""})
    assert set(response.context["form"].errors) == {"until", "reason"}
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN
    response = client.post(_url(personas, "snooze", pk=alert.pk),
                           {"until": "10/07/2026", "reason": "wacht op VDAB", "next_query": "when=later"})
    assert response.status_code == 302 and response["Location"].endswith("?when=later")
    alert.refresh_from_db()
    assert (alert.state, alert.snoozed_until, alert.snooze_reason) == (AlertState.SNOOZED, D(2026, 7, 10), "wacht op VDAB")
    listing = client.get(_url(personas, "list"))
    assert list(listing.context["page"].object_list) == []
    assert "alert-bell-count" not in listing.content.decode()
    snoozed = client.get(_url(personas, "list"), {"state": "snoozed"})
    assert "wacht op VDAB" in snoozed.content.decode()


@pytest.mark.django_db
def test_done_only_for_task_alerts(personas, provider, task_provider, login):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=TODAY)
    client = login(personas.coach)
    condition = Alert.objects.get(kind=KIND)
    task = Alert.objects.get(kind=task_provider)
    page = client.get(_url(personas, "list")).content.decode()
    assert _url(personas, "done", pk=task.pk) in page and _url(personas, "done", pk=condition.pk) not in page
    client.post(_url(personas, "done", pk=condition.pk))
    client.post(_url(personas, "done", pk=task.pk))
    condition.refresh_from_db()
    task.refresh_from_db()
    assert condition.state == AlertState.OPEN
    assert task.state == AlertState.DONE and task.done_by == personas.coach


@pytest.mark.django_db
def test_each_alert_links_to_where_it_is_resolved(personas, provider, login):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=TODAY)
    page = login(personas.coach).get(_url(personas, "list")).content.decode()
    assert f'href="/{personas.org.slug}/workers/{personas.worker.pk}/"' in page


@pytest.mark.django_db
def test_home_shows_this_week(personas, provider, login):
    end_contract(personas, D(2026, 6, 26))
    scan_organisation(organisation=personas.org, today=TODAY)
    page = login(personas.coach).get(reverse("trajects:home", kwargs={"org_slug": personas.org.slug}))
    html = page.content.decode()
    assert "this-week" in html and "26/06/2026" in html and personas.worker.first_name in html
    other = login(personas.other_coach).get(reverse("trajects:home", kwargs={"org_slug": personas.org.slug}))
    assert personas.worker.first_name not in other.content.decode()


@pytest.mark.django_db
def test_settings_page_saves_lead_times_and_rejects_bad_input(personas, provider, login):
    client = login(personas.org_admin)
    page = client.get(_url(personas, "settings"))
    assert "Contract end" in page.content.decode()
    data = {f"lead_{KIND}": "60, 14, 7", "escalation_delay_days": "5", "feedback_grace_days": "10",
            "default_digest": "daily", "version": "1"}
    response = client.post(_url(personas, "settings"), {**data, f"lead_{KIND}": "zes maanden"})
    assert response.status_code == 200 and response.context["form"].errors[f"lead_{KIND}"]
    assert "zes maanden" in response.content.decode()
    assert not AlertSettings.objects.exists()
    response = client.post(_url(personas, "settings"), data)
    assert response.status_code == 302
    stored = AlertSettings.objects.get(organisation=personas.org)
    assert stored.lead_times == {KIND: [60, 14, 7]} and stored.escalation_delay_days == 5
    # A second admin's stale form is refused and shows both versions.
    response = client.post(_url(personas, "settings"), {**data, "escalation_delay_days": "9"})
    assert response.status_code == 200
    assert [row["label"] for row in response.context["conflicts"]] == [
        "Escaleren naar de coördinatoren na (dagen te laat)"]
    assert AlertSettings.objects.get().escalation_delay_days == 5


@pytest.mark.django_db
def test_saving_settings_rescans_the_organisation(personas, provider, login, django_capture_on_commit_callbacks):
    end_contract(personas, D(2026, 8, 10))  # 47 days away: outside the default 30-day lead time
    client = login(personas.org_admin)
    data = {f"lead_{KIND}": "60", "escalation_delay_days": "14", "feedback_grace_days": "10",
            "default_digest": "weekly", "version": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(personas, "settings"), data)
    assert Alert.objects.get().notify_from == D(2026, 6, 11)


@pytest.mark.django_db
def test_preferences_and_calendar_link(personas, login):
    client = login(personas.coach)
    assert client.get(_url(personas, "preferences")).status_code == 200
    client.post(_url(personas, "preferences"), {"digest": "daily"})
    assert personas.coach.alert_preference.digest == "daily"
    response = client.post(_url(personas, "preferences"), {"digest": "hourly"})
    assert response.context["form"].errors["digest"]
    client.post(_url(personas, "calendar_token"), {"action": "regenerate"})
    personas.coach.alert_preference.refresh_from_db()
    token = personas.coach.alert_preference.calendar_token
    assert token and token in client.get(_url(personas, "preferences")).content.decode()


@pytest.mark.django_db
def test_a_coach_cannot_act_on_an_alert_of_someone_elses_worker(personas, provider, login):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=TODAY)
    alert = Alert.objects.get()
    AlertRecipient.objects.create(alert=alert, membership=personas.other_coach)  # stray row: still hidden
    client = login(personas.other_coach)
    assert client.get(_url(personas, "snooze", pk=alert.pk)).status_code == 404
    assert list(client.get(_url(personas, "list")).context["page"].object_list) == []


@pytest.mark.django_db
def test_two_people_snoozing_the_same_alert_the_second_is_refused_and_the_first_snooze_stands(personas, provider):
    from django.test import Client

    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=TODAY)
    alert = Alert.objects.get()
    url = _url(personas, "snooze", pk=alert.pk)
    coach, coordinator = Client(), Client()
    coach.force_login(personas.coach.user)
    coordinator.force_login(personas.coordinator.user)

    def shown(client):
        form = client.get(url).context["form"]
        return {"shown_until": form["shown_until"].value() or ""}

    seen_by_coach, seen_by_coordinator = shown(coach), shown(coordinator)
    assert coach.post(url, {**seen_by_coach, "until": "10/07/2026", "reason": "wacht op VDAB"}).status_code == 302
    response = coordinator.post(url, {**seen_by_coordinator, "until": "30/09/2026", "reason": "na de zomer"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft deze melding intussen uitgesteld" in html and "wacht op VDAB" in html
    assert 'value="na de zomer"' in html
    alert.refresh_from_db()
    assert (alert.snoozed_until, alert.snooze_reason) == (D(2026, 7, 10), "wacht op VDAB")
    # Seen now: snoozing again, knowingly, is allowed.
    response = coordinator.post(url, {**shown(coordinator), "until": "30/09/2026", "reason": "na de zomer"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.snoozed_until == D(2026, 9, 30)
