"""The engine on messy files: row numbers as Excel shows them, dry run, all-or-nothing, skip-invalid,
re-run unchanged, undo and a blocked undo."""

import datetime

import pytest
from django.utils import translation

from lde_portal.accounts.models import Activity
from lde_portal.audit.models import AuditEntry
from lde_portal.imports import services
from lde_portal.imports.engine import Engine
from lde_portal.imports.models import ImportedRecord, ImportRun
from tests.factories import MembershipFactory, OrganisationFactory

from .files import csv_file, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)
GOOD = "85.07.30-033.28"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def admin():
    return MembershipFactory(organisation=OrganisationFactory(slug="stroom"), role="org_admin")


def run_file(admin, path, **kwargs):
    engine = Engine(organisation=admin.organisation, membership=admin, path=str(path),
                    kind="xlsx" if str(path).endswith(".xlsx") else "csv", filename=path.name, today=TODAY, **kwargs)
    result = engine.execute()
    return result, engine


def errors(result):
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in result["errors"]]


def test_title_rows_empty_rows_merged_header_hidden_column_and_formulas(admin, tmp_path):
    path = xlsx(tmp_path / "proef.xlsx", {"Proef": [
        ["Personeelsbestand Buurtwerk Stroom"],  # a title row
        [],
        ["Rijksregisternummer", "Achternaam", "In dienst", "Uren per week", "Kinderen", "Voltijds"],
        [GOOD, "Peeters ", "04/03/2024", "19,5", None, "ja"],
        [],  # an empty row in between
        ["85073003328", "Janssens", 45355, None, 2, "nee"],
    ]}, hidden=[("Proef", "C")], formulas=[("Proef", "E6", "=1+1", "2")])
    result, engine = run_file(admin, path, dry_run=True)
    assert errors(result) == []
    seen = engine.context.cache["seen"]
    assert [v["last_name"] for v in seen] == ["Peeters", "Janssens"]
    assert seen[0]["start"] == seen[1]["start"] == datetime.date(2024, 3, 4)
    assert seen[1]["children"] == 2  # the stored value of the formula, never evaluated
    assert seen[0]["fulltime"] is True and seen[1]["fulltime"] is False


def test_header_merged_over_two_rows(admin, tmp_path):
    path = xlsx(tmp_path / "proef.xlsx", {"Proef": [
        ["INSZ", "Naam", None],
        [None, None, "Startdatum"],
        [GOOD, "Peeters", "01/02/2024"],
    ]}, merged=[("Proef", "A1:A2"), ("Proef", "B1:B2")])
    result, engine = run_file(admin, path, dry_run=True)
    assert errors(result) == []
    assert engine.context.cache["seen"][0]["start"] == datetime.date(2024, 2, 1)


def test_every_refusal_names_the_row_excel_shows(admin, tmp_path):
    path = xlsx(tmp_path / "proef.xlsx", {"Proef": [
        ["Lijst"],
        ["INSZ", "Familienaam", "Startdatum", "Uren per week", "Voltijds", "E-mail"],
        [GOOD, "A", "03/25/2024", "19,5", "ja", "a@b.be"],
        ["85.07.30-033.29", "B", "01/01/2024", "19,5", "ja", "a@b.be"],
        [GOOD, "C", "1/1/40", "19,5", "ja", "a@b.be"],
        [GOOD, "D", "01/01/2024", "veel", "ja", "a@b.be"],
        [GOOD, "E", "01/01/2024", "19,5", "soms", "a@b.be"],
        [None, "F", "01/01/2024", "19,5", "ja", "geen"],
    ]})
    result, _ = run_file(admin, path, dry_run=True)
    assert errors(result) == [
        ("probe", 3, "Startdatum", "'03/25/2024' lijkt maand/dag (Amerikaanse volgorde). Schrijf de dag eerst: "
                                   "dd/mm/jjjj."),
        ("probe", 4, "INSZ", "INSZ '85.07.30-033.29' is niet geldig: de controlecijfers kloppen niet. Controleer "
                             "het nummer op de identiteitskaart."),
        ("probe", 5, "Startdatum", "'1/1/40' heeft een jaartal van twee cijfers dat 1940 of 2040 kan zijn. Schrijf "
                                   "het jaar in vier cijfers (dd/mm/jjjj)."),
        ("probe", 6, "Uren per week", "'veel' is geen getal. Schrijf het zoals 19,5."),
        ("probe", 7, "Voltijds", "'soms' is geen ja of nee."),
        ("probe", 8, "E-mail", "'geen' is geen geldig e-mailadres."),
        ("probe", 8, "INSZ", "INSZ is verplicht."),
    ]
    assert result["sheets"]["probe"]["refused"] == 6


def test_unknown_activity_lists_the_known_ones(admin, tmp_path):
    Activity.objects.create(organisation=admin.organisation, name="Fietspunt", type="bicycle_point")
    Activity.objects.create(organisation=admin.organisation, name="Strijkatelier", type="laundry")
    path = xlsx(tmp_path / "proef.xlsx", {"Proef": [["INSZ", "Activiteit"], [GOOD, "fietspunt"], [GOOD, "Kringloop"]]})
    result, engine = run_file(admin, path, dry_run=True)
    assert errors(result) == [("probe", 3, "Activiteit", "'Kringloop' is geen gekende waarde voor Activiteit. "
                                                         "Gekend: Fietspunt, Strijkatelier.")]
    assert engine.context.cache["seen"][0]["activity"] == str(Activity.objects.get(name="Fietspunt").pk)


@pytest.mark.parametrize("encoding, bom, delimiter", [
    ("utf-8", False, ";"), ("utf-8", True, ";"), ("cp1252", False, ";"), ("utf-8", False, ","),
    ("cp1252", False, ","),
])
def test_csv_encodings_and_delimiters(admin, tmp_path, encoding, bom, delimiter):
    path = csv_file(tmp_path / "proef.csv", [["INSZ", "Familienaam", "Startdatum"],
                                             [GOOD, "Dewaële-Çelik", "04.03.2024"]],
                    encoding=encoding, bom=bom, delimiter=delimiter)
    result, engine = run_file(admin, path, dry_run=True, forced_sheet="probe")
    assert errors(result) == []
    assert engine.context.cache["seen"][0]["last_name"] == "Dewaële-Çelik"


def test_missing_required_column_refuses_the_sheet(admin, tmp_path):
    path = csv_file(tmp_path / "proef.csv", [["Familienaam", "Startdatum"], ["A", "01/01/2024"], ["B", ""]])
    result, _ = run_file(admin, path, dry_run=True, forced_sheet="probe")
    assert errors(result) == [("probe", 1, "INSZ", "De verplichte kolom INSZ ontbreekt. Voeg ze toe (of koppel ze "
                                                   "in de koppelstap).")]
    assert result["sheets"]["probe"]["refused"] == 2


def activities(tmp_path, rows, name="act.xlsx"):
    return xlsx(tmp_path / name, {"Activiteiten": [["Naam", "Soort", "Gemeente", "Actief"], *rows]})


def test_dry_run_writes_nothing(admin, tmp_path):
    path = activities(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"]])
    audit_before = AuditEntry.objects.count()
    result, _ = run_file(admin, path, dry_run=True)
    assert result["sheets"]["activities"]["created"] == 1
    assert not Activity.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert result["committed"] is False


def test_all_or_nothing_and_skip_invalid(admin, tmp_path):
    path = activities(tmp_path, [["Fietspunt", "Fietspunt", "Gent", "ja"], ["Verboden", "other", "", ""],
                                 ["Kringloop", "onbekend", "", ""]])
    result, _ = run_file(admin, path, dry_run=False)
    assert result["sheets"]["activities"] == {"label": "Activiteiten", "created": 1, "updated": 0, "unchanged": 0,
                                              "refused": 2}
    assert errors(result)[0] == ("activities", 3, "Naam", "Deze naam is niet toegestaan.")
    assert not Activity.objects.exists()
    result, _ = run_file(admin, path, dry_run=False, skip_invalid=True)
    assert result["committed"] is True
    assert list(Activity.objects.values_list("name", "type")) == [("Fietspunt", "bicycle_point")]


def import_run(admin, path, **kwargs):
    run = services.run_create(membership=admin, path=str(path), filename=path.name)
    run.dry_run = False
    for k, v in kwargs.items():
        setattr(run, k, v)
    run.save()
    return services.run_execute(run.pk)


def test_rerun_is_unchanged_and_a_change_is_an_update(admin, tmp_path):
    path = activities(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"]])
    first = import_run(admin, path)
    assert first.result["sheets"]["activities"]["created"] == 1
    again = import_run(admin, path)
    assert again.result["sheets"]["activities"]["unchanged"] == 1
    assert Activity.objects.count() == 1
    changed = activities(tmp_path, [["Fietspunt", "bicycle_point", "Gentbrugge", "ja"]], name="act2.xlsx")
    update = import_run(admin, changed)
    assert update.result["sheets"]["activities"]["updated"] == 1
    assert update.result["changes"] == [{"sheet": "activities", "row": 2,
                                         "changes": [["Gemeente", "Gent", "Gentbrugge"]]}]
    entry = AuditEntry.objects.filter(object_type="imports.importrun", object_id=str(first.pk)).get()
    assert entry.changes["sha256"][1] == first.sha256


def test_undo_deletes_what_the_import_created(admin, tmp_path):
    run = import_run(admin, activities(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"],
                                                  ["Strijkatelier", "laundry", "Gent", "ja"]]))
    assert ImportedRecord.objects.filter(run=run, direct=True).count() == 2
    assert services.run_undo(run=run, membership=admin) == []
    assert not Activity.objects.exists()
    run.refresh_from_db()
    assert run.undone_at is not None
    assert services.undo_blockers(run) == ["Deze import werd al ongedaan gemaakt."]


def test_undo_is_blocked_by_an_edit_since(admin, tmp_path):
    run = import_run(admin, activities(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"],
                                                  ["Strijkatelier", "laundry", "Gent", "ja"]]))
    Activity.objects.filter(name="Fietspunt").update(municipality="Brugge")
    blockers = services.run_undo(run=run, membership=admin)
    assert blockers == ["Activiteit 'Fietspunt' werd na de import gewijzigd."]
    assert Activity.objects.count() == 2
    assert ImportRun.objects.get(pk=run.pk).undone_at is None


def test_undo_is_blocked_by_a_record_added_since_that_uses_an_imported_one(admin, tmp_path):
    from tests.factories import EmploymentFactory, WorkerFactory

    run = import_run(admin, activities(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"]]))
    activity = Activity.objects.get()
    EmploymentFactory(worker=WorkerFactory(organisation=admin.organisation), activity=activity)
    blockers = services.run_undo(run=run, membership=admin)
    assert blockers == ["Activiteit 'Fietspunt' wordt nog gebruikt door een record dat de import niet aanmaakte; er "
                        "werd niets ongedaan gemaakt."]
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert ImportRun.objects.get(pk=run.pk).undone_at is None
