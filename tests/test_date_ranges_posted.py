"""Impossible dates posted through the real forms and handed to the services and commands: refused with the range's
message at the field, nothing saved, never a server error (9999-12-31 used to overflow the rules engine)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from lde_portal import dates
from lde_portal.audit.models import AuditEntry
from tests.factories import new_worker_post
from trajects import services as trajects_services
from trajects.models import (
    Employment,
    Extension,
    Milestone,
    PhaseDefinition,
    StatusChange,
    Suspension,
    Trajectory,
    Worker,
)

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
ONE = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _typed(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _values(date_range):
    """(typed value, refused?) for the far edges of the calendar and the range's own edges."""
    earliest, latest = date_range.bounds()
    return [(D(1, 1, 1), True), (D(9999, 12, 31), True), (earliest - ONE, True), (latest + ONE, True),
            (earliest, False), (latest, False)]


def _with_trajectory(p):
    trajects_services.trajectory_start(worker=p.worker, actor=None, regime="LDE", start=D(2021, 3, 1))


def _nothing(p):
    return None


def _readiness_post(day_field):
    from throughflow.models import Determinant

    post = {"date": "20/11/2026", "worker_took_part": "on", "summary": "Bijna klaar", "decision": "not_yet",
            "next_check": "01/02/2027"}
    for d in Determinant.values:
        post[f"{d}_assessment"] = "ready"
    return post


def _counted(*models):
    def count():
        from django.apps import apps

        return tuple(apps.get_model(m).objects.count() for m in models) + (
            AuditEntry.objects.exclude(action__in=["login", "read", "read_confidential"]).count(),)
    return count


# (case, url name, worker in the URL, setup, post without the date, date field, range, what must not grow)
CASES = [
    ("trajectory start", "trajects:trajectory_start", _nothing, {"regime": "CMW"}, "start", dates.WORKING_LIFE,
     ("trajects.Trajectory",)),
    ("trajectory DWSE decision", "trajects:trajectory_start", _nothing, {"regime": "IMW_5Y", "start": "01/09/2026"},
     "decision_date", dates.LDE_ERA, ("trajects.Trajectory",)),
    ("suspension start", "trajects:suspension_add", _with_trajectory,
     {"reason": "illness", "end": "28/02/2023", "version": 1}, "start", dates.GUIDANCE, ("trajects.Suspension",)),
    ("suspension end", "trajects:suspension_add", _with_trajectory,
     {"reason": "illness", "start": "01/02/2023", "version": 1}, "end", dates.GUIDANCE, ("trajects.Suspension",)),
    ("extension decision", "trajects:extension_add", _with_trajectory,
     {"reason": "ILLNESS", "months": "6", "version": 1}, "decision_date", dates.LDE_ERA, ("trajects.Extension",)),
    ("regime change date", "trajects:regime_change", _with_trajectory, {"regime": "CMW", "version": 1},
     "change_date", dates.LDE_ERA, ("trajects.Trajectory",)),
    ("regime change decision", "trajects:regime_change", _with_trajectory,
     {"regime": "IMW_5Y", "change_date": "01/09/2026", "version": 1}, "decision_date", dates.LDE_ERA,
     ("trajects.Trajectory",)),
    ("phase change", "trajects:phase_change", _with_trajectory, {"version": 1}, "since", dates.WORKING_LIFE,
     ("trajects.PhasePeriod",)),
    ("milestone", "trajects:milestone_add", _with_trajectory, {"label": "Heftruckattest", "version": 1}, "date",
     dates.GUIDANCE, ("trajects.Milestone",)),
    ("SINE start", "trajects:sine_add", _nothing, {}, "start", dates.GUIDANCE, ("trajects.SineStatus",)),
    ("contract start", "trajects:employment_add", _nothing,
     {"contract_type": "open_ended", "weekly_hours": "30", "fte": "0,8"}, "contract_start", dates.WORKING_LIFE,
     ("trajects.Employment",)),
    ("contract end", "trajects:employment_add", _nothing,
     {"contract_start": "01/01/1970", "contract_type": "fixed_term", "weekly_hours": "30", "fte": "0,8"},
     "contract_end", dates.WORKING_LIFE, ("trajects.Employment",)),
    ("evaluation requested on", "indication:evaluation_add", _nothing, {"reason": "regular"}, "requested_on",
     dates.GUIDANCE, ("indication.EvaluationRequest",)),
    ("evaluation visit", "indication:evaluation_add", _nothing, {"reason": "regular", "requested_on": "20/11/2026"},
     "planned_visit", dates.DUE, ("indication.EvaluationRequest",)),
    ("readiness date", "throughflow:readiness_add", _nothing, _readiness_post("date"), "date", dates.GUIDANCE,
     ("throughflow.ReadinessCheck",)),
    ("readiness next check", "throughflow:readiness_add", _nothing, _readiness_post("next_check"), "next_check",
     dates.DUE, ("throughflow.ReadinessCheck",)),
    ("job target set on", "throughflow:job_target_edit", _nothing,
     {"occupation": "Magazijnier", "work_type": "regular"}, "set_on", dates.GUIDANCE, ("throughflow.JobTarget",)),
]


@pytest.mark.parametrize(("case", "url_name", "setup", "post", "field", "date_range", "models"), CASES,
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("index", range(6), ids=["0001-01-01", "9999-12-31", "floor-1", "ceiling+1", "floor",
                                                  "ceiling"])
def test_posted_dates_out_of_range_are_refused_at_the_field(personas, login, case, url_name, setup, post, field,
                                                            date_range, models, index):
    setup(personas)
    day, refused = _values(date_range)[index]
    data = {**post, field: _typed(day)}
    if url_name == "trajects:employment_add":
        data["activity"] = personas.activity.pk
    if url_name == "trajects:phase_change":
        data["phase"] = PhaseDefinition.objects.filter(organisation=personas.org)[1].pk
    client = login(personas.coordinator)
    url = reverse(url_name, kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    count = _counted(*models)
    before = count()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code  # never a server error, at any date
    if refused:
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [date_range.message()]
        assert count() == before
    elif response.status_code == 200:
        # Inside the range another rule may still refuse (an LDE start after 30/06/2023): at a field, not a 500.
        assert response.context["form"].errors or response.context.get("conflict")


@pytest.mark.parametrize(("field", "value"), [
    ("status_date", "31/12/9999"),
    ("status_date", "01/01/0001"),
    ("status_date", "31/12/1969"),
    ("birth_date", "01/01/0001"),
    ("birth_date", "31/12/9999"),
])
def test_worker_form_refuses_impossible_dates(personas, login, field, value):
    client = login(personas.coordinator)
    before = Worker.objects.count()
    response = client.post(reverse("trajects:worker_create", kwargs={"org_slug": personas.org.slug}),
                           new_worker_post(**{field: value}))
    assert response.status_code == 200
    assert "Vul een datum in tussen" in response.context["form"].errors[field][0]
    assert Worker.objects.count() == before


def test_status_change_far_ahead_keeps_its_own_message(personas, login):
    client = login(personas.coordinator)
    url = reverse("trajects:status_change", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = StatusChange.objects.count()
    for value, message in [("31/12/9999", "kan niet in de toekomst liggen"), ("01/01/0001", "01/01/1970")]:
        response = client.post(url, {"status": "suspended", "date": value})
        assert response.status_code == 200
        assert message in response.context["form"].errors["date"][0]
    assert StatusChange.objects.count() == before


# --------------------------------------------------------------------------- services (commands, a future import)

FAR = D(9999, 12, 31)


@pytest.mark.parametrize(("call", "field"), [
    (lambda p: trajects_services.trajectory_start(worker=p.worker, actor=None, regime="CMW", start=FAR), "start"),
    (lambda p: trajects_services.trajectory_start(worker=p.worker, actor=None, regime="IMW_5Y", start=D(2026, 9, 1),
                                                  decision_date=FAR), "decision_date"),
    (lambda p: trajects_services.trajectory_suspend(trajectory=_open(p), actor=None, reason="illness",
                                                    start=D(2023, 1, 1), end=FAR), "end"),
    (lambda p: trajects_services.trajectory_extend(trajectory=_open(p), actor=None, reason="ILLNESS", months=6,
                                                   decision_date=FAR), "decision_date"),
    (lambda p: trajects_services.trajectory_change_regime(trajectory=_open(p), actor=None, regime="CMW",
                                                          change_date=FAR), "change_date"),
    (lambda p: trajects_services.trajectory_change_regime(trajectory=_open(p), actor=None, regime="CMW",
                                                          change_date=D(2015, 3, 31)), "change_date"),
    (lambda p: trajects_services.trajectory_close(trajectory=_open(p), actor=None, closed_on=FAR,
                                                  reason="other"), "closed_on"),
    (lambda p: trajects_services.milestone_add(trajectory=_open(p), actor=None, date=D(1, 1, 1), label="x"), "date"),
    (lambda p: trajects_services.sine_status_add(worker=p.worker, actor=None, start=FAR), "start"),
    (lambda p: trajects_services.worker_change_status(worker=p.worker, actor=None, status="suspended",
                                                      date=D(1, 1, 1)), "date"),
    (lambda p: trajects_services.employment_add(worker=p.worker, actor=None, data={
        "activity": p.activity, "contract_start": D(1, 1, 1), "contract_type": "open_ended", "weekly_hours": 30,
        "fte": "0.8"}), "contract_start"),
    (lambda p: trajects_services.employment_update(employment=p.employment, actor=None,
                                                   data={"contract_end": FAR}), "contract_end"),
    (lambda p: _indication().evaluation_request_create(worker=p.worker, actor=None, data={
        "reason": "regular", "requested_on": D(2026, 11, 20), "planned_visit": FAR}), "planned_visit"),
    (lambda p: _throughflow().job_target_save(worker=p.worker, actor=None, data={
        "occupation": "Magazijnier", "work_type": "regular", "set_on": D(1, 1, 1)}), "set_on"),
    (lambda p: _throughflow().exit_record(worker=p.worker, actor=None, data={"date": FAR, "reason": "other"}),
     "date"),
    (lambda p: _pop_update(p, due=FAR), "due_date"),
])
def test_services_refuse_out_of_range_dates_keyed_on_the_field(personas, call, field):
    before = (Trajectory.objects.count(), Suspension.objects.count(), Extension.objects.count(),
              Milestone.objects.count(), Employment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        call(personas)
    assert field in exc.value.message_dict
    assert "Vul een datum in tussen" in exc.value.message_dict[field][0]
    after = (Trajectory.objects.count(), Suspension.objects.count(), Extension.objects.count(),
             Milestone.objects.count(), Employment.objects.count(), AuditEntry.objects.count())
    # _open() may have opened the trajectory under test first; the refused call itself adds nothing.
    assert after[1:5] == before[1:5]


def _open(p):
    trajectory = Trajectory.objects.filter(worker=p.worker, closed_on__isnull=True).first()
    return trajectory or trajects_services.trajectory_start(worker=p.worker, actor=None, regime="LDE",
                                                            start=D(2021, 3, 1))


def _indication():
    from indication import services

    return services


def _throughflow():
    from throughflow import services

    return services


def _pop_update(p, *, due):
    from pop import services
    from tests.pop.helpers import make_version

    version = make_version(p.worker, actions=2)
    return services.pop_update(version=version, actor=p.coach.user, expected_version=version.version,
                               data={"long_term_goal": "Fietshersteller worden"}, competences=[],
                               actions=[{"what": "Band vervangen", "status": "open", "due_date": due}])


# --------------------------------------------------------------------------- commands

@pytest.mark.parametrize("argv", [
    ["--regime", "LDE", "--start", "9999-12-31"],
    ["--regime", "LDE", "--start", "0001-01-01"],
    ["--regime", "IMW_5Y", "--start", "2024-03-04", "--decision-date", "9999-12-31"],
    ["--regime", "LDE", "--start", "2018-03-01", "--birth-date", "0001-01-01"],
    ["--regime", "LDE", "--start", "2018-03-01", "--suspension", "2019-01-01:9999-12-31:illness"],
    ["--regime", "LDE", "--start", "2018-03-01", "--extension", "6:ILLNESS:9999-12-31"],
    ["--regime", "LDE", "--start", "2018-03-01", "--today", "9999-12-31"],
])
def test_trajectory_deadlines_command_refuses_out_of_range_dates(argv):
    with pytest.raises(CommandError, match="Vul een datum in tussen"):
        call_command("trajectory_deadlines", *argv)


def test_scan_alerts_command_refuses_a_date_out_of_range():
    with pytest.raises(CommandError, match="Vul een datum in tussen"):
        call_command("scan_alerts", "--date", "9999-12-31")
