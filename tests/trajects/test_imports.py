"""The worker register's import sheets, row by row through the services (lde_portal/imports/registry.py)."""

import datetime
from decimal import Decimal

import pytest

from lde_portal.accounts.models import Role
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory, UserFactory, valid_insz
from tests.imports_context import Context, apply, refused
from trajects.models import CoachAssignment, Employment, Extension, Suspension, Trajectory, Worker

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 2)
INSZ = valid_insz(1, D(1985, 7, 30))


@pytest.fixture
def ctx():
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    ActivityFactory(organisation=org, name="Fietspunt")
    ActivityFactory(organisation=org, name="Strijkatelier")
    admin = MembershipFactory(organisation=org, role=Role.ORG_ADMIN)
    MembershipFactory(organisation=org, role=Role.COACH, user=UserFactory(email="els@stroom.be"))
    return Context(organisation=org, membership=admin, today=TODAY)


def worker_row(**overrides):
    row = {"insz": INSZ, "last_name": "Peeters", "first_name": "An", "birth_date": None, "gender": "F",
           "street": "Kerkstraat 12", "postal_code": "9000", "municipality": "Gent", "phone": "0470123456",
           "email": "an@example.be", "preferred_language": "nl", "education_level": "lower_secondary",
           "interpreter_needed": False, "status": "active", "status_since": D(2024, 9, 1)}
    return {**row, **overrides}


def with_worker(ctx, **overrides):
    apply(ctx, "workers", worker_row(**overrides))
    return Worker.objects.get(organisation=ctx.organisation, insz=INSZ)


# ----------------------------------------------------------------------------------------------- workers


def test_worker_created_then_unchanged_then_updated(ctx):
    outcome = apply(ctx, "workers", worker_row())
    assert outcome.action == "created"
    worker = Worker.objects.get(insz=INSZ)
    assert (worker.birth_date, worker.status, worker.status_since) == (D(1985, 7, 30), "active", D(2024, 9, 1))
    assert apply(ctx, "workers", worker_row()).action == "unchanged"
    outcome = apply(ctx, "workers", worker_row(last_name="Peeters-Janssens", phone="0470999999"))
    assert outcome.action == "updated"
    assert outcome.changes == {"last_name": ("Peeters", "Peeters-Janssens"), "phone": ("0470123456", "0470999999")}
    assert Worker.objects.filter(insz=INSZ).count() == 1
    assert Worker.objects.get(insz=INSZ).last_name == "Peeters-Janssens"


def test_worker_empty_cells_leave_stored_values(ctx):
    apply(ctx, "workers", worker_row())
    assert apply(ctx, "workers", worker_row(phone="", email="", gender=None)).action == "unchanged"


def test_worker_status_change(ctx):
    apply(ctx, "workers", worker_row())
    outcome = apply(ctx, "workers", worker_row(status="suspended", status_since=D(2025, 2, 1)))
    assert outcome.changes == {"status": ("active", "suspended")}
    assert Worker.objects.get(insz=INSZ).status_since == D(2025, 2, 1)


@pytest.mark.parametrize(("overrides", "column", "message"), [
    ({"birth_date": D(1985, 7, 31)}, "birth_date",
     "De geboortedatum komt niet overeen met het INSZ-nummer (30/07/1985)."),
    ({"postal_code": "90"}, "postal_code", "Een Belgische postcode bestaat uit vier cijfers, van 1000 tot 9999."),
])
def test_worker_refusals(ctx, overrides, column, message):
    error = refused(ctx, "workers", worker_row(**overrides))
    assert (error.column, str(error.message)) == (column, message)
    assert not Worker.objects.exists()


# ----------------------------------------------------------------------------------------------- contracts


def contract_row(**overrides):
    return {"insz": INSZ, "activity": "fietspunt ", "contract_start": D(2024, 9, 1), "contract_end": None,
            "weekly_hours": Decimal("19.5"), "contract_type": "open_ended", "fte": None, **overrides}


def test_contract_created_with_computed_fte_then_unchanged_then_updated(ctx):
    with_worker(ctx)
    assert apply(ctx, "contracts", contract_row()).action == "created"
    employment = Employment.objects.get()
    assert (employment.activity.name, employment.fte) == ("Fietspunt", Decimal("0.513"))
    assert apply(ctx, "contracts", contract_row()).action == "unchanged"
    outcome = apply(ctx, "contracts", contract_row(weekly_hours=Decimal("30"), contract_end=D(2025, 8, 31)))
    assert outcome.action == "updated"
    assert outcome.changes == {"contract_end": (None, D(2025, 8, 31)), "weekly_hours": (Decimal("19.5"), Decimal("30")),
                               "fte": (Decimal("0.513"), Decimal("0.789"))}
    assert Employment.objects.count() == 1


@pytest.mark.parametrize(("overrides", "column", "message"), [
    ({"activity": "Kinderopvang"}, "activity",
     "Onbekende activiteit 'Kinderopvang'. Gekende activiteiten: Fietspunt, Strijkatelier."),
    ({"insz": valid_insz(2)}, "insz",
     "Geen werknemer met dit INSZ in deze organisatie: voeg de werknemer eerst toe op het blad 'Werknemers'."),
    ({"contract_end": D(2024, 8, 1)}, "contract_end", "Het einde van het contract ligt vóór de start."),
    ({"weekly_hours": Decimal("60")}, "weekly_hours", "Geef een aantal uren per week tussen 0 en 50."),
])
def test_contract_refusals(ctx, overrides, column, message):
    with_worker(ctx)
    error = refused(ctx, "contracts", contract_row(**overrides))
    assert (error.column, str(error.message)) == (column, message)
    assert not Employment.objects.exists()


# ----------------------------------------------------------------------------------------------- assignments


def assignment_row(**overrides):
    return {"insz": INSZ, "coach": "els@stroom.be", "role": "job_coach", "start": D(2024, 9, 1), "end": None,
            **overrides}


def test_assignment_created_unchanged_ended(ctx):
    with_worker(ctx)
    assert apply(ctx, "assignments", assignment_row()).action == "created"
    assert apply(ctx, "assignments", assignment_row()).action == "unchanged"
    outcome = apply(ctx, "assignments", assignment_row(end=D(2025, 12, 31)))
    assert outcome.changes == {"end": (None, D(2025, 12, 31))}
    assert CoachAssignment.objects.get().end == D(2025, 12, 31)


def test_assignment_unknown_coach_lists_the_members(ctx):
    with_worker(ctx)
    error = refused(ctx, "assignments", assignment_row(coach="nobody@stroom.be"))
    assert error.column == "coach"
    assert str(error.message).startswith(
        "Onbekende begeleider 'nobody@stroom.be': geef het e-mailadres van een actief lid van deze organisatie. "
        "Gekende leden: ")
    assert "els@stroom.be" in str(error.message)


# ----------------------------------------------------------------------------------------------- trajectories


def trajectory_row(**overrides):
    return {"insz": INSZ, "regime": "imw_5y", "start": D(2024, 9, 1), "decision_date": D(2024, 8, 15),
            "opened_on": None, "phase": "", "closed_on": None, "closed_reason": None, **overrides}


def test_trajectory_has_the_deadlines_of_a_typed_one(ctx):
    from trajects import services

    worker = with_worker(ctx)
    assert apply(ctx, "trajectories", trajectory_row(regime="IMW (5 jaar, hernieuwbaar)")).action == "created"
    imported = Trajectory.objects.get(worker=worker)
    other = with_worker_insz(ctx, valid_insz(3, D(1985, 7, 30)))
    typed = services.trajectory_start(worker=other, actor=ctx.membership.user, regime="IMW_5Y", start=D(2024, 9, 1),
                                      decision_date=D(2024, 8, 15), today=TODAY)
    assert (imported.planned_end, imported.term_start, imported.next_due, imported.next_due_kind) == (
        typed.planned_end, typed.term_start, typed.next_due, typed.next_due_kind)
    assert deadlines(imported) == deadlines(typed)
    assert apply(ctx, "trajectories", trajectory_row()).action == "unchanged"
    assert Trajectory.objects.filter(worker=worker).count() == 1


def with_worker_insz(ctx, insz):
    apply(ctx, "workers", worker_row(insz=insz, first_name="Bart"))
    return Worker.objects.get(insz=insz)


def deadlines(trajectory):
    return sorted((d.kind, d.due) for d in trajectory.deadlines.all())


def test_trajectory_closed_in_the_past_warns_and_a_regime_change_links_the_next(ctx):
    worker = with_worker(ctx)
    outcome = apply(ctx, "trajectories", trajectory_row(regime="LDE", start=D(2020, 3, 1), decision_date=None,
                                                        closed_on=D(2023, 12, 31), closed_reason="regime_change"))
    assert outcome.warnings == ["Dit traject eindigde op 31/12/2023 en wordt als afgesloten ingevoerd."]
    outcome = apply(ctx, "trajectories", trajectory_row(regime="TRANSITION", start=D(2020, 3, 1), decision_date=None,
                                                        opened_on=D(2024, 1, 1)))
    assert outcome.action == "created"
    lde, transition = Trajectory.objects.filter(worker=worker).order_by("opened_on")
    assert (lde.closed_on, lde.closed_reason, lde.deadlines.count()) == (D(2023, 12, 31), "regime_change", 0)
    assert transition.previous == lde and transition.closed_on is None and transition.deadlines.exists()


def test_trajectory_closing_is_an_update(ctx):
    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row())
    outcome = apply(ctx, "trajectories", trajectory_row(closed_on=D(2026, 1, 31), closed_reason="end_of_term"))
    assert outcome.changes == {"closed_on": (None, D(2026, 1, 31)), "closed_reason": (None, "end_of_term")}
    assert Trajectory.objects.get(worker=worker).closed_on == D(2026, 1, 31)


@pytest.mark.parametrize(("overrides", "column", "message"), [
    ({"regime": "LDE", "start": D(2023, 7, 1), "decision_date": None}, "start",
     "Een LDE-traject kan niet meer starten na 30/06/2023 (startdatum 01/07/2023). Geen nieuwe LDE-trajecten "
     "na 30/06/2023."),
    ({"regime": "Maatwerk"}, "regime",
     "Onbekend regime 'Maatwerk'. Gekende regimes: LDE, TRANSITION, IMW_5Y, IMW_2Y, CMW."),
    ({"phase": "Wachten"}, "phase",
     "Onbekende fase 'Wachten'. Fasen van deze organisatie: Wennen aan werk, Werken aan doorstroom, "
     "Werken aan werk."),
])
def test_trajectory_refusals(ctx, overrides, column, message):
    with_worker(ctx)
    error = refused(ctx, "trajectories", trajectory_row(**overrides))
    assert error.column == column
    if message:
        assert str(error.message) == message
    assert not Trajectory.objects.exists()


# ----------------------------------------------------------------------------------------------- suspensions


def test_suspension_moves_the_end_and_is_not_duplicated(ctx):
    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row())
    before = Trajectory.objects.get(worker=worker).planned_end
    row = {"insz": INSZ, "regime": "IMW_5Y", "trajectory_start": D(2024, 9, 1), "reason": "illness",
           "start": D(2025, 2, 1), "end": D(2025, 2, 28), "note": ""}
    assert apply(ctx, "suspensions", row).action == "created"
    assert Trajectory.objects.get(worker=worker).planned_end == before + datetime.timedelta(days=28)
    assert apply(ctx, "suspensions", row).action == "unchanged"
    assert apply(ctx, "suspensions", {**row, "regime": None, "trajectory_start": None}).action == "unchanged"
    assert Suspension.objects.count() == 1
    error = refused(ctx, "suspensions", {**row, "start": D(2025, 2, 10), "end": D(2025, 3, 10)})
    assert (error.column, str(error.message)) == (
        "start", "Deze schorsing overlapt met de schorsing van 01/02/2025 tot 28/02/2025.")


def test_suspension_of_a_closed_trajectory_keeps_its_end_for_the_history(ctx):
    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(closed_on=D(2026, 1, 31), closed_reason="end_of_term"))
    before = Trajectory.objects.get(worker=worker).planned_end
    apply(ctx, "suspensions", {"insz": INSZ, "regime": "IMW_5Y", "trajectory_start": D(2024, 9, 1),
                               "reason": "illness", "start": D(2025, 2, 1), "end": D(2025, 2, 28), "note": ""})
    closed = Trajectory.objects.get(worker=worker)
    assert closed.planned_end == before + datetime.timedelta(days=28)
    assert not closed.deadlines.exists()


def test_suspension_after_the_closing_of_a_trajectory_brought_by_the_same_run(ctx):
    """A suspension recorded ahead stays on its trajectory when the trajectory is closed sooner: the file brings
    the closed trajectory first, its suspension after, and the trajectory takes it as history."""
    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(closed_on=D(2025, 1, 31), closed_reason="end_of_term"))
    before = Trajectory.objects.get(worker=worker).planned_end
    row = {"insz": INSZ, "regime": "IMW_5Y", "trajectory_start": D(2024, 9, 1), "reason": "illness",
           "start": D(2025, 3, 1), "end": D(2025, 3, 28), "note": ""}
    assert apply(ctx, "suspensions", row).action == "created"
    closed = Trajectory.objects.get(worker=worker)
    assert (closed.closed_on, closed.planned_end) == (D(2025, 1, 31), before + datetime.timedelta(days=28))
    assert not closed.deadlines.exists()


def test_suspension_after_the_closing_of_a_trajectory_the_portal_held_is_refused(ctx):
    """The next file (a new run) is no history of that trajectory: as by hand, a closed trajectory takes no
    suspension after its closing; one within it is still history."""
    from tests.imports_context import Context

    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(closed_on=D(2025, 1, 31), closed_reason="end_of_term"))
    later = Context(organisation=ctx.organisation, membership=ctx.membership, today=TODAY)
    row = {"insz": INSZ, "regime": "IMW_5Y", "trajectory_start": D(2024, 9, 1), "reason": "illness",
           "start": D(2025, 3, 1), "end": D(2025, 3, 28), "note": ""}
    error = refused(later, "suspensions", row)
    assert (error.column, str(error.message)) == ("start", "Dit traject is afgesloten; er kan geen schorsing meer bij.")
    assert apply(later, "suspensions", {**row, "start": D(2025, 1, 2), "end": D(2025, 1, 20)}).action == "created"
    assert Suspension.objects.filter(trajectory__worker=worker).count() == 1


def test_a_closed_trajectory_takes_no_suspension_by_hand(ctx):
    from django.core.exceptions import ValidationError

    from trajects import services

    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(closed_on=D(2025, 1, 31), closed_reason="end_of_term"))
    with pytest.raises(ValidationError) as raised:
        services.trajectory_suspend(trajectory=Trajectory.objects.get(worker=worker), actor=ctx.membership.user,
                                    reason="illness", start=D(2025, 1, 2), end=D(2025, 1, 20), today=TODAY)
    assert raised.value.message_dict == {"start": ["Dit traject is afgesloten; er kan geen schorsing meer bij."]}


# ----------------------------------------------------------------------------------------------- extensions


def extension_row(**overrides):
    return {"insz": INSZ, "regime": "LDE", "trajectory_start": D(2021, 9, 1), "reason": "SIXTH_YEAR",
            "months": 12, "decision_date": D(2026, 2, 1), "note": "", **overrides}


def test_extension_created_then_unchanged(ctx):
    worker = with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(regime="LDE", start=D(2021, 9, 1), decision_date=None))
    before = Trajectory.objects.get(worker=worker).planned_end
    assert apply(ctx, "extensions", extension_row()).action == "created"
    assert Trajectory.objects.get(worker=worker).planned_end == D(before.year + 1, before.month, before.day)
    assert apply(ctx, "extensions", extension_row()).action == "unchanged"
    assert Extension.objects.count() == 1


def test_extension_of_a_two_year_imw_is_refused(ctx):
    with_worker(ctx)
    apply(ctx, "trajectories", trajectory_row(regime="IMW_2Y"))
    error = refused(ctx, "extensions", extension_row(regime="IMW_2Y", trajectory_start=D(2024, 9, 1),
                                                     reason="SIXTH_YEAR", months=12))
    assert (error.column, str(error.message)) == ("reason",
                                                  "Een verlenging SIXTH_YEAR bestaat niet in het regime IMW_2Y.")
    assert not Extension.objects.exists()



# ----------------------------------------------------------------------------------------------- alerts


def test_the_import_rescans_the_alerts_of_the_workers_it_updated(ctx, tmp_path):
    """A worker the portal already held, whose trajectory the file closes: the trajectory-end alert raised when it
    was typed is resolved by the import's closing scan, as it would be by closing it by hand."""
    from django.utils import timezone

    from lde_portal.alerts.models import Alert
    from lde_portal.imports.engine import Engine
    from tests.imports.files import xlsx
    from trajects import services

    today = timezone.localdate()
    start = today - datetime.timedelta(days=2 * 365 - 60)
    worker = with_worker(ctx, status_since=start)
    services.trajectory_start(worker=worker, actor=ctx.membership.user, regime="IMW_2Y", start=start,
                              decision_date=start + datetime.timedelta(days=20), today=today)
    assert Alert.objects.filter(worker_id=worker.pk, kind="trajectory_end", state="open").exists()
    path = xlsx(tmp_path / "trajecten.xlsx", {"Trajecten": [
        ["INSZ", "Regime", "Start tewerkstelling", "Beslissingsdatum DWSE", "Afgesloten op", "Reden afsluiting"],
        [INSZ, "IMW_2Y", start.strftime("%d/%m/%Y"), (start + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
         today.strftime("%d/%m/%Y"), "Einde termijn"],
    ]})
    result = Engine(organisation=ctx.organisation, membership=ctx.membership, path=str(path), kind="xlsx",
                    filename=path.name, dry_run=False, today=today).execute()
    assert result["committed"] and result["sheets"]["trajectories"]["updated"] == 1, result
    assert not Alert.objects.filter(worker_id=worker.pk, kind="trajectory_end", state="open").exists()


def test_the_audit_entries_of_a_refused_row_go_with_it(ctx, tmp_path):
    """The import stores its audit entries in bulk before it commits: a row refused after a first write (the
    trajectory started, its closing refused) leaves no entry behind, the valid rows keep theirs, and a dry run
    writes none."""
    from lde_portal.audit.models import AuditEntry
    from lde_portal.imports.engine import Engine
    from tests.imports.files import xlsx

    other = valid_insz(5, D(1990, 1, 2))
    path = xlsx(tmp_path / "trajecten.xlsx", {"Werknemers": [
        ["INSZ", "Familienaam", "Voornaam"],
        [INSZ, "Peeters", "An"],
        [other, "Janssens", "Bart"],
    ], "Trajecten": [
        ["INSZ", "Regime", "Start tewerkstelling", "Beslissingsdatum DWSE", "Afgesloten op", "Reden afsluiting"],
        [INSZ, "IMW_5Y", "01/09/2024", "15/08/2024", "", ""],
        [other, "IMW_5Y", "01/09/2024", "15/08/2024", "01/08/2024", "Einde termijn"],
    ]})

    def run(**kwargs):
        return Engine(organisation=ctx.organisation, membership=ctx.membership, path=str(path), kind="xlsx",
                      filename=path.name, today=TODAY, **kwargs).execute()

    assert run(dry_run=True)["error_count"] == 1
    assert not AuditEntry.objects.exists()
    result = run(dry_run=False, skip_invalid=True)
    assert result["committed"] and result["sheets"]["trajectories"] == {
        "label": "Trajecten", "created": 1, "updated": 0, "unchanged": 0, "refused": 1}
    entries = AuditEntry.objects.filter(object_type="trajects.trajectory")
    assert [e.object_id for e in entries] == [str(Trajectory.objects.get().pk)]
    assert AuditEntry.objects.filter(object_type="trajects.worker").count() == 2
    assert AuditEntry.objects.filter(object_type="imports.importrun").count() == 1
