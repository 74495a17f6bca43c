import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from lde_portal.audit.models import AuditEntry
from tests.factories import (
    ActivityFactory,
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    WorkerFactory,
    valid_insz,
)
from trajects.models import Employment, Worker

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Jamal", "last_name": "Benali", "insz": "85.07.30-033.28", "birth_date": "",
    "gender": "M", "preferred_language": "nl", "education_level": "lower_secondary", "status": "active",
    "status_date": "01/09/2026", "employment-activity": "", "employment-contract_start": "",
    "employment-contract_end": "", "employment-contract_type": "open_ended", "employment-weekly_hours": "",
    "employment-fte": "", "coach-role": "job_coach", "street": "Kerkstraat 5", "phone": "0470 12 34 56",
}


def _url(p, name, **kw):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kw})


def test_create_worker_with_first_contract_and_coach(personas, login):
    client = login(personas.coordinator)
    data = {**VALID, "employment-activity": personas.activity.pk, "employment-contract_start": "01/09/2026",
            "employment-weekly_hours": "30,4", "coach-coach": personas.coach.pk}
    response = client.post(_url(personas, "trajects:worker_create"), data)
    worker = Worker.objects.get(last_name="Benali")
    assert response.status_code == 302
    assert worker.birth_date == datetime.date(1985, 7, 30)  # derived from the INSZ
    assert worker.insz == "85073003328"
    employment = worker.employments.get()
    assert str(employment.fte) == "0.800"  # 30.4 / 38
    assert worker.coach_assignments.get().coach == personas.coach
    assert AuditEntry.objects.filter(worker_id=worker.pk, action="create").count() == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"insz": "85.07.30-033.29"}, "insz", "Dit is geen geldig INSZ-nummer"),
        ({"insz": "12345"}, "insz", "Dit is geen geldig INSZ-nummer"),
        ({"birth_date": "31/07/1985"}, "birth_date", "komt niet overeen met het INSZ-nummer (30/07/1985)"),
        ({"employment-activity": "ACT", "employment-contract_start": "01/09/2026", "employment-weekly_hours": "19",
          "employment-contract_end": "31/08/2026"}, "employment-contract_end", "ligt vóór de start"),
        ({"employment-contract_start": "01/09/2026"}, "employment-activity", "laat het hele contract leeg"),
        ({"status_date": "31/02/2026"}, "status_date", "Voer een geldige datum in"),
    ],
)
def test_invalid_input_shows_message_at_the_field_and_keeps_input(personas, login, changes, field, message):
    client = login(personas.coordinator)
    data = {**VALID, **changes}
    if data.get("employment-activity") == "ACT":
        data["employment-activity"] = personas.activity.pk
    before = Worker.objects.count()
    response = client.post(_url(personas, "trajects:worker_create"), data)
    assert response.status_code == 200
    assert Worker.objects.count() == before and Employment.objects.count() == 1
    html = response.content.decode()
    assert message in html
    # The error sits with its field (crispy renders it right under the input, with the input's id).
    assert f'id="error_1_id_{field}"' in html
    # Nothing typed is lost.
    assert 'value="Benali"' in html and 'value="Kerkstraat 5"' in html


def test_duplicate_insz_in_same_organisation_is_refused_at_the_field(personas, login):
    client = login(personas.coordinator)
    existing = personas.worker.insz
    response = client.post(_url(personas, "trajects:worker_create"), {**VALID, "insz": existing})
    assert response.status_code == 200
    assert "Er bestaat al een werknemer met dit INSZ-nummer" in response.content.decode()
    assert 'id="error_1_id_insz"' in response.content.decode()
    assert Worker.objects.filter(insz=existing).count() == 1


def test_same_insz_in_another_organisation_is_allowed(personas, login):
    client = login(personas.coordinator)
    personas.foreign_worker.insz = valid_insz(500)
    personas.foreign_worker.save()
    response = client.post(_url(personas, "trajects:worker_create"), {**VALID, "insz": valid_insz(500)})
    assert response.status_code == 302


def test_edit_conflict_shows_differences_and_keeps_both(personas, login):
    client = login(personas.coordinator)
    w = personas.worker
    url = _url(personas, "trajects:worker_edit", pk=w.pk)
    form = client.get(url).context["form"]
    data = {k: (v if v is not None else "") for k, v in form.initial.items() if k in form.fields}
    data.update(birth_date="30/07/1985", version=w.version)
    # Someone else saves first.
    other = login(personas.org_admin)
    other.post(url, {**data, "phone": "0499 00 00 01"})
    w.refresh_from_db()
    assert w.phone == "0499 00 00 01"
    client = login(personas.coordinator)
    response = client.post(url, {**data, "phone": "0477 11 11 11"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft deze gegevens intussen gewijzigd" in html
    assert "0499 00 00 01" in html and 'value="0477 11 11 11"' in html
    w.refresh_from_db()
    assert w.phone == "0499 00 00 01"
    # Saving again, knowingly, with the new version wins.
    response = client.post(url, {**data, "phone": "0477 11 11 11", "version": w.version})
    assert response.status_code == 302
    w.refresh_from_db()
    assert w.phone == "0477 11 11 11"


def test_coach_sees_only_assigned_workers(personas, login):
    client = login(personas.coach)
    unassigned = WorkerFactory(organisation=personas.org)
    names = [w.pk for w in client.get(_url(personas, "trajects:worker_list")).context["page"].object_list]
    assert names == [personas.worker.pk]
    assert client.get(_url(personas, "trajects:worker_detail", pk=unassigned.pk)).status_code == 404
    # An ended assignment no longer grants access.
    personas.assignment.end = datetime.date(2025, 1, 1)
    personas.assignment.save()
    assert client.get(_url(personas, "trajects:worker_detail", pk=personas.worker.pk)).status_code == 404


def test_every_worker_url_of_another_organisation_is_404(personas, login):
    client = login(personas.org_admin)
    fw = personas.foreign_worker
    for name in ["trajects:worker_detail", "trajects:worker_edit", "trajects:worker_history",
                 "trajects:status_change", "trajects:employment_add", "trajects:assignment_add"]:
        assert client.get(_url(personas, name, pk=fw.pk)).status_code == 404, name
    # ...and through the other organisation's own slug, a non-member gets 404 as well.
    assert client.get(reverse("trajects:worker_detail", kwargs={"org_slug": personas.other_org.slug, "pk": fw.pk})).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"q": "Benali"}, ["Benali"]), ({"q": "900101"}, ["Benali"]), ({"q": "90.01.01"}, ["Benali"]), ({"status": "exited"}, ["Claes"]),
     ({"activity": "ACT2"}, ["Claes"]), ({"coach": "COACH"}, ["Benali"]), ({"sort": "-name"}, ["X", "Claes", "Benali"])],
)
def test_worker_list_filters(personas, login, params, expected):
    org = personas.org
    personas.worker.last_name = "X"
    personas.worker.save()
    a = WorkerFactory(organisation=org, last_name="Benali", insz=valid_insz(1, datetime.date(1990, 1, 1)),
                      birth_date=datetime.date(1990, 1, 1))
    b = WorkerFactory(organisation=org, last_name="Claes", status="exited")
    act2 = ActivityFactory(organisation=org, name="Strijkatelier")
    EmploymentFactory(worker=a, activity=personas.activity)
    EmploymentFactory(worker=b, activity=act2)
    CoachAssignmentFactory(worker=a, coach=personas.other_coach)
    params = {k: {"ACT2": act2.pk, "COACH": personas.other_coach.pk}.get(v, v) for k, v in params.items()}
    client = login(personas.coordinator)
    page = client.get(_url(personas, "trajects:worker_list"), params).context["page"]
    assert [w.last_name for w in page.object_list] == expected


def _make_workers(org, activity, coach, n):
    for _ in range(n):
        w = WorkerFactory(organisation=org)
        EmploymentFactory(worker=w, activity=activity)
        CoachAssignmentFactory(worker=w, coach=coach)


@pytest.mark.parametrize("viewer", ["coordinator", "coach"])
def test_worker_list_query_count_is_fixed(personas, login, django_assert_num_queries, viewer, settings):
    settings.PORTAL_WORKERS_PER_PAGE = 100
    client = login(getattr(personas, viewer))
    url = _url(personas, "trajects:worker_list")
    client.get(url)  # warm-up (session creation)
    with django_assert_num_queries(9) as one:  # +1: the alert bell (lde_portal/alerts)
        client.get(url, {"status": "active"})
    _make_workers(personas.org, personas.activity, personas.coach, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, {"status": "active"})
    assert len(response.context["page"].object_list) == 50
    assert len(one.captured_queries) <= 10  # issue #2: the list needs at most 10


def test_coach_home_query_count_is_fixed(personas, login, django_assert_num_queries):
    """Issue #10: the coach's home lists their whole caseload (up to 80) on one page."""
    client = login(personas.coach)
    url = reverse("trajects:home", kwargs={"org_slug": personas.org.slug})
    client.get(url)
    with django_assert_num_queries(7) as one:  # +3: the alert bell, "this week" and its lead times
        client.get(url)
    _make_workers(personas.org, personas.activity, personas.coach, 50)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["my_workers"]) >= 50


def test_dossier_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:worker_detail", pk=personas.worker.pk)
    client.get(url)
    with django_assert_num_queries(7) as one:  # +1: the alert bell
        client.get(url)
    _make_workers(personas.org, personas.activity, personas.coach, 50)
    for _ in range(5):
        EmploymentFactory(worker=personas.worker, activity=personas.activity)
        CoachAssignmentFactory(worker=personas.worker, coach=MembershipFactory(organisation=personas.org))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_status_change_is_recorded_in_history(personas, login):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:status_change", pk=personas.worker.pk)
    assert client.post(url, {"status": "suspended", "date": "01/10/2026", "note": "ziekte"}).status_code == 302
    personas.worker.refresh_from_db()
    assert personas.worker.status == "suspended"
    history = client.get(_url(personas, "trajects:worker_history", pk=personas.worker.pk))
    assert "ziekte" in history.content.decode()
    response = client.post(url, {"status": "active", "date": "01/01/2099"})
    assert "kan niet in de toekomst liggen" in response.content.decode()


def test_coach_home_lists_their_workers_and_others_see_counts(personas, login):
    response = login(personas.coach).get(_url(personas, "trajects:home"))
    assert personas.worker.full_name in response.content.decode()
    response = login(personas.manager).get(_url(personas, "trajects:home"))
    assert response.context["counts"]["total"] == 1
    assert "Fietspunt" in response.content.decode()


def test_pages_are_dutch_by_default_and_english_on_request(personas, login):
    client = login(personas.coordinator)
    assert "Werknemers" in client.get(_url(personas, "trajects:worker_list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Workers" in client.get(_url(personas, "trajects:worker_list")).content.decode()


def _rendered_version(html):
    """The version the page put in its form, as a browser would post it back ("" when the form carries none)."""
    import re

    match = re.search(r'name="version" value="(\d*)"', html)
    return match.group(1) if match else ""


def test_two_people_editing_the_same_contract_the_second_gets_the_conflict_and_nothing_is_overwritten(
        personas, login):
    from django.test import Client

    from lde_portal.accounts.models import Role

    employment = personas.employment
    url = _url(personas, "trajects:employment_edit", pk=personas.worker.pk, employment_pk=employment.pk)
    first, second = Client(), Client()
    first.force_login(personas.coordinator.user)
    second.force_login(MembershipFactory(organisation=personas.org, role=Role.COORDINATOR).user)
    contract = {"activity": personas.activity.pk, "contract_start": "01/01/2024", "contract_type": "fixed_term",
                "weekly_hours": "30,4", "fte": "0,8"}
    # Both open the form before either saves.
    seen_first = _rendered_version(first.get(url).content.decode())
    seen_second = _rendered_version(second.get(url).content.decode())
    assert first.post(url, {**contract, "contract_end": "31/12/2026", "version": seen_first}).status_code == 302
    response = second.post(url, {**contract, "contract_end": "30/06/2027", "weekly_hours": "19",
                                 "version": seen_second})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit contract intussen gewijzigd" in html
    # What is stored now next to what the second person typed, and the typed values still in the form.
    assert "31/12/2026" in html and 'value="30/06/2027"' in html and 'value="19"' in html
    employment.refresh_from_db()
    assert (employment.contract_end, employment.weekly_hours) == (datetime.date(2026, 12, 31), Decimal("30.4"))
    # Saving again, knowingly, on the version now offered wins.
    response = second.post(url, {**contract, "contract_end": "30/06/2027", "weekly_hours": "19",
                                 "version": _rendered_version(html)})
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.contract_end == datetime.date(2027, 6, 30)


@pytest.mark.parametrize("posted", [{}, {"version": ""}, {"version": "x"}])
def test_a_contract_form_without_a_usable_version_is_refused(personas, login, posted):
    employment = personas.employment
    url = _url(personas, "trajects:employment_edit", pk=personas.worker.pk, employment_pk=employment.pk)
    response = login(personas.coordinator).post(url, {
        "activity": personas.activity.pk, "contract_start": "01/01/2024", "contract_end": "31/12/2026",
        "contract_type": "open_ended", "weekly_hours": "30,4", "fte": "0,8", **posted})
    assert response.status_code == 200 and "Iemand anders" in response.content.decode()
    employment.refresh_from_db()
    assert employment.contract_end is None


def test_two_people_ending_the_same_assignment_the_second_is_refused_and_the_first_end_stands(personas, login):
    from django.test import Client

    from lde_portal.accounts.models import Role

    assignment = personas.assignment
    url = _url(personas, "trajects:assignment_end", pk=personas.worker.pk, assignment_pk=assignment.pk)
    first, second = Client(), Client()
    first.force_login(personas.coordinator.user)
    second.force_login(MembershipFactory(organisation=personas.org, role=Role.COORDINATOR).user)
    assert first.get(url).status_code == second.get(url).status_code == 200
    assert first.post(url, {"end": "01/06/2026"}).status_code == 302
    response = second.post(url, {"end": "15/06/2026"})
    assert response.status_code == 200
    assert "Iemand anders heeft deze toewijzing intussen beëindigd" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end == datetime.date(2026, 6, 1)
