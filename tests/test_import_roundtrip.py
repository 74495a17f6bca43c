"""Moving an organisation (issue #18): its records exported in the import workbook's layout and imported into a
fresh organisation give the same dossiers — workers, contracts, assignments, trajectories with their stored
deadlines, suspensions, extensions, advices, evaluation requests, each worker's current POP and its review
deadlines, trainings, exits and follow-ups — field by field,
ids aside. On the demo organisation Buurtwerk Stroom and on generated sector-scale data."""

import datetime

import pytest
from django.core.management import call_command

from lde_portal.accounts.models import Organisation
from tests.imports_roundtrip import copy_setup, differences, dossiers, export_workbook, import_workbook

pytestmark = pytest.mark.django_db


def written_around_the_services(organisation) -> set[str]:
    """Demo dossiers whose history no service would write, so no import through the services reproduces it:
    an exited status without an exit (the retention demo's pseudonymised workers), an exit beside a trajectory
    still open, an exit pointing at another trajectory than the one it closed."""
    from throughflow.models import Exit
    from trajects.models import Trajectory, Worker

    odd = set(Worker.objects.filter(organisation=organisation, status="exited", exit__isnull=True)
              .values_list("insz", flat=True))
    for exit_ in Exit.objects.filter(organisation=organisation).select_related("worker", "trajectory"):
        open_ = Trajectory.objects.filter(worker=exit_.worker, closed_on__isnull=True).exists()
        closed_by_exit = Trajectory.objects.filter(worker=exit_.worker, closed_reason="exit").first()
        if open_ or (exit_.trajectory_id and closed_by_exit and exit_.trajectory_id != closed_by_exit.pk):
            odd.add(exit_.worker.insz)
    return odd


def as_the_services_keep_it(dossier_map):
    """The scale seeder writes two facts no service writes, so an import through the services cannot bring them:
    advices of closed trajectories marked 'expired' (no service expires an advice), and a follow-up's 'same
    employer' beside 'no longer employed' (followup_record clears it). Compared as the services would keep them."""
    for dossier in dossier_map.values():
        dossier["advices"] = [(*a[:11], "active" if a[11] == "expired" else a[11], *a[12:]) for a in dossier["advices"]]
        dossier["followups"] = [(*f[:4], None if f[3] is False else f[4], *f[5:]) for f in dossier["followups"]]
    return dossier_map


def insz_of(path, table, row) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    cell = next(workbook[table].iter_rows(min_row=row, max_row=row, max_col=1, values_only=True))[0]
    return cell.replace(".", "").replace("-", "")


def round_trip(source, tmp_path, today=None):
    path = tmp_path / "records.xlsx"
    exported = export_workbook(source, path)
    target = copy_setup(source, slug=f"{source.slug}-nieuw", name=f"{source.name} (nieuw)")
    dry = import_workbook(target, path, dry_run=True, today=today)
    assert dry["errors"] == []
    assert not target.workers.exists()
    result = import_workbook(target, path, today=today)
    assert result["errors"] == [] and result["committed"]
    for key, n in exported.items():
        counts = result["sheets"].get(key, {})
        assert counts.get("refused", 0) == 0
        assert counts.get("created", 0) + counts.get("updated", 0) + counts.get("unchanged", 0) == n, key
    again = import_workbook(target, path, today=today)
    # A second run changes nothing; it may refuse only rows of dossiers the source wrote around the services
    # (their re-exported dates differ from what the services made of them).
    odd = written_around_the_services(source)
    assert {insz_of(path, e["table"], e["row"]) for e in again["errors"]} <= odd, again["errors"][:5]
    assert all(c["created"] == 0 for c in again["sheets"].values()), again["sheets"]
    sheet_labels = {k: c["label"] for k, c in again["sheets"].items()}
    assert {insz_of(path, sheet_labels[c["sheet"]], c["row"]) for c in again["changes"]} <= odd, again["changes"][:5]
    return target


def test_demo_organisation_moves_into_a_fresh_one(tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    source = Organisation.objects.get(slug="stroom")
    target = round_trip(source, tmp_path)
    odd = written_around_the_services(source)
    before = {k: v for k, v in dossiers(source).items() if k not in odd}
    after = {k: v for k, v in dossiers(target).items() if k not in odd}
    assert len(before) > 20
    found = differences(before, after)
    assert not found, "\n".join(found)


def test_sector_scale_organisation_moves_into_a_fresh_one(tmp_path):
    from lde_portal.accounts.management.commands.seed_scale import seed_scale

    today = datetime.date(2026, 11, 23)
    seed_scale(factor=0.002, seed=2026, today=today)
    source = max(Organisation.objects.filter(slug__startswith="scale-"), key=lambda o: o.workers.count())
    target = round_trip(source, tmp_path, today=today)
    odd = written_around_the_services(source)
    before = as_the_services_keep_it({k: v for k, v in dossiers(source).items() if k not in odd})
    after = as_the_services_keep_it({k: v for k, v in dossiers(target).items() if k not in odd})
    assert len(before) > 5
    found = differences(before, after)
    assert not found, "\n".join(found)


def test_a_closed_trajectory_keeps_the_suspensions_recorded_ahead_of_its_closing(tmp_path):
    """A suspension recorded ahead stays on the LDE trajectory when a regime change closes it sooner, and the
    transition trajectory carries it over (trajectory_change_regime): the source holds a closed trajectory with a
    suspension after its closing, and the import brings it back with the same kept planned end."""
    from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory, valid_insz
    from trajects import services

    today = datetime.date(2023, 3, 1)
    source = OrganisationFactory(slug="bron", name="Bron vzw")
    ActivityFactory(organisation=source, name="Fietspunt")
    admin = MembershipFactory(organisation=source, role="org_admin")
    worker = services.worker_create(
        organisation=source, actor=admin.user, status="active", status_date=datetime.date(2021, 9, 1),
        data={"insz": valid_insz(7, datetime.date(1980, 5, 4)), "first_name": "An", "last_name": "Peeters"})
    lde = services.trajectory_start(worker=worker, actor=admin.user, regime="LDE", start=datetime.date(2021, 9, 1),
                                    today=today)
    services.trajectory_suspend(trajectory=lde, actor=admin.user, reason="illness", start=datetime.date(2023, 2, 1),
                                end=datetime.date(2023, 2, 28), today=today)
    services.trajectory_suspend(trajectory=lde, actor=admin.user, reason="illness", start=datetime.date(2023, 9, 1),
                                end=datetime.date(2023, 10, 15), today=today)
    services.trajectory_change_regime(trajectory=lde, actor=admin.user, regime="TRANSITION",
                                      change_date=datetime.date(2023, 7, 1), today=today)
    lde.refresh_from_db()
    assert lde.closed_on == datetime.date(2023, 6, 30) and lde.suspensions.filter(start__gt=lde.closed_on).exists()

    target = round_trip(source, tmp_path, today=today)
    found = differences(dossiers(source), dossiers(target))
    assert not found, "\n".join(found)
