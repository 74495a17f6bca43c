"""Readiness checks (docs/domain.md §3.6): the determinants, the decision that requests the VDAB evaluation through
the indication app, the history, concurrency and who sees the health, family and money notes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indication.models import EvaluationRequest
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.concurrency import ConflictError
from throughflow import services
from throughflow.models import Determinant, ReadinessAnswer, ReadinessCheck

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 6, 1)
MARKER = "ZIEKENHUISOPNAME-MARKER"


def _answers(**overrides):
    answers = {d: {"assessment": "ready", "note": ""} for d in Determinant.values}
    for key, value in overrides.items():
        answers[key] = value
    return answers


def _data(**extra):
    data = {"date": D(2025, 5, 20), "worker_took_part": True, "summary": "Klaar voor een job in een fietsenwinkel.",
            "decision": "request", "next_check": None, "answers": _answers(
                health={"assessment": "attention", "note": MARKER})}
    data.update(extra)
    return data


def _save(worker, today=TODAY, **extra):
    return services.readiness_check_save(worker=worker, actor=None, data=_data(**extra), today=today)


def test_request_creates_the_evaluation_request_through_the_indication_app(personas):
    check = _save(personas.worker, requested_on=D(2025, 5, 21), planned_visit=D(2025, 6, 20))
    request = EvaluationRequest.objects.get()
    assert check.evaluation_request == request
    assert (request.reason, request.requested_on, request.planned_visit, request.pop_update_due) == (
        "throughflow_readiness", D(2025, 5, 21), D(2025, 6, 20), D(2025, 6, 10))
    assert ReadinessAnswer.objects.filter(readiness_check=check).count() == len(Determinant.values)
    assert check.next_check is None


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"date": D(2025, 6, 2)}, "date", "kan niet in de toekomst liggen"),
    ({"decision": "not_yet"}, "next_check", "Plan de volgende check"),
    ({"decision": "not_yet", "next_check": D(2025, 5, 20)}, "next_check", "na de datum van deze check"),
    ({"decision": ""}, "decision", "Kies een beslissing"),
    ({"answers": _answers(dutch={"assessment": "", "note": "?"})}, "dutch_assessment", "Kies een beoordeling"),
])
def test_invalid_input_is_refused_and_nothing_saved(personas, extra, field, message):
    with pytest.raises(ValidationError) as exc:
        _save(personas.worker, **extra)
    assert message in " ".join(exc.value.message_dict[field])
    assert not ReadinessCheck.objects.exists() and not ReadinessAnswer.objects.exists()
    assert not EvaluationRequest.objects.exists()


def test_a_request_before_the_earliest_allowed_date_is_refused_unless_an_exception_reason(personas):
    """CMW: an evaluation can be requested from 2 years + 1 day of employment (indication's rule applies)."""
    from tests.indication.matrix import advice

    advice(personas.worker, type="cmw_start_package", decision_date=D(2023, 12, 1), valid_until=None)
    with pytest.raises(ValidationError) as exc:
        _save(personas.worker)
    assert "01/01/2026" in " ".join(exc.value.message_dict["requested_on"])
    assert not ReadinessCheck.objects.exists() and not EvaluationRequest.objects.exists()
    check = _save(personas.worker, exception_reason="Werkgever wil nu aanwerven")
    assert check.evaluation_request.exception_reason == "Werkgever wil nu aanwerven"


def test_not_yet_keeps_a_next_check_and_checks_are_kept_as_history(personas):
    first = _save(personas.worker, date=D(2025, 1, 10), decision="not_yet", next_check=D(2025, 5, 1))
    second = _save(personas.worker)
    assert list(ReadinessCheck.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    assert first.evaluation_request is None and EvaluationRequest.objects.count() == 1


def test_editing_is_concurrency_safe_and_a_requested_evaluation_stays(personas):
    check = _save(personas.worker)
    services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=1,
                                  data=_data(summary="Bijgewerkt"), today=TODAY)
    with pytest.raises(ConflictError):
        services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=1,
                                      data=_data(summary="Oud formulier"), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=2,
                                      data=_data(decision="not_yet", next_check=D(2025, 9, 1)), today=TODAY)
    assert "decision" in exc.value.message_dict
    check.refresh_from_db()
    assert (check.summary, check.version, check.decision) == ("Bijgewerkt", 2, "request")
    assert EvaluationRequest.objects.count() == 1


def test_editing_not_yet_into_request_creates_the_request_once(personas):
    check = _save(personas.worker, decision="not_yet", next_check=D(2025, 9, 1))
    check = services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=1,
                                          data=_data(), today=TODAY)
    assert check.evaluation_request is not None and check.next_check is None
    services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=2,
                                  data=_data(summary="nog eens"), today=TODAY)
    assert EvaluationRequest.objects.count() == 1


def test_audit_names_the_changes_never_the_notes(personas):
    _save(personas.worker)
    entry = AuditEntry.objects.filter(object_type="throughflow.readinesscheck").get()
    assert MARKER not in str(entry.summary) + str(entry.changes)


def _tab(client, p):
    return client.get(reverse("throughflow:tab", kwargs={"org_slug": p.org.slug, "pk": p.worker.pk}))


def _detail(client, p, check):
    return client.get(reverse("throughflow:readiness_detail", kwargs={
        "org_slug": p.org.slug, "pk": p.worker.pk, "check_pk": check.pk}))


@pytest.mark.parametrize(("persona", "sees"), [
    ("coach", True), ("coordinator", True), ("manager", False), ("org_admin", False),
])
def test_health_notes_only_for_the_guidance_staff(personas, login, persona, sees):
    check = _save(personas.worker, answers=_answers(
        health={"assessment": "obstacle", "note": MARKER}, finances={"assessment": "attention", "note": "Schuld"},
        dutch={"assessment": "ready", "note": "Spreekt vlot"}))
    client = login(getattr(personas, persona))
    body = _detail(client, personas, check).content.decode()
    assert (MARKER in body) is sees and ("Schuld" in body) is sees
    assert "Spreekt vlot" in body and "Klaar voor een job" in body
    tab = _tab(client, personas).content.decode()
    assert ("Gezondheid: obstakel" in tab) is sees
    # The check's page and the tab each showed the health assessment: one read each, none for who saw none.
    reads = AuditEntry.objects.filter(action=AuditAction.READ_CONFIDENTIAL, worker_id=personas.worker.pk).count()
    assert reads == (2 if sees else 0)


def test_the_form_shows_the_pop_competences_and_keeps_the_input_on_errors(personas, login):
    client = login(personas.coach)
    url = reverse("throughflow:readiness_add", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    page = client.get(url).content.decode()
    assert "Competenties uit het POP" in page and "Nog geen POP." in page
    post = {"date": "20/05/2025", "worker_took_part": "on", "summary": "Bijna klaar", "decision": "not_yet"}
    for d in Determinant.values:
        post[f"{d}_assessment"] = "ready"
    response = client.post(url, post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Plan de volgende check" in body and "Bijna klaar" in body
    assert not ReadinessCheck.objects.exists()
    post["next_check"] = "01/09/2025"
    assert client.post(url, post).status_code == 302
    assert ReadinessCheck.objects.get().next_check == D(2025, 9, 1)


def test_edit_form_shows_a_conflict_next_to_what_was_typed(personas, login):
    check = _save(personas.worker, decision="not_yet", next_check=D(2025, 9, 1))
    client = login(personas.coach)
    url = reverse("throughflow:readiness_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                                        "check_pk": check.pk})
    services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=1,
                                  data=_data(decision="not_yet", next_check=D(2025, 9, 1), summary="Door Koen"),
                                  today=TODAY)
    post = {"version": "1", "date": "20/05/2025", "summary": "Door Sara", "decision": "not_yet",
            "next_check": "01/09/2025", "requested_on": "", "planned_visit": "", "exception_reason": ""}
    for d in Determinant.values:
        post[f"{d}_assessment"] = "ready"
    response = client.post(url, post)
    body = response.content.decode()
    assert "Door Koen" in body and "Door Sara" in body and "intussen" in body
    check.refresh_from_db()
    assert check.summary == "Door Koen"


def test_subject_access_and_retention_of_the_sensitive_notes(personas):
    from lde_portal.privacy.registry import collect
    from lde_portal.privacy.retention import HANDLERS
    from throughflow import services as tf_services

    _save(personas.worker)
    sections = dict(collect(personas.worker))
    assert any(MARKER in str(row.values()) for row in sections["Doorstroomklaarheid"])
    handler = HANDLERS["throughflow.readiness_notes"]

    class Policy:
        confidential_months = 12

    assert handler.find(personas.org, D(2026, 6, 1), Policy) == []
    tf_services.exit_record(worker=personas.worker, actor=None, today=TODAY,
                            data={"date": D(2025, 5, 31), "reason": "drop_out"})
    personas.worker.refresh_from_db()
    assert handler.find(personas.org, D(2026, 5, 30), Policy) == []
    items = handler.find(personas.org, D(2026, 6, 1), Policy)
    assert [i.worker_id for i in items] == [personas.worker.pk] and MARKER not in items[0].description
    handler.apply(items)
    assert not ReadinessAnswer.objects.filter(note=MARKER).exists()
    assert ReadinessCheck.objects.get().summary  # the check itself stays as the decision's history


def test_exited_worker_gets_no_new_check(personas):
    services.exit_record(worker=personas.worker, actor=None, today=TODAY,
                         data={"date": D(2025, 5, 31), "reason": "drop_out"})
    with pytest.raises(ValidationError):
        _save(personas.worker)


def test_tab_query_count_is_fixed_with_one_or_many_checks_and_pauses(personas, login, django_assert_num_queries):
    from throughflow.models import Track

    services.track_open(worker=personas.worker, actor=None, today=TODAY, data={
        "decision_date": D(2025, 1, 10), "start": D(2025, 1, 10), "coach_name": "An"})
    track = Track.objects.get()

    def pause(i):
        start = D(2025, 1, 11) + datetime.timedelta(days=2 * i)
        services.track_pause(track=track, actor=None, today=TODAY, data={"paused_from": start, "reason": f"R{i}"})
        services.track_resume(track=track, actor=None, today=TODAY,
                              data={"resumed_on": start + datetime.timedelta(days=1)})

    _save(personas.worker, date=D(2025, 1, 1), decision="not_yet", next_check=D(2025, 2, 1))
    pause(0)
    url = reverse("throughflow:tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    for persona in ("coach", "manager"):
        client = login(getattr(personas, persona))
        client.get(url)
        # The coach's confidential right is one query (current assignment); the manager's is not asked.
        # +5 for the placement sections (job target, applications, internships, handover notes, consents).
        # +1 for the coach: the health, family and finances assessments shown are a read (one audit insert).
        with django_assert_num_queries(17 + (persona == "coach")) as one:
            client.get(url)
        counts = len(one.captured_queries)
        if persona == "coach":
            for i in range(1, 50):
                _save(personas.worker, date=D(2025, 1, 1) + datetime.timedelta(days=i), decision="not_yet",
                      next_check=D(2025, 3, 1))
                pause(i)
        with django_assert_num_queries(counts):
            response = client.get(url)
        assert len(response.context["readiness_checks"]) == 50
        assert len(response.context["track_summary"].pauses) == 50
