"""What resolves each alert kind (docs/alerts.md, "What resolves each kind"), the same-request refresh after
the task is done, the "Deze week" order, where "Openen" leads and the plurals — with the domain apps' real
providers (tests/alerts/ replaces them by fakes)."""

import datetime
import pathlib
import re

import pytest
import time_machine
from django.urls import reverse

from indication import services as indication_services
from indication.models import EvaluationRequest
from lde_portal.alerts import selectors as alert_selectors
from lde_portal.alerts.models import Alert, AlertState
from lde_portal.alerts.registry import PROVIDERS
from lde_portal.alerts.scan import scan_organisation
from lde_portal.alerts.templatetags.alerts import due_phrase
from pop import services as pop_services
from pop.models import ActionStatus, PopStatus, WeeklyFeedback
from pop.selectors import team_week
from tests.indication.matrix import advice
from tests.pop.helpers import make_version
from throughflow import services as throughflow_services
from throughflow.alerts import aftercare_title
from throughflow.models import FollowUp
from trajects import services as trajects_services

pytestmark = pytest.mark.django_db
D = datetime.date
DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "alerts.md"


def _at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0)), tick=False)


def _scan(p, day):
    with _at(day):
        scan_organisation(organisation=p.org)


def _open(kind):
    return list(Alert.objects.filter(kind=kind, state=AlertState.OPEN).values_list("subject_key", flat=True))


def _transition(p, today):
    """Hired 01/02/2021 under LDE, in the transition regime: ends 31/01/2026, evaluation due 31/07/2025."""
    return trajects_services.trajectory_start(worker=p.worker, actor=None, regime="TRANSITION", start=D(2021, 2, 1),
                                              today=today)


def test_every_alert_kind_says_what_resolves_it_and_the_docs_list_it():
    table = DOCS.read_text().split("<!-- alert-kinds:start -->")[1].split("<!-- alert-kinds:end -->")[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.MULTILINE))
    assert documented == set(PROVIDERS)
    assert [kind for kind, spec in PROVIDERS.items() if not str(spec.resolved_by).strip()] == []


# --------------------------------------------------------------------------- resolution rules, by scan


def _lde_advice_expiring(p):
    advice(p.worker, type="lde_advice", decision_date=D(2022, 1, 1), valid_until=D(2027, 1, 31))


def _imw_attestation(p, decided, valid_until):
    advice(p.worker, type="imw_attestation", decision_date=decided, valid_until=valid_until, wage_premium_percent=40)


def _imw_term(p, regime, decided, today):
    """The IMW term Traject holds since 01/01/2024, on a DWSE decision of `decided`."""
    trajects_services.trajectory_start(worker=p.worker, actor=None, regime=regime, start=D(2024, 1, 1),
                                       decision_date=decided, today=today)


def _superseded_by_later_advice(p):
    _lde_advice_expiring(p)
    _imw_attestation(p, D(2026, 6, 1), D(2031, 6, 30))


def _superseded_by_imw_decision(p):
    # The demo's Rachida: an IMW attestation of 2014 that ran out in 2019, while Traject holds an IMW term
    # on a DWSE decision of 2026 (the attestation behind it was never registered).
    _imw_attestation(p, D(2014, 5, 4), D(2019, 3, 31))
    _imw_term(p, "IMW_5Y", D(2026, 6, 20), today=D(2026, 7, 1))


def _lde_advice_and_imw_decision(p):
    _lde_advice_expiring(p)
    _imw_term(p, "IMW_5Y", D(2026, 6, 20), today=D(2026, 7, 1))


def _same_regime_decision_within_validity(p):
    # The attestation behind the DWSE decision: still the advice in force, its expiry still matters.
    _imw_attestation(p, D(2024, 11, 20), D(2027, 1, 31))
    _imw_term(p, "IMW_2Y", D(2024, 12, 2), today=D(2025, 1, 1))


def _evaluation_on(day):
    def setup(p):
        _lde_advice_expiring(p)
        EvaluationRequest.objects.create(organisation=p.org, worker=p.worker, reason="regular", requested_on=day)
    return setup


def _visit_on(day):
    def setup(p):
        EvaluationRequest.objects.create(organisation=p.org, worker=p.worker, reason="regular",
                                         requested_on=D(2026, 10, 1), planned_visit=day,
                                         pop_update_due=day - datetime.timedelta(days=10))
    return setup


def _track_started(p):
    advice(p.worker, type="throughflow_decision", favourable=True, valid_until=None, decision_date=D(2026, 11, 3),
           track_start_due=D(2027, 2, 3), track_started_on=D(2026, 11, 20))


def _transition_requested_on(day):
    def setup(p):
        trajectory = _transition(p, D(2025, 5, 1))
        trajects_services.trajectory_evaluation_requested(trajectory=trajectory, requested_on=day)
    return setup


def _action_done_in_draft(p):
    approved = make_version(p.worker, status=PopStatus.APPROVED, approved_on=D(2026, 1, 5), actions=1)
    draft = make_version(p.worker, status=PopStatus.DRAFT, actions=1)
    assert approved.actions.get().what == draft.actions.get().what
    draft.actions.update(status=ActionStatus.DONE)


def _action_open(p):
    make_version(p.worker, status=PopStatus.APPROVED, approved_on=D(2026, 1, 5), actions=1)


@pytest.mark.parametrize(("setup", "day", "kind", "raised"), [
    pytest.param(_lde_advice_expiring, D(2026, 12, 1), "advice_expiring", True, id="advice-expiring"),
    pytest.param(_superseded_by_later_advice, D(2026, 12, 1), "advice_expiring", False, id="superseded-by-advice"),
    pytest.param(_superseded_by_imw_decision, D(2026, 12, 1), "advice_expiring", False,
                 id="superseded-by-imw-decision"),
    pytest.param(_lde_advice_and_imw_decision, D(2026, 12, 1), "advice_expiring", False,
                 id="lde-advice-after-imw-decision"),
    pytest.param(_same_regime_decision_within_validity, D(2026, 12, 1), "advice_expiring", True,
                 id="attestation-behind-the-decision"),
    pytest.param(_evaluation_on(D(2026, 11, 20)), D(2026, 12, 1), "advice_expiring", False, id="answered-in-window"),
    pytest.param(_evaluation_on(D(2026, 10, 1)), D(2026, 12, 1), "advice_expiring", True,
                 id="request-before-window"),
    pytest.param(_visit_on(D(2026, 12, 10)), D(2026, 12, 1), "pop_update_before_vdab_visit", True,
                 id="visit-ahead"),
    pytest.param(_visit_on(D(2026, 11, 28)), D(2026, 12, 1), "pop_update_before_vdab_visit", False,
                 id="visit-passed-impossible"),
    pytest.param(_track_started, D(2026, 12, 1), "throughflow_track_start", False, id="track-started"),
    pytest.param(_transition_requested_on(None), D(2025, 5, 1), "transition_evaluation_request_due", True,
                 id="transition-not-requested"),
    pytest.param(_transition_requested_on(D(2025, 4, 30)), D(2025, 5, 1), "transition_evaluation_request_due",
                 False, id="transition-answered"),
    pytest.param(_transition_requested_on(D(2025, 4, 30)), D(2025, 5, 1), "trajectory_end", False,
                 id="end-answered"),
    pytest.param(_transition_requested_on(D(2024, 12, 1)), D(2025, 5, 1), "trajectory_end", True,
                 id="end-request-before-window"),
    pytest.param(_action_open, D(2026, 10, 20), "pop_action_due", True, id="action-open"),
    pytest.param(_action_done_in_draft, D(2026, 10, 20), "pop_action_due", False, id="action-done-in-draft"),
])
def test_alert_kind_resolution_rules(personas, setup, day, kind, raised):
    with _at(day):
        setup(personas)
    _scan(personas, day)
    assert bool(_open(kind)) is raised


def test_indication_tab_shows_the_imw_decision_traject_holds(personas, login):
    """The tab said "no active advice" while Traject showed an IMW term to 2031: both now tell the same."""
    _superseded_by_imw_decision(personas)
    with _at(D(2026, 12, 1)):
        html = login(personas.coach).get(reverse("indication:worker_indication", kwargs={
            "org_slug": personas.org.slug, "pk": personas.worker.pk})).content.decode()
    assert 'id="trajectory-decision"' in html and "20/06/2026" in html and "31/03/2031" in html
    assert "Er is geen geldig advies geregistreerd" not in html


# --------------------------------------------------------------------------- resolved in the same request


def _request_evaluation(p):
    indication_services.evaluation_request_create(worker=p.worker, actor=p.coach.user, data={
        "reason": "transition_ends", "requested_on": D(2025, 5, 2)})


def test_requesting_the_evaluation_in_the_browser_resolves_the_alert_at_once(personas, login):
    with _at(D(2025, 5, 1)):
        _transition(personas, D(2025, 5, 1))
    _scan(personas, D(2025, 5, 1))
    assert _open("transition_evaluation_request_due") and _open("trajectory_end")
    with _at(D(2025, 5, 2)):
        client = login(personas.coach)
        url = reverse("indication:evaluation_add", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
        response = client.post(url, {"reason": "transition_ends", "requested_on": "02/05/2025"})
        assert response.status_code == 302, response.content.decode()[:2000]
        # No scan in between: the page the coach lands on no longer lists it.
        assert _open("transition_evaluation_request_due") == [] and _open("trajectory_end") == []
    _scan(personas, D(2025, 5, 3))
    assert _open("transition_evaluation_request_due") == [] and _open("trajectory_end") == []


def _approve_and_register(p):
    version = make_version(p.worker, status=PopStatus.READY)
    pop_services.pop_approve(version=version, actor=p.coordinator.user, on=D(2026, 2, 21))
    pop_services.pop_register_vdab(version=version, actor=p.coordinator.user, on=D(2026, 2, 21),
                                   today=D(2026, 2, 21))


def _first_pop_due(p):
    p.employment.contract_start = D(2026, 1, 31)
    p.employment.save()
    pop_services.pop_schedule_refresh(worker=p.worker)


def _feedback_gap(p):
    p.employment.contract_start = D(2026, 1, 5)
    p.employment.save()
    WeeklyFeedback.objects.create(organisation=p.org, worker=p.worker, week_start=D(2026, 10, 5), presence="present")


def _log_feedback(p):
    rows, _draft = team_week(p.coach, D(2026, 10, 12))
    pop_services.feedback_log_week(author=p.coach, week_start=D(2026, 10, 12), rows=rows,
                                   entries={p.worker.pk: {"presence": "present", "ratings": {}}},
                                   today=D(2026, 10, 21))


def _mark_action_done(p):
    version = p.worker.pops.get().versions.get(status=PopStatus.APPROVED)
    competences = [{"competence": c.competence, "current_level": c.current_level, "target_level": c.target_level}
                   for c in version.competences.all()]
    actions = [{"what": a.what, "due_date": a.due_date, "status": ActionStatus.DONE} for a in version.actions.all()]
    actions.append({"what": "Nieuwe actie", "due_date": D(2027, 1, 1), "status": ActionStatus.OPEN})
    pop_services.pop_update(version=version, actor=p.coach.user, data={}, competences=competences, actions=actions)


def _exited(p):
    throughflow_services.exit_record(worker=p.worker, actor=None, today=D(2026, 5, 1), data={
        "date": D(2026, 4, 30), "reason": "external", "destination_employer": "Bakkerij Peeters"})


def _record_followup(p):
    followup = FollowUp.objects.get(worker=p.worker, months=1)
    throughflow_services.followup_record(followup=followup, actor=None, today=D(2026, 6, 1), data={
        "done_on": D(2026, 6, 1), "still_employed": True, "same_employer": True, "note": ""})


@pytest.mark.parametrize(("setup", "task", "day", "kind"), [
    pytest.param(lambda p: _transition(p, D(2025, 5, 1)), _request_evaluation, D(2025, 5, 2),
                 "transition_evaluation_request_due", id="evaluation-requested"),
    pytest.param(_first_pop_due, _approve_and_register, D(2026, 2, 21), "pop_first_registration",
                 id="pop-approved-and-registered"),
    pytest.param(_feedback_gap, _log_feedback, D(2026, 10, 21), "feedback_missing", id="feedback-logged"),
    pytest.param(_action_open, _mark_action_done, D(2026, 10, 20), "pop_action_due", id="action-done"),
    pytest.param(_exited, _record_followup, D(2026, 6, 1), "aftercare_followup", id="follow-up-recorded"),
])
def test_doing_the_task_resolves_the_alert_in_the_same_request(personas, setup, task, day, kind):
    with _at(day):
        setup(personas)
    _scan(personas, day)
    assert _open(kind), f"no {kind} alert to resolve"
    with _at(day):
        task(personas)
    assert _open(kind) == []  # no scan in between


# --------------------------------------------------------------------------- "Deze week" and "Openen"


def test_this_week_shows_the_journeys_three_things_first_and_openen_leads_to_the_task(personas, login):
    """Sara's Monday (docs/journeys.md): the trajectory end without an evaluation request, the feedback missing and
    the improvement action past its date come before older, other overdue alerts."""
    monday = D(2026, 3, 2)
    with _at(monday):
        # Transition regime hired 01/06/2021: ends 31/05/2026 (3 months), evaluation due 30/11/2025 (overdue).
        trajects_services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                           start=D(2021, 6, 1), today=monday)
        advice(personas.worker, type="lde_advice", decision_date=D(2021, 5, 1), valid_until=D(2026, 3, 4))
        make_version(personas.worker, status=PopStatus.APPROVED, approved_on=D(2025, 6, 1), actions=1)
        personas.worker.pops.get().versions.get().actions.update(due_date=D(2026, 2, 20))
        WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker, week_start=D(2026, 2, 16),
                                      presence="present")
    _scan(personas, monday)
    with _at(monday):
        items = alert_selectors.this_week(personas.coach, monday)
        html = login(personas.coach).get(reverse("trajects:home", kwargs={"org_slug": personas.org.slug})).content
    kinds = [a.kind for a in items]
    assert kinds[:3] == ["trajectory_end", "feedback_missing", "pop_action_due"]
    assert set(kinds[3:]) == {"transition_evaluation_request_due", "advice_expiring"}
    end = items[0]
    evaluation_form = reverse("indication:evaluation_add", kwargs={"org_slug": personas.org.slug,
                                                                   "pk": personas.worker.pk})
    assert end.url == evaluation_form
    assert f'href="{evaluation_form}"'.encode() in html and b"over 3 maanden" in html


# --------------------------------------------------------------------------- plurals


@pytest.mark.parametrize(("months", "text"), [
    (1, "Nazorg: contacteer de ex-werknemer (1 maand na uitstroom)"),
    (3, "Nazorg: contacteer de ex-werknemer (3 maanden na uitstroom)"),
])
def test_aftercare_title_has_both_dutch_forms(months, text):
    assert aftercare_title(months) == text


@pytest.mark.parametrize(("due", "text"), [
    (D(2026, 2, 28), "1 dag te laat"),
    (D(2026, 2, 20), "9 dagen te laat"),
    (D(2026, 3, 1), "vandaag te doen"),
    (D(2026, 3, 2), "over 1 dag"),
    (D(2026, 3, 15), "over 14 dagen"),
    (D(2026, 5, 1), "over 2 maanden"),
    (D(2026, 5, 31), "over 3 maanden"),
    (D(2027, 3, 1), "over 12 maanden"),
])
def test_due_phrase_uses_the_right_plural(due, text):
    assert due_phrase(due, D(2026, 3, 1)) == text


@pytest.mark.parametrize(("hired", "expected_week"), [
    (D(2014, 6, 2), D(2026, 11, 2)),    # before the organisation joined: counted from its first week here
    (D(2026, 11, 16), D(2026, 11, 16)),  # hired since: from the hire week
])
def test_feedback_weeks_before_the_organisation_joined_cannot_be_missing(personas, hired, expected_week):
    type(personas.org).objects.filter(pk=personas.org.pk).update(
        created_at=datetime.datetime(2026, 11, 4, 10, 0, tzinfo=datetime.UTC))
    personas.org.refresh_from_db()
    personas.employment.contract_start = hired
    personas.employment.save()
    _scan(personas, D(2026, 12, 1))
    alert = Alert.objects.get(kind="feedback_missing", state=AlertState.OPEN)
    assert alert.due == expected_week + datetime.timedelta(days=16)
