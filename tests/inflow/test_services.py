"""The inflow path through its services: the hire writes the right records, a drop-out is not an exit, the
advice is indication's record, the reminder fires once, retention does what its dry run lists."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from indication.models import Advice
from inflow import services
from inflow.models import Application, Candidate, Stage, VacancyStatus
from lde_portal.alerts.models import Alert
from lde_portal.alerts.scan import scan_organisation
from lde_portal.concurrency import ConflictError
from lde_portal.privacy import services as privacy_services
from tests.inflow import helpers
from throughflow.models import Exit
from trajects.models import CoachAssignment, Employment, StatusChange, Trajectory, Worker, WorkerStatus

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def path(personas):
    vacancy = helpers.vacancy(personas.org, activity=personas.activity, team=[personas.coach], places=1)
    return vacancy, helpers.candidate(vacancy)


def test_the_referral_makes_the_worker_record_from_what_the_candidate_gave(path):
    _vacancy, application = path
    application = helpers.referred(application, on=D(2026, 9, 20))
    worker = Worker.objects.get(pk=application.candidate.worker_id)
    assert (worker.first_name, worker.last_name, worker.phone) == ("Tesfay", "Haile", "0470 12 34 56")
    assert worker.status == WorkerStatus.RECRUITMENT and worker.status_since == D(2026, 9, 20)
    assert application.stage == Stage.REFERRED and application.advice_due == D(2026, 10, 20)


def test_hire_writes_worker_contract_coach_trajectory_and_keeps_the_advice(path, personas):
    vacancy, application = path
    helpers.advised(helpers.referred(application), on=D(2026, 10, 21))
    worker = helpers.hired(Application.objects.get(pk=application.pk), personas.coach, start=D(2026, 10, 27))
    employment = Employment.objects.get(worker=worker)
    assert (employment.activity, employment.contract_start, employment.weekly_hours) == (
        personas.activity, D(2026, 10, 27), Decimal("30.4"))
    assert CoachAssignment.objects.get(worker=worker).coach == personas.coach
    trajectory = Trajectory.objects.get(worker=worker)
    assert (trajectory.regime, trajectory.start, trajectory.decision_date) == ("IMW_5Y", D(2026, 10, 27),
                                                                                 D(2026, 10, 21))
    assert Worker.objects.get(pk=worker.pk).status == WorkerStatus.ACTIVE
    # The advice recorded on the path is the worker's advice, with the referral date carried over.
    advice = Advice.objects.get(worker=worker)
    assert (advice.referred_on, advice.decision_date) == (D(2026, 9, 20), D(2026, 10, 21))
    application = Application.objects.get(pk=application.pk)
    assert (application.stage, application.employment, application.advice) == (Stage.HIRED, employment, advice)
    assert vacancy.__class__.objects.get(pk=vacancy.pk).status == VacancyStatus.FILLED  # one place


def test_hire_before_the_advice_is_refused_and_changes_nothing(path, personas):
    _vacancy, application = path
    application = helpers.referred(application)
    with pytest.raises(ValidationError):
        helpers.hired(application, personas.coach)
    assert not Employment.objects.filter(worker_id=application.candidate.worker_id).exists()


def test_a_contract_before_the_advice_is_refused_on_its_field(path, personas):
    _vacancy, application = path
    application = helpers.advised(helpers.referred(application), on=D(2026, 10, 21))
    with pytest.raises(ValidationError) as error:
        helpers.hired(application, personas.coach, start=D(2026, 10, 20))
    assert "contract_start" in error.value.error_dict


@pytest.mark.parametrize("stage", ["applied", "referred", "advice"])
@pytest.mark.parametrize("reason", ["other_work", "unreachable", "not_eligible", "withdrew", "not_selected"])
def test_a_drop_out_is_never_an_exit(path, stage, reason):
    _vacancy, application = path
    if stage in ("referred", "advice"):
        application = helpers.referred(application)
    if stage == "advice":
        application = helpers.advised(application)
    application = services.application_drop(application=application, actor=None, reason=reason, on=D(2026, 10, 25))
    assert (application.stage, application.dropout_reason, application.dropped_on) == (
        Stage.DROPPED, reason, D(2026, 10, 25))
    assert not Exit.objects.exists()
    assert not StatusChange.objects.filter(status=WorkerStatus.EXITED).exists()
    if application.candidate.worker_id:
        assert Worker.objects.get(pk=application.candidate.worker_id).status == WorkerStatus.RECRUITMENT


def test_a_drop_out_before_the_application_is_refused(path):
    _vacancy, application = path
    with pytest.raises(ValidationError):
        services.application_drop(application=application, actor=None, reason="withdrew", on=D(2026, 9, 1))
    assert Application.objects.get(pk=application.pk).stage == Stage.APPLIED


@pytest.mark.parametrize(("today", "shown"), [
    (D(2026, 10, 14), False),  # 24 days after the referral
    (D(2026, 10, 15), True),   # 25 days: the reminder (docs/journeys.md)
    (D(2026, 10, 20), True),   # the waiting limit itself
])
def test_the_reminder_shows_25_days_after_the_referral(path, personas, today, shown):
    _vacancy, application = path
    helpers.referred(application, on=D(2026, 9, 20))
    scan_organisation(organisation=personas.org, today=today)
    scan_organisation(organisation=personas.org, today=today)
    assert Alert.objects.filter(kind="inflow_advice_waiting", state="open").count() == (1 if shown else 0)


def test_the_advice_resolves_the_reminder(path, personas):
    _vacancy, application = path
    application = helpers.referred(application, on=D(2026, 9, 20))
    scan_organisation(organisation=personas.org, today=D(2026, 10, 16))
    helpers.advised(application, on=D(2026, 10, 21))
    scan_organisation(organisation=personas.org, today=D(2026, 10, 22))
    assert not Alert.objects.filter(kind="inflow_advice_waiting", state="open").exists()


def test_a_stale_ranking_is_refused(path):
    vacancy, application = path
    services.ranking_save(vacancy=vacancy, actor=None, ranks={application.pk: 1}, on=D(2026, 9, 10),
                          expected_version=vacancy.version)
    with pytest.raises(ConflictError):
        services.ranking_save(vacancy=vacancy, actor=None, ranks={application.pk: 2}, on=D(2026, 9, 10),
                              expected_version=vacancy.version)
    assert Application.objects.get(pk=application.pk).rank == 1


def test_a_round_drops_who_did_not_pass(path):
    vacancy, application = path
    other = helpers.candidate(vacancy, first="Lotte", last="Peeters")
    services.round_record(vacancy=vacancy, actor=None, data={"name": "Gesprek", "date": D(2026, 9, 12),
                                                             "criteria": "Motivatie"},
                          outcomes={application.pk: "passed", other.pk: "not_passed"})
    assert Application.objects.get(pk=application.pk).stage == Stage.APPLIED
    other = Application.objects.get(pk=other.pk)
    assert (other.stage, other.dropout_reason, other.dropped_on) == (Stage.DROPPED, "not_selected", D(2026, 9, 12))


def test_attendance_moves_who_came_on(path):
    vacancy, application = path
    absent = helpers.candidate(vacancy, first="Lotte", last="Peeters")
    session = services.session_plan(vacancy=vacancy, actor=None, data={"date": D(2026, 9, 8)})
    services.attendance_record(session=session, actor=None, attended_ids=[application.pk])
    assert Application.objects.get(pk=application.pk).session_on == D(2026, 9, 8)
    assert Application.objects.get(pk=absent.pk).stage == Stage.APPLIED


@pytest.mark.parametrize(("today", "reserve", "listed"), [
    (D(2027, 3, 19), None, False),        # last step 20/09/2026 + 6 months = 20/03/2027
    (D(2027, 3, 20), None, True),
    (D(2027, 3, 20), D(2027, 6, 30), False),  # on the reserve list with consent
    (D(2027, 7, 1), D(2027, 6, 30), True),
])
def test_retention_pseudonymises_candidates_not_hired_as_its_dry_run_lists(path, personas, today, reserve, listed):
    _vacancy, application = path
    if reserve:
        services.candidate_update(candidate=application.candidate, actor=None, data={"reserve_until": reserve})
    application = helpers.referred(application, on=D(2026, 9, 20))
    worker_id = application.candidate.worker_id
    plan = {s.handler.key: s.items for s in privacy_services.retention_plan(personas.org, today)}
    items = plan["inflow.candidates"]
    assert [i.object_id for i in items] == ([str(application.candidate_id)] if listed else [])
    privacy_services.retention_run(personas.org, today)
    candidate = Candidate.objects.get(pk=application.candidate_id)
    assert candidate.pseudonymised == listed
    assert (candidate.first_name == "Tesfay") != listed and (candidate.phone == "") == listed
    # The counts stay: the application is still there; the worker record of the referral goes with the person.
    assert Application.objects.filter(pk=application.pk).exists()
    assert Worker.objects.filter(pk=worker_id).exists() != listed
    after = {s.handler.key: s.items for s in privacy_services.retention_plan(personas.org, today)}
    assert after["inflow.candidates"] == []


def test_a_hired_candidate_is_kept(path, personas):
    _vacancy, application = path
    application = helpers.advised(helpers.referred(application))
    helpers.hired(application, personas.coach)
    plan = {s.handler.key: s.items for s in privacy_services.retention_plan(personas.org, D(2030, 1, 1))}
    assert plan["inflow.candidates"] == []


def test_the_inflow_settings_move_the_stored_due_dates(path, personas):
    _vacancy, application = path
    helpers.referred(application, on=D(2026, 9, 20))
    services.settings_save(organisation=personas.org, actor=None,
                           data={"advice_wait_days": 45, "contact_days": 7, "retention_months": 6})
    assert Application.objects.get(pk=application.pk).advice_due == D(2026, 11, 4)


@time_machine.travel(D(2026, 11, 1))
def test_subject_access_covers_the_candidate(path):
    from lde_portal.privacy.registry import collect

    _vacancy, application = path
    application = helpers.referred(application)
    sections = dict(collect(Worker.objects.get(pk=application.candidate.worker_id)))
    assert len(sections["Kandidaat"]) == 1 and len(sections["Sollicitaties voor vacatures"]) == 1


def test_the_export_lists_the_hires_with_their_days(path, personas):
    from lde_portal.reports.registry import EXPORTERS, ExportFilters

    _vacancy, application = path
    helpers.hired(helpers.advised(helpers.referred(application, on=D(2026, 9, 20)), on=D(2026, 10, 21)),
                  personas.coach, start=D(2026, 10, 27))
    exporter = EXPORTERS["inflow_hires"]
    filters = ExportFilters(D(2026, 1, 1), D(2026, 12, 31))
    assert list(exporter.rows(personas.org, personas.manager, filters)) == [
        ("Haile", "Tesfay", "Fietsenmaker", D(2026, 9, 2), D(2026, 9, 20), D(2026, 10, 21), D(2026, 10, 27),
         55, 18, 31, 6)]
    assert exporter.count(personas.org, personas.manager, ExportFilters(D(2027, 1, 1), None)) == 0


def test_an_erasure_of_the_worker_takes_the_candidate_record_along(path, personas):
    _vacancy, application = path
    application = helpers.referred(application)
    request = privacy_services.erasure_request(worker=Worker.objects.get(pk=application.candidate.worker_id),
                                               actor=personas.coordinator.user, reason="Schriftelijke vraag")
    privacy_services.erasure_decide(request=request, actor=personas.org_admin.user, approve=True)
    candidate = Candidate.objects.get(pk=application.candidate_id)
    assert (candidate.pseudonymised, candidate.phone, candidate.worker_id) == (True, "", None)
