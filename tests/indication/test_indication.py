"""Advices, decision letters and evaluation requests: refusals leave nothing behind, deadlines are stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indication.models import Advice, EvaluationRequest
from lde_portal.audit.models import AuditAction, AuditEntry
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from tests.indication.helpers import indication_url
from tests.indication.matrix import PDF, advice

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
D = datetime.date


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)


ADVICE = {"type": "lde_advice", "issuing_body": "vdab", "decision_date": "01/02/2026", "valid_until": "31/01/2031",
          "destination": "lde", "consultant_name": "An Verbeke", "favourable_choice": ""}


def _post_advice(client, p, data, letter=None):
    data = {**ADVICE, **data}
    if letter is not None:
        data["letter_upload"] = letter
    return client.post(indication_url(p, "advice_add", pk=p.worker.pk), data)


@pytest.mark.parametrize("percent", ["19", "76", "0", "100"])
def test_wage_premium_outside_20_75_is_refused_at_the_field(personas, login, percent):
    client = login(personas.coach)
    response = _post_advice(client, personas, {"type": "imw_attestation", "destination": "imw",
                                               "wage_premium_percent": percent, "consultant_name": "Typed name"})
    assert response.status_code == 200
    assert response.context["form"].errors["wage_premium_percent"]
    assert "20" in response.context["form"].errors["wage_premium_percent"][0]
    assert 'value="Typed name"' in response.content.decode()  # nothing typed is lost
    assert not Advice.objects.exists()


@pytest.mark.parametrize("percent", ["20", "75", "40"])
def test_wage_premium_inside_the_range_is_saved(personas, login, percent):
    response = _post_advice(login(personas.coach), personas, {"type": "imw_attestation", "destination": "imw",
                                                              "wage_premium_percent": percent})
    assert response.status_code == 302
    assert Advice.objects.get().wage_premium_percent == int(percent)


def test_imw_attestation_needs_the_wage_premium(personas, login):
    response = _post_advice(login(personas.coach), personas, {"type": "imw_attestation"})
    assert response.context["form"].errors["wage_premium_percent"]
    assert not Advice.objects.exists()


def test_model_refuses_wage_premium_outside_range_too(personas):
    from django.core.exceptions import ValidationError

    from indication import services

    with pytest.raises(ValidationError) as exc:
        services.advice_create(worker=personas.worker, actor=personas.coach.user, data={
            "type": "imw_attestation", "decision_date": TODAY, "wage_premium_percent": 80})
    assert "wage_premium_percent" in exc.value.message_dict
    assert not Advice.objects.exists()


@pytest.mark.parametrize(("name", "content"), [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # a Windows executable renamed .pdf
    ("brief.pdf", b"<html><script>alert(1)</script></html>"),
    ("brief.png", b"GIF89a" + b"\x00" * 50),
    ("brief.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"),
])
def test_letter_of_the_wrong_type_is_refused(personas, login, name, content, settings):
    letter = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _post_advice(login(personas.coach), personas, {}, letter)
    assert response.status_code == 200
    assert response.context["form"].errors["letter_upload"]
    assert not Advice.objects.exists()
    assert not (settings.MEDIA_ROOT / "indication").exists()


def test_letter_over_the_size_limit_is_refused(personas, login, settings):
    settings.PORTAL_LETTER_MAX_BYTES = 1024
    letter = SimpleUploadedFile("brief.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = _post_advice(login(personas.coach), personas, {}, letter)
    assert "1,0" in response.context["form"].errors["letter_upload"][0] or "KB" in \
        response.context["form"].errors["letter_upload"][0]
    assert not Advice.objects.exists()


def test_default_size_limit_is_five_megabytes(personas, login):
    letter = SimpleUploadedFile("brief.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = _post_advice(login(personas.coach), personas, {}, letter)
    assert response.context["form"].errors["letter_upload"]
    assert not Advice.objects.exists()


@pytest.mark.parametrize(("content", "ext", "mime"), [
    (PDF, "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg", "image/jpeg"),
])
def test_letter_is_stored_under_a_random_name_and_downloaded_with_an_audit_entry(personas, login, content, ext,
                                                                                mime, settings):
    client = login(personas.coach)
    letter = SimpleUploadedFile("Jan Peeters advies.pdf", content, content_type="application/octet-stream")
    assert _post_advice(client, personas, {}, letter).status_code == 302
    stored = Advice.objects.get()
    assert stored.letter.name.endswith(f".{ext}") and "Peeters" not in stored.letter.name
    assert stored.letter.name.startswith(f"private/letters/{personas.org.pk}/")
    assert str(settings.MEDIA_ROOT) in stored.letter.path
    response = client.get(indication_url(personas, "advice_letter", pk=personas.worker.pk, advice_pk=stored.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert b"".join(response.streaming_content) == content
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == personas.coach.user and entry.worker_id == personas.worker.pk


def test_new_advice_of_the_same_type_replaces_the_active_one(personas, login):
    old = advice(personas.worker)
    assert _post_advice(login(personas.coordinator), personas, {"decision_date": "01/10/2026"}).status_code == 302
    old.refresh_from_db()
    assert old.status == "replaced"
    assert Advice.objects.filter(status="active").count() == 1


def test_favourable_throughflow_decision_stores_the_track_start_deadline_on_the_dossier(personas, login):
    client = login(personas.coach)
    response = _post_advice(client, personas, {"type": "throughflow_decision", "decision_date": "03/11/2026",
                                               "valid_until": "", "destination": "regular",
                                               "favourable_choice": "yes"})
    assert response.status_code == 302
    decision = Advice.objects.get()
    assert decision.track_start_due == datetime.date(2027, 2, 3)
    page = client.get(indication_url(personas, "worker_indication", pk=personas.worker.pk)).content.decode()
    assert "03/02/2027" in page and 'id="track-start-due"' in page
    due = client.get(indication_url(personas, "due_list")).content.decode()
    assert "03/02/2027" in due


def test_unfavourable_or_other_decisions_have_no_track_deadline(personas, login):
    client = login(personas.coach)
    _post_advice(client, personas, {"type": "throughflow_decision", "decision_date": "03/11/2026",
                                    "valid_until": "", "favourable_choice": "no"})
    assert Advice.objects.get().track_start_due is None


def test_throughflow_decision_must_say_favourable_or_not(personas, login):
    response = _post_advice(login(personas.coach), personas, {"type": "throughflow_decision"})
    assert response.context["form"].errors["favourable_choice"]
    assert not Advice.objects.exists()


def test_editing_an_advice_to_favourable_refreshes_the_deadline_and_conflicts_are_shown(personas, login):
    client = login(personas.coach)
    decision = advice(personas.worker, type="throughflow_decision", favourable=False, valid_until=None)
    url = indication_url(personas, "advice_edit", pk=personas.worker.pk, advice_pk=decision.pk)
    data = {**ADVICE, "type": "throughflow_decision", "decision_date": "01/01/2024", "valid_until": "",
            "favourable_choice": "yes", "status": "active", "version": decision.version}
    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.track_start_due == datetime.date(2024, 4, 1)
    stale = client.post(url, {**data, "note": "mine"})  # still the old version number
    assert stale.status_code == 200 and stale.context["conflicts"] is not None
    assert "mine" in stale.content.decode()


# --------------------------------------------------------------------------- evaluation requests


def _cmw_worker(p, start=datetime.date(2025, 5, 25)):
    p.employment.contract_start = start
    p.employment.save()
    advice(p.worker, type="cmw_start_package", decision_date=start - datetime.timedelta(days=20),
           valid_until=start + datetime.timedelta(days=5 * 365))


def test_evaluation_before_the_earliest_date_is_refused_without_exception(personas, login):
    _cmw_worker(personas)
    client = login(personas.coach)
    url = indication_url(personas, "evaluation_add", pk=personas.worker.pk)
    form_page = client.get(url).content.decode()
    assert "25/05/2027" in form_page  # the form shows the earliest allowed date
    response = client.post(url, {"reason": "regular", "requested_on": "23/11/2026", "planned_visit": "15/01/2027",
                                 "note": "typed"})
    assert response.status_code == 200
    errors = response.context["form"].errors["requested_on"]
    assert "25/05/2027" in errors[0]
    assert "typed" in response.content.decode()
    assert not EvaluationRequest.objects.exists()


def test_evaluation_before_the_earliest_date_is_accepted_with_an_exception_reason(personas, login):
    _cmw_worker(personas)
    response = login(personas.coach).post(indication_url(personas, "evaluation_add", pk=personas.worker.pk), {
        "reason": "regular", "requested_on": "23/11/2026", "exception_reason": "VDAB vroeg dit zelf aan",
        "planned_visit": "15/01/2027"})
    assert response.status_code == 302
    request = EvaluationRequest.objects.get()
    assert request.earliest_allowed == datetime.date(2027, 5, 25)
    assert request.pop_update_due == datetime.date(2027, 1, 5)


def test_early_medical_evaluation_after_eight_weeks_is_allowed(personas, login):
    _cmw_worker(personas, start=datetime.date(2026, 9, 1))
    response = login(personas.coach).post(indication_url(personas, "evaluation_add", pk=personas.worker.pk), {
        "reason": "early_medical", "requested_on": "23/11/2026", "planned_visit": "10/12/2026"})
    assert response.status_code == 302
    assert EvaluationRequest.objects.get().earliest_allowed == datetime.date(2026, 10, 27)


def test_early_medical_evaluation_before_eight_weeks_is_refused(personas, login):
    _cmw_worker(personas, start=datetime.date(2026, 10, 1))
    response = login(personas.coach).post(indication_url(personas, "evaluation_add", pk=personas.worker.pk), {
        "reason": "early_medical", "requested_on": "23/11/2026"})
    assert "26/11/2026" in response.context["form"].errors["requested_on"][0]
    assert not EvaluationRequest.objects.exists()


def test_outcome_needs_a_decision_date_and_is_shown_on_the_tab(personas, login):
    client = login(personas.coach)
    url = indication_url(personas, "evaluation_add", pk=personas.worker.pk)
    response = client.post(url, {"reason": "throughflow_readiness", "requested_on": "01/09/2026",
                                 "outcome": "throughflow_track"})
    assert response.context["form"].errors["decision_date"]
    assert client.post(url, {"reason": "throughflow_readiness", "requested_on": "01/09/2026",
                             "outcome": "throughflow_track", "decision_date": "01/10/2026"}).status_code == 302
    page = client.get(indication_url(personas, "worker_indication", pk=personas.worker.pk)).content.decode()
    assert "01/10/2026" in page


def test_next_evaluation_is_the_planned_visit(personas, login):
    client = login(personas.coach)
    client.post(indication_url(personas, "evaluation_add", pk=personas.worker.pk), {
        "reason": "regular", "requested_on": "20/11/2026", "planned_visit": "08/01/2027"})
    tab = client.get(indication_url(personas, "worker_indication", pk=personas.worker.pk)).context["tab"]
    assert tab.next_evaluation == datetime.date(2027, 1, 8) and tab.next_evaluation_is_visit
    assert EvaluationRequest.objects.get().pop_update_due == datetime.date(2026, 12, 29)


# --------------------------------------------------------------------------- lists and query counts


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_indication_tab_query_count_is_fixed(personas, login):
    client = login(personas.coordinator)
    url = indication_url(personas, "worker_indication", pk=personas.worker.pk)
    client.get(url)
    advice(personas.worker, valid_until=TODAY + datetime.timedelta(days=30))
    EvaluationRequest.objects.create(organisation=personas.org, worker=personas.worker, reason="regular",
                                     requested_on=TODAY, planned_visit=TODAY + datetime.timedelta(days=20))
    one = _count(client, url)
    for n in range(49):
        advice(personas.worker, decision_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
        EvaluationRequest.objects.create(organisation=personas.org, worker=personas.worker, reason="regular",
                                         requested_on=TODAY - datetime.timedelta(days=n))
    assert _count(client, url) == one
    assert one <= 12


def _make_due_workers(p, n):
    for i in range(n):
        worker = WorkerFactory(organisation=p.org)
        EmploymentFactory(worker=worker, activity=p.activity)
        CoachAssignmentFactory(worker=worker, coach=p.coach, start=datetime.date(2024, 1, 1))
        advice(worker, valid_until=TODAY + datetime.timedelta(days=10 + i % 70))
        advice(worker, type="throughflow_decision", favourable=True, valid_until=None,
               track_start_due=TODAY + datetime.timedelta(days=30))
        EvaluationRequest.objects.create(organisation=p.org, worker=worker, reason="regular", requested_on=TODAY,
                                         planned_visit=TODAY + datetime.timedelta(days=40),
                                         pop_update_due=TODAY + datetime.timedelta(days=30))


@pytest.mark.parametrize("viewer", ["coach", "coordinator", "manager"])
def test_due_list_query_count_is_fixed(personas, login, viewer):
    client = login(getattr(personas, viewer))
    url = indication_url(personas, "due_list")
    client.get(url)
    _make_due_workers(personas, 1)
    one = _count(client, url)
    _make_due_workers(personas, 49)
    assert _count(client, url) == one
    response = client.get(url)
    assert len(response.context["due"].expiring) == 50
    assert len(response.context["due"].evaluations) == 50
    assert len(response.context["due"].track_starts) == 50


def test_due_list_shows_coaches_only_their_workers_and_the_horizon(personas, login):
    mine = advice(personas.worker, valid_until=TODAY + datetime.timedelta(days=90))
    advice(personas.worker, type="sine_eligibility", valid_until=TODAY + datetime.timedelta(days=91))
    other = WorkerFactory(organisation=personas.org)
    advice(other, valid_until=TODAY + datetime.timedelta(days=5))
    advice(personas.foreign_worker, valid_until=TODAY + datetime.timedelta(days=5))
    due_list = indication_url(personas, "due_list")
    assert [a.pk for a in login(personas.coach).get(due_list).context["due"].expiring] == [mine.pk]
    coordinator_list = login(personas.coordinator).get(due_list).context["due"].expiring
    assert len(coordinator_list) == 2


def test_pop_update_before_the_visit_is_shown_from_the_pop_app(personas, login):
    from pop.models import Pop, PopVersion

    EvaluationRequest.objects.create(organisation=personas.org, worker=personas.worker, reason="regular",
                                     requested_on=D(2026, 11, 2), planned_visit=D(2026, 11, 20),
                                     pop_update_due=D(2026, 11, 10))
    client = login(personas.coach)
    url = indication_url(personas, "worker_indication", pk=personas.worker.pk)
    assert "POP niet bijgewerkt" in client.get(url).content.decode()
    pop = Pop.objects.create(organisation=personas.org, worker=personas.worker, year=2026)
    PopVersion.objects.create(organisation=personas.org, pop=pop, number=1, status="approved",
                              approved_on=D(2026, 11, 5), vdab_registered_on=D(2026, 11, 6))
    page = client.get(url)
    assert page.context["tab"].pop_updated_on == D(2026, 11, 6)
    assert "POP bijgewerkt 06/11/2026" in page.content.decode()


@pytest.mark.parametrize(("favourable", "requested_on", "outcome"), [
    (True, datetime.date(2026, 1, 5), "throughflow_track"),   # VDAB's answer to the open request
    (False, datetime.date(2026, 1, 5), ""),                   # unfavourable: the coach records the outcome
    (True, datetime.date(2026, 3, 2), ""),                    # requested after the decision: another request
])
def test_a_favourable_throughflow_decision_answers_the_open_evaluation_request(personas, favourable,
                                                                               requested_on, outcome):
    from indication import services
    from indication.models import EvaluationRequest
    from tests.indication.matrix import evaluation

    request = evaluation(personas.worker)
    EvaluationRequest.objects.filter(pk=request.pk).update(requested_on=requested_on)
    services.advice_create(worker=personas.worker, actor=personas.coach.user, data={
        "type": "throughflow_decision", "decision_date": datetime.date(2026, 3, 1), "favourable": favourable})
    request.refresh_from_db()
    assert request.outcome == outcome
    assert request.decision_date == (datetime.date(2026, 3, 1) if outcome else None)
