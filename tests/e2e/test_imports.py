"""Moving in, in Chromium: upload → dry run → error file → fix → import → undo (issue #18)."""

import pathlib

import openpyxl
import pytest

from tests.e2e.conftest import log_in
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory, valid_insz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = pathlib.Path("/tmp/imp-core-shots")


def _shot(page, screenshot, name):
    screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_coordinator_imports_workers_with_a_fix_from_the_error_file_then_undoes_it(page, screenshot, tmp_path):
    from trajects.models import Worker

    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    ActivityFactory(organisation=org, name="Fietspunt Dampoort")
    MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    good, fixed = valid_insz(1), valid_insz(2)
    bad = fixed[:-2] + f"{(int(fixed[-2:]) + 1) % 100:02d}"
    path = tmp_path / "personeel.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Werknemers"
    ws.append(["Personeelslijst Buurtwerk Stroom"])  # a title row above the header
    ws.append(["Rijksregisternummer", "Achternaam", "Voornaam", "Geslacht", "GSM"])
    ws.append([good, "Peeters", "An", "V", "0470 12 34 56"])
    ws.append([bad, "Janssens", "Jef", "M", ""])
    workbook.save(path)

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, "koen@example.org")
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Importeren").click()
    page.wait_for_url("**/stroom/import/")
    _shot(page, screenshot, "imports-start")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Bestand controleren (proefimport)").click()
    page.wait_for_url("**/stroom/import/*/")
    assert "Dit was een proefimport" in page.content()
    assert page.get_by_role("cell", name=f"INSZ '{bad}' is niet geldig", exact=False).count() == 1
    _shot(page, screenshot, "imports-dry-run")
    assert not Worker.objects.filter(organisation=org).exists()

    with page.expect_download() as info:
        page.get_by_role("link", name="Foutenbestand downloaden").click()
    returned = openpyxl.load_workbook(open(info.value.path(), "rb"))["Werknemers"]  # noqa: SIM115
    rows = list(returned.values)
    assert rows[1][-1] == "Fout" and rows[2][-1] in ("", None)
    assert rows[3][0] == bad and "controlecijfers" in rows[3][-1]
    returned.cell(row=4, column=1, value=fixed)  # the fix, in the file the portal gave back
    corrected = tmp_path / "personeel-verbeterd.xlsx"
    returned.parent.save(corrected)

    page.goto(page.base + "/stroom/import/")
    page.set_input_files("#id_file", str(corrected))
    page.get_by_role("button", name="Bestand controleren (proefimport)").click()
    page.wait_for_url("**/stroom/import/*/")
    assert page.get_by_role("link", name="Foutenbestand downloaden").count() == 0
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.wait_for_url("**/stroom/import/*/")
    assert "De import is klaar." in page.content()
    _shot(page, screenshot, "imports-result")
    assert set(Worker.objects.filter(organisation=org).values_list("insz", flat=True)) == {good, fixed}

    page.get_by_role("link", name="Deze import ongedaan maken").click()
    page.get_by_role("button", name="Import ongedaan maken").click()
    page.wait_for_url("**/stroom/import/*/")
    assert "De import werd ongedaan gemaakt." in page.content()
    assert not Worker.objects.filter(organisation=org).exists()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/stroom/import/history/")
    _shot(page, screenshot, "imports-history-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not errors
