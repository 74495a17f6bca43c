"""python manage.py import_records: one JSON object, exit 0 / 1 (rows refused) / 2 (file unusable)."""

import json

import openpyxl
import pytest
from django.core.management import call_command

from lde_portal.accounts.models import Activity
from tests.factories import MembershipFactory, OrganisationFactory

from .files import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    org = OrganisationFactory(slug="stroom")
    MembershipFactory(organisation=org, role="org_admin")
    return org


def run(capsys, *args):
    code = 0
    try:
        call_command("import_records", *args)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def workbook(tmp_path, rows):
    return str(xlsx(tmp_path / "act.xlsx", {"Activiteiten": [["Naam", "Soort", "Gemeente", "Actief"], *rows]}))


def test_dry_run_then_import_then_rerun(org, tmp_path, capsys):
    path = workbook(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"]])
    code, out = run(capsys, "stroom", path, "--dry-run")
    assert code == 0
    assert out == {"dry_run": True, "sheets": {"activities": {"created": 1, "updated": 0, "unchanged": 0,
                                                              "refused": 0}}, "errors": [], "warnings": []}
    assert not Activity.objects.exists()
    code, out = run(capsys, "stroom", path)
    assert (code, out["dry_run"], out["sheets"]["activities"]["created"]) == (0, False, 1)
    code, out = run(capsys, "stroom", path)
    assert out["sheets"]["activities"]["unchanged"] == 1
    assert Activity.objects.count() == 1


def test_refused_rows_exit_1(org, tmp_path, capsys):
    path = workbook(tmp_path, [["Fietspunt", "bicycle_point", "Gent", "ja"], ["Kringloop", "onbekend", "", ""]])
    code, out = run(capsys, "stroom", path)
    assert code == 1
    assert out["errors"][0]["sheet"] == "activities" and out["errors"][0]["row"] == 3
    assert out["errors"][0]["column"] == "Soort activiteit"
    assert set(out["errors"][0]) == {"sheet", "row", "column", "message"}
    assert not Activity.objects.exists()  # all or nothing
    code, out = run(capsys, "stroom", path, "--skip-invalid")
    assert code == 1 and Activity.objects.count() == 1


def test_unusable_file_exit_2(org, tmp_path, capsys):
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(b"%PDF-1.4")
    code, out = run(capsys, "stroom", str(path))
    assert code == 2
    assert out["sheets"] == {} and "PDF" in out["errors"][0]["message"].upper()


def test_sheet_option_narrows_a_workbook(org, tmp_path, capsys):
    path = str(xlsx(tmp_path / "twee.xlsx", {"Activiteiten": [["Naam", "Soort"], ["Fietspunt", "other"]],
                                             "Proef": [["INSZ"], ["85.07.30-033.28"]]}))
    code, out = run(capsys, "stroom", path, "--dry-run", "--sheet", "probe")
    assert list(out["sheets"]) == ["probe"]


def test_template_and_export(org, tmp_path, capsys):
    template = tmp_path / "sjabloon.xlsx"
    call_command("import_records", "--template", str(template))
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Instructies", "Activiteiten", "Proef"]
    assert [c.value for c in wb["Activiteiten"][1]] == ["Naam", "Soort activiteit", "Gemeente", "Actief"]
    assert [c.value for c in wb["Activiteiten"][2]] == ["Fietspunt Dampoort", "bicycle_point", "Gent", "ja"]
    Activity.objects.create(organisation=org, name="=Strijk", type="laundry", municipality="Gent")
    export = tmp_path / "export.xlsx"
    call_command("import_records", "stroom", "--export", str(export))
    capsys.readouterr()
    rows = list(openpyxl.load_workbook(export)["Activiteiten"].values)
    assert rows[1] == ("=Strijk", "laundry", "Gent", "ja")  # a text cell, never a formula
    # The round trip: the export imports back unchanged.
    code, out = run(capsys, "stroom", str(export), "--dry-run")
    assert out["sheets"]["activities"] == {"created": 0, "updated": 0, "unchanged": 1, "refused": 0}
