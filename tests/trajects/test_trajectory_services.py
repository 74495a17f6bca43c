"""Trajectory services: real dates through the database, refusals that change nothing, stored deadlines."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from lde_portal.concurrency import ConflictError
from tests.factories import WorkerFactory
from tests.pdfs import CLEAN
from trajects import rules, selectors, services
from trajects.models import (
    Extension,
    Milestone,
    PhaseDefinition,
    PhasePeriod,
    RegimeRule,
    SineStatus,
    Suspension,
    Trajectory,
    TrajectoryDeadline,
)
from trajects.rule_data import DEFAULT_RULES

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


def assert_stored_deadlines_match_compute(trajectory):
    """The stored rows, planned end and next_due are exactly what rules.compute() returns for the facts."""
    trajectory.refresh_from_db()
    result = rules.compute(selectors.ruleset(), services._facts(trajectory), TODAY)
    stored = sorted(TrajectoryDeadline.objects.filter(trajectory=trajectory).values_list("kind", "due", "rule", "source"))
    assert stored == sorted((d.kind, d.due, d.rule, d.source) for d in result.deadlines)
    assert set(TrajectoryDeadline.objects.filter(trajectory=trajectory).values_list("worker_id", "organisation_id")) == {
        (trajectory.worker_id, trajectory.organisation_id)}
    assert trajectory.planned_end == result.planned_end
    upcoming = next((d for d in result.deadlines if d.due >= TODAY), None)
    assert (trajectory.next_due, trajectory.next_due_kind) == ((upcoming.due, upcoming.kind) if upcoming else (None, ""))
    return result


def _start(worker, actor, **kw):
    return services.trajectory_start(worker=worker, actor=actor, today=TODAY, **kw)


def _state(trajectory):
    """Everything a refused call must leave untouched."""
    trajectory.refresh_from_db()
    return (trajectory.version, trajectory.planned_end, trajectory.next_due, Suspension.objects.count(),
            Extension.objects.count(), Trajectory.objects.count(),
            sorted(TrajectoryDeadline.objects.values_list("kind", "due")))


def test_data_migration_loads_the_rule_table_exactly():
    def key(row):
        return (row["regime"], row["key"], row["valid_from"] or D.min)

    stored = [
        {f: getattr(r, f) for f in ["regime", "key", "value", "unit", "valid_from", "valid_to", "source", "label_nl"]}
        for r in RegimeRule.objects.all()
    ]
    assert sorted(stored, key=key) == sorted(DEFAULT_RULES, key=key)


def test_every_organisation_gets_the_default_phases(personas):
    names = list(PhaseDefinition.objects.filter(organisation=personas.org).values_list("name", flat=True))
    assert names == ["Wennen aan werk", "Werken aan werk", "Werken aan doorstroom"]


@pytest.mark.parametrize(
    ("regime", "start", "decision", "suspensions", "extensions", "planned_end", "kinds"),
    [
        ("LDE", D(2019, 9, 1), None, [], [], D(2024, 8, 31), {"first_pop_due", "trajectory_end"}),
        # Hired before 01/04/2015: the term counts from 01/04/2015; the pandemic suspension shifts the end.
        ("LDE", D(2012, 5, 14), None, [("pandemic", D(2020, 3, 20), D(2020, 6, 30))], [], D(2020, 7, 12),
         {"first_pop_due", "trajectory_end"}),
        # A sixth year plus an illness suspension: +12 months, then +87 suspended days.
        ("LDE", D(2019, 9, 1), None, [("illness", D(2021, 1, 4), D(2021, 3, 31))],
         [("SIXTH_YEAR", 12, D(2024, 3, 1))], D(2025, 11, 26), {"first_pop_due", "trajectory_end"}),
        # 55+ (born 01/05/1962): the end moves to the 10-year boundary from the start.
        ("LDE", D(2018, 1, 15), None, [], [("AGE_55", 0, D(2022, 10, 1))], D(2028, 1, 14),
         {"first_pop_due", "trajectory_end"}),
        ("TRANSITION", D(2021, 2, 1), None, [], [], D(2026, 1, 31),
         {"first_pop_due", "trajectory_end", "transition_end", "transition_evaluation_request_due"}),
        # A decision in the last days of a quarter: the term starts on the first day of that quarter.
        ("IMW_5Y", D(2024, 3, 4), D(2024, 6, 28), [], [], D(2029, 3, 31),
         {"first_pop_due", "trajectory_end", "imw_renewal_window_opens", "imw_renewal_request_due"}),
        ("IMW_2Y", D(2025, 9, 1), D(2025, 9, 30), [], [], D(2027, 6, 30),
         {"first_pop_due", "trajectory_end", "imw_end_evaluation_due"}),
        # Start on a leap day: the 5-year anniversary is 01/03, so the start package ends on 28/02.
        ("CMW", D(2024, 2, 29), None, [], [], D(2029, 2, 28),
         {"first_pop_due", "trajectory_end", "start_package_expires", "earliest_evaluation"}),
    ],
)
def test_services_store_the_computed_end_and_deadlines(personas, regime, start, decision, suspensions, extensions,
                                                       planned_end, kinds):
    worker = WorkerFactory(organisation=personas.org, birth_date=D(1962, 5, 1), insz="62050100108")
    trajectory = _start(worker, personas.coordinator.user, regime=regime, start=start, decision_date=decision)
    assert_stored_deadlines_match_compute(trajectory)
    for reason, s_from, s_to in suspensions:
        services.trajectory_suspend(trajectory=trajectory, actor=None, reason=reason, start=s_from, end=s_to,
                                    today=TODAY)
        assert_stored_deadlines_match_compute(trajectory)
    for reason, months, decided in extensions:
        services.trajectory_extend(trajectory=trajectory, actor=None, reason=reason, months=months,
                                   decision_date=decided, today=TODAY)
        assert_stored_deadlines_match_compute(trajectory)
    trajectory.refresh_from_db()
    assert trajectory.planned_end == planned_end
    assert set(trajectory.deadlines.values_list("kind", flat=True)) == kinds
    assert trajectory.version == 1 + len(suspensions) + len(extensions)


def test_phase_change_and_milestone_keep_history_and_deadlines(personas):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    first, second, _third = PhaseDefinition.objects.filter(organisation=personas.org)
    assert trajectory.current_phase == first
    services.trajectory_change_phase(trajectory=trajectory, actor=None, phase=second, since=D(2021, 9, 1),
                                     expected_version=1, today=TODAY)
    assert_stored_deadlines_match_compute(trajectory)
    assert trajectory.current_phase == second
    assert list(PhasePeriod.objects.filter(trajectory=trajectory).values_list("phase__name", "start")) == [
        ("Wennen aan werk", D(2021, 3, 1)), ("Werken aan werk", D(2021, 9, 1))]
    with pytest.raises(ValidationError) as exc:
        services.trajectory_change_phase(trajectory=trajectory, actor=None, phase=first, since=D(2021, 8, 1))
    assert "since" in exc.value.error_dict
    services.milestone_add(trajectory=trajectory, actor=None, date=D(2022, 5, 2), label="Heftruckattest behaald")
    assert Milestone.objects.get().label == "Heftruckattest behaald"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (D(2022, 2, 1), D(2022, 3, 1), "start", "overlapt met de schorsing van 10/01/2022 tot 15/02/2022"),
        (D(2022, 1, 1), D(2022, 1, 10), "start", "overlapt met de schorsing van 10/01/2022 tot 15/02/2022"),
        (D(2021, 2, 1), D(2021, 3, 1), "start", "begint vóór het traject (start 01/03/2021)"),
        (D(2026, 4, 7), D(2026, 5, 1), "start", "begint na het geplande einde van het traject (06/04/2026)"),
        (D(2023, 5, 1), D(2023, 4, 1), "end", "De schorsing eindigt vóór ze begint"),
        (D(2020, 3, 1), D(2020, 4, 1), "start", "begint vóór het traject"),
    ],
)
def test_bad_suspensions_are_refused_and_nothing_changes(personas, start, end, field, message):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2022, 1, 10),
                                end=D(2022, 2, 15), today=TODAY)
    before = _state(trajectory)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=start, end=end,
                                    today=TODAY)
    assert list(exc.value.error_dict) == [field]
    assert message in exc.value.error_dict[field][0].messages[0]
    assert _state(trajectory) == before


def test_pandemic_suspension_before_20_march_2020_is_refused_on_its_start(personas):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2019, 1, 7))
    before = _state(trajectory)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_suspend(trajectory=trajectory, actor=None, reason="pandemic", start=D(2020, 3, 1),
                                    end=D(2020, 6, 30), today=TODAY)
    assert "20/03/2020" in exc.value.error_dict["start"][0].messages[0]
    assert _state(trajectory) == before


def test_a_second_open_trajectory_is_refused_by_the_service_and_the_database(personas):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    before = _state(trajectory)
    with pytest.raises(ValidationError) as exc:
        _start(personas.worker, None, regime="CMW", start=D(2024, 1, 1))
    assert "al een lopend traject" in exc.value.error_dict["regime"][0].messages[0]
    assert _state(trajectory) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.create(organisation=personas.org, worker=personas.worker, regime="CMW",
                                  start=D(2024, 1, 1), opened_on=D(2024, 1, 1))


@pytest.mark.parametrize(
    ("regime", "start", "decision", "field", "message"),
    [
        ("LDE", D(2023, 9, 1), None, "start", "kan niet meer starten na 30/06/2023"),
        ("IMW_5Y", D(2023, 9, 1), None, "decision_date", "beslissingsdatum"),
        ("IMW_2Y", D(2023, 1, 1), D(2023, 3, 15), "decision_date", "kan pas starten vanaf 01/07/2023"),
    ],
)
def test_rule_violations_land_on_their_field(personas, regime, start, decision, field, message):
    with pytest.raises(ValidationError) as exc:
        _start(personas.worker, None, regime=regime, start=start, decision_date=decision)
    assert message in exc.value.error_dict[field][0].messages[0]
    assert not Trajectory.objects.exists()


@pytest.mark.parametrize(
    ("reason", "months", "field", "message"),
    [
        ("", 6, "reason", "Een verlenging heeft een reden nodig"),
        ("SIXTH_YEAR", 13, "months", "maximaal 12 maanden"),
        ("AGE_55", 0, "reason", "minstens 55 jaar"),
        ("ILLNESS", 0, "months", "minstens 1 maand"),
    ],
)
def test_bad_extensions_are_refused_and_nothing_changes(personas, reason, months, field, message):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    before = _state(trajectory)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_extend(trajectory=trajectory, actor=None, reason=reason, months=months,
                                   decision_date=D(2025, 6, 1), today=TODAY)
    assert message in exc.value.error_dict[field][0].messages[0]
    assert _state(trajectory) == before


def test_extension_in_a_regime_without_it_is_refused(personas):
    trajectory = _start(personas.worker, None, regime="CMW", start=D(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.trajectory_extend(trajectory=trajectory, actor=None, reason="SIXTH_YEAR", months=12,
                                   decision_date=D(2025, 6, 1), today=TODAY)
    assert "bestaat niet in het regime CMW" in exc.value.error_dict["reason"][0].messages[0]


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        (CLEAN, True),
        (b"\x89PNG\r\n\x1a\n....", True),
        (b"\xff\xd8\xff\xe0....", True),
        (b"MZ\x90\x00 not a pdf", False),  # an executable renamed to .pdf
        (b"<html><script>", False),
    ],
)
def test_extension_documents_are_checked_on_content(personas, content, ok):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    upload = SimpleUploadedFile("beslissing.pdf", content, content_type="application/pdf")
    call = lambda: services.trajectory_extend(  # noqa: E731
        trajectory=trajectory, actor=None, reason="ILLNESS", months=3, decision_date=D(2025, 6, 1),
        document=upload, today=TODAY)
    if ok:
        extension = call()
        assert extension.document.name.startswith(f"private/extensions/{personas.org.pk}/")
        assert "beslissing" not in extension.document.name
        assert extension.document.read() == content
    else:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "PDF, PNG of JPEG" in exc.value.error_dict["document"][0].messages[0]
        assert not Extension.objects.exists()


def test_extension_document_larger_than_5_mb_is_refused(personas):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.trajectory_extend(trajectory=trajectory, actor=None, reason="ILLNESS", months=3,
                                   decision_date=D(2025, 6, 1), document=upload, today=TODAY)
    assert "groter dan 5 MB" in exc.value.error_dict["document"][0].messages[0]


def test_a_stale_version_is_refused(personas):
    trajectory = _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    services.milestone_add(trajectory=trajectory, actor=None, date=D(2022, 1, 1), label="Eerste stage",
                           expected_version=1)
    with pytest.raises(ConflictError):
        services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2022, 3, 1),
                                    end=D(2022, 3, 31), expected_version=1, today=TODAY)
    assert not Suspension.objects.exists()


def test_regime_change_closes_the_trajectory_and_opens_the_next(personas):
    lde = _start(personas.worker, None, regime="LDE", start=D(2020, 1, 6))
    services.trajectory_suspend(trajectory=lde, actor=None, reason="pandemic", start=D(2020, 3, 20),
                                end=D(2020, 6, 30), today=TODAY)
    transition = services.trajectory_change_regime(trajectory=lde, actor=None, regime="TRANSITION",
                                                   change_date=D(2023, 7, 1), today=TODAY)
    lde.refresh_from_db()
    assert (lde.closed_on, lde.closed_reason) == (D(2023, 6, 30), "regime_change")
    assert not lde.deadlines.exists() and lde.next_due is None
    # The transition continues the LDE term: same hire date, the pandemic suspension still counts.
    assert (transition.start, transition.opened_on, transition.previous) == (D(2020, 1, 6), D(2023, 7, 1), lde)
    assert transition.planned_end == D(2025, 1, 5) + datetime.timedelta(days=103)
    assert_stored_deadlines_match_compute(transition)

    imw = services.trajectory_change_regime(trajectory=transition, actor=None, regime="IMW_5Y",
                                            change_date=D(2025, 4, 18), decision_date=D(2025, 3, 31), today=TODAY)
    assert (imw.start, imw.term_start, imw.planned_end) == (D(2025, 4, 18), D(2025, 1, 1), D(2029, 12, 31))
    assert_stored_deadlines_match_compute(imw)
    assert list(personas.worker.trajectories.order_by("opened_on").values_list("regime", "closed_on")) == [
        ("LDE", D(2023, 6, 30)), ("TRANSITION", D(2025, 4, 17)), ("IMW_5Y", None)]


def test_regime_change_back_to_lde_is_refused(personas):
    transition = _start(personas.worker, None, regime="TRANSITION", start=D(2020, 1, 6))
    with pytest.raises(ValidationError) as exc:
        services.trajectory_change_regime(trajectory=transition, actor=None, regime="LDE",
                                          change_date=D(2024, 1, 1), today=TODAY)
    assert "regime" in exc.value.error_dict
    transition.refresh_from_db()
    assert transition.closed_on is None


def test_close_removes_deadlines_and_allows_a_new_trajectory(personas):
    trajectory = _start(personas.worker, None, regime="CMW", start=D(2024, 1, 1))
    services.trajectory_close(trajectory=trajectory, actor=None, closed_on=D(2025, 5, 31), reason="exit")
    assert not TrajectoryDeadline.objects.exists()
    _start(personas.worker, None, regime="CMW", start=D(2025, 9, 1))
    assert personas.worker.trajectories.count() == 2


def test_sine_status_end_follows_the_phase_out(personas):
    _start(personas.worker, None, regime="LDE", start=D(2021, 3, 1))
    status = services.sine_status_add(worker=personas.worker, actor=None, start=D(2021, 3, 1))
    assert status.end == D(2025, 6, 30)
    with pytest.raises(ValidationError) as exc:
        services.sine_status_add(worker=personas.worker, actor=None, start=D(2023, 9, 1))
    assert "30/06/2023" in exc.value.error_dict["start"][0].messages[0]
    assert SineStatus.objects.count() == 1


def test_deadlines_follow_an_edited_rule_table(personas):
    RegimeRule.objects.filter(regime="TRANSITION", key="evaluation_request_lead_months").update(value=9)
    trajectory = _start(personas.worker, None, regime="TRANSITION", start=D(2021, 2, 1))
    assert trajectory.deadlines.get(kind="transition_evaluation_request_due").due == D(2025, 4, 30)




def test_daily_refresh_rolls_next_due_forward(personas):
    import time_machine
    from django.core.management import call_command

    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                           start=D(2021, 2, 1), today=D(2025, 1, 2))
    assert (trajectory.next_due, trajectory.next_due_kind) == (D(2025, 7, 31), "transition_evaluation_request_due")
    with time_machine.travel(datetime.datetime(2025, 8, 1, 9, tzinfo=datetime.UTC), tick=False):
        call_command("trajectory_deadlines_refresh", stdout=io.StringIO())
    trajectory.refresh_from_db()
    assert (trajectory.next_due, trajectory.next_due_kind) == (D(2026, 1, 31), "trajectory_end")
    assert trajectory.deadlines.count() == 4
