"""The inflow pages: fixed query counts on the lists, scoping of coaches, the forms keep what was typed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inflow.models import Application, Stage
from tests.inflow import helpers

D = datetime.date
pytestmark = pytest.mark.django_db


def _url(personas, name, **kwargs):
    return reverse(f"inflow:{name}", kwargs={"org_slug": personas.org.slug, **kwargs})


def _fill(personas, n, start=0):
    for i in range(start, start + n):
        vacancy = helpers.vacancy(personas.org, activity=personas.activity, title=f"Vacature {i}")
        application = helpers.candidate(vacancy, first=f"Kandidaat{i}")
        helpers.advised(helpers.referred(application, seq=i), on=D(2026, 10, 21))
        helpers.hired(Application.objects.get(pk=application.pk), personas.coach, start=D(2026, 10, 27))
        helpers.candidate(vacancy, first=f"Ander{i}")


@pytest.mark.parametrize(("name", "role"), [("board", "coordinator"), ("board", "manager"),
                                             ("lead_time", "manager")])
def test_list_query_counts_are_fixed(personas, login, django_assert_num_queries, name, role):
    client = login(getattr(personas, role))
    url = _url(personas, name) + ("?status=all" if name == "board" else "")
    _fill(personas, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _fill(personas, 49, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 50


def test_vacancy_page_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coordinator)
    vacancy = helpers.vacancy(personas.org, activity=personas.activity)
    helpers.candidate(vacancy)
    url = _url(personas, "vacancy_detail", vacancy_pk=vacancy.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(49):
        helpers.candidate(vacancy, first=f"K{i}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["applications"]) == 50


def test_board_shows_the_funnel_and_the_waits(personas, login):
    vacancy = helpers.vacancy(personas.org, activity=personas.activity)
    application = helpers.candidate(vacancy, applied_on=D(2026, 9, 2))
    helpers.advised(helpers.referred(application, on=D(2026, 9, 20)), on=D(2026, 10, 21))
    helpers.candidate(vacancy, first="Lotte")
    row = login(personas.manager).get(_url(personas, "board")).context["rows"][0]
    assert dict(row.funnel) == {"candidates": 2, "session": 0, "ranked": 0, "referred": 1, "advice": 1, "hired": 0}
    assert row.waits["advice"] == 31


def test_a_coach_sees_only_the_vacancies_they_take_part_in(personas, login):
    mine = helpers.vacancy(personas.org, activity=personas.activity, team=[personas.coach], title="Mijn ploeg")
    helpers.vacancy(personas.org, activity=personas.activity, title="Andere ploeg")
    rows = login(personas.coach).get(_url(personas, "board")).context["rows"]
    assert [r.vacancy for r in rows] == [mine]
    rows = login(personas.other_coach).get(_url(personas, "board")).context["rows"]
    assert rows == []


def test_a_refused_referral_keeps_what_was_typed(personas, login):
    vacancy = helpers.vacancy(personas.org, activity=personas.activity)
    application = helpers.candidate(vacancy, applied_on=D(2026, 9, 2))
    response = login(personas.coordinator).post(_url(personas, "refer", application_pk=application.pk), {
        "version": application.version, "referred_on": "01/09/2026", "insz": "91.03.14-701.35",
        "street": "Kerkstraat 5"})
    assert response.status_code == 200
    assert "referred_on" in response.context["form"].errors
    assert "Kerkstraat 5" in response.content.decode()
    assert Application.objects.get(pk=application.pk).stage == Stage.APPLIED


def test_the_hire_form_proposes_the_regime_from_the_advice(personas, login):
    vacancy = helpers.vacancy(personas.org, activity=personas.activity)
    application = helpers.advised(helpers.referred(helpers.candidate(vacancy)))
    form = login(personas.coordinator).get(_url(personas, "hire", application_pk=application.pk)).context["form"]
    assert form.initial["regime"] == "IMW_5Y"


@pytest.mark.parametrize(("today", "expected"), [
    # Closes 30/09; session 08/09; ranked 10/09, to contact within 7 days (by 17/09).
    (D(2026, 9, 6), []),
    (D(2026, 9, 7), ["attendance"]),                       # the session is tomorrow
    (D(2026, 9, 18), ["attendance", "contact"]),
    (D(2026, 10, 1), ["attendance", "contact", "closed"]),
])
def test_the_board_reminds_what_belongs_to_no_worker_yet(personas, today, expected):
    from inflow import selectors, services

    vacancy = helpers.vacancy(personas.org, activity=personas.activity, closes_on=D(2026, 9, 30))
    application = helpers.candidate(vacancy)
    services.session_plan(vacancy=vacancy, actor=None, data={"date": D(2026, 9, 8)})
    services.ranking_save(vacancy=vacancy, actor=None, ranks={application.pk: 1}, on=D(2026, 9, 10))
    rows = selectors.reminders(personas.coordinator, today)
    assert sorted(r.what for r in rows) == sorted(expected)
    assert selectors.reminders(personas.other_coach, today) == []


def test_the_lead_time_list_offers_its_export(personas, login):
    _fill(personas, 1)
    client = login(personas.manager)
    page = client.get(_url(personas, "lead_time") + "?start=01/01/2026&end=31/12/2026").content.decode()
    link = reverse("reports:export", kwargs={"org_slug": personas.org.slug, "key": "inflow_hires"})
    assert f"{link}?start=01%2F01%2F2026&amp;end=31%2F12%2F2026&amp;format=xlsx" in page
    response = client.get(link, {"start": "01/01/2026", "end": "31/12/2026", "format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Kandidaat0" in body
