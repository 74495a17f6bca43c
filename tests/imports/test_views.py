"""The pages in order: upload → mapping step → dry run → error file → confirm → result → history → undo."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lde_portal.accounts.models import Activity
from lde_portal.imports.models import ImportMapping, ImportRun
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    membership = MembershipFactory(organisation=OrganisationFactory(slug="stroom"), role="org_admin")
    client.force_login(membership.user)
    return membership


def url(name, **kwargs):
    return reverse(f"imports:{name}", kwargs={"org_slug": "stroom", **kwargs})


def upload(client, content: bytes, name="activiteiten.csv", sheet="activities"):
    return client.post(url("start"), {"file": SimpleUploadedFile(name, content), "sheet": sheet})


CSV = ("Naam;Soort;Locatie\r\nFietspunt;bicycle_point;Gent\r\nKringloop;onbekend;Gent\r\n").encode("cp1252")


def test_the_whole_flow(client, admin):
    response = upload(client, CSV)
    run = ImportRun.objects.get()
    assert response.url == url("mapping", pk=run.pk)  # "Locatie" is not a known header
    page = client.get(response.url)
    assert "Locatie" in page.content.decode()
    response = client.post(response.url, {"m_activities_2": "municipality", "remember": "on"})
    assert response.url == url("run", pk=run.pk)
    assert ImportMapping.objects.get().column == "municipality"
    page = client.get(response.url).content.decode()
    run.refresh_from_db()
    assert run.status == "done" and run.dry_run
    assert run.result["sheets"]["activities"]["created"] == 1 and run.refused == 1
    assert "onbekend&#x27; is geen gekende waarde voor Soort activiteit" in page and "Foutenbestand downloaden" in page
    errors = client.get(url("error_file", pk=run.pk))
    text = b"".join(errors.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Naam;Soort;Locatie;Fout"
    assert lines[1].endswith(";")  # a good row: empty Fout
    assert lines[2].startswith("Kringloop;onbekend;Gent;Soort activiteit: ")
    # All or nothing: nothing is written.
    response = client.post(url("confirm", pk=run.pk), {"mode": "all"})
    nothing = ImportRun.objects.exclude(pk=run.pk).get()
    assert response.url == url("run", pk=nothing.pk)
    assert not nothing.committed and not Activity.objects.exists()
    # The valid rows only.
    client.post(url("confirm", pk=run.pk), {"mode": "valid"})
    done = ImportRun.objects.order_by("-pk").first()
    assert done.committed and list(Activity.objects.values_list("name", "municipality")) == [("Fietspunt", "Gent")]
    assert done.filename in client.get(url("history")).content.decode()
    # The saved mapping: the next upload of the same layout goes straight to the dry run.
    response = upload(client, CSV)
    assert response.url.endswith("/") and "mapping" not in response.url
    # Undo.
    page = client.get(url("undo", pk=done.pk))
    assert page.status_code == 200 and not page.context["blockers"]
    client.post(url("undo", pk=done.pk))
    assert not Activity.objects.exists()
    done.refresh_from_db()
    assert done.undone_at is not None


def test_a_refused_file_stays_on_the_upload_form(client, admin):
    response = upload(client, b"%PDF-1.7 ...", name="lijst.xlsx", sheet="")
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_template_download(client, admin):
    response = client.get(url("template"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Activiteiten" in workbook.sheetnames and "Proef" in workbook.sheetnames


def test_large_file_runs_in_the_background_with_progress(client, admin, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_IMPORT_ASYNC_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, b"Naam;Soort\r\nA;other\r\nB;other\r\nC;other\r\n")
    run = ImportRun.objects.get()
    assert run.status == "pending" and len(callbacks) == 1
    page = client.get(response.url).content.decode()
    assert 'role="progressbar"' in page
    callbacks[0]()  # the worker (eager without a broker)
    run.refresh_from_db()
    assert run.status == "done" and run.result["sheets"]["activities"]["created"] == 3
    partial = client.get(response.url, headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"


def test_the_uploaded_file_expires_with_the_generated_files_and_the_result_stays(client, admin):
    import datetime
    import os

    from django.utils import timezone

    from lde_portal.files.models import GeneratedFile
    from lde_portal.files.services import generated_files_cleanup

    upload(client, CSV)
    run = ImportRun.objects.get()
    client.post(url("mapping", pk=run.pk), {"m_activities_2": "municipality"})
    client.post(url("confirm", pk=run.pk), {"mode": "valid"})
    done = ImportRun.objects.exclude(pk=run.pk).get()
    # One kept file for the dry run and its import, expiring after PORTAL_IMPORT_FILE_DAYS (30).
    stored = GeneratedFile.objects.get()
    assert (stored.kind, run.upload_id, done.upload_id) == ("imports.file", stored.pk, stored.pk)
    assert abs(stored.expires_at - stored.created_at - datetime.timedelta(days=30)) < datetime.timedelta(minutes=1)
    assert stored.sha256 == run.sha256
    path = stored.file.path
    assert generated_files_cleanup(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert not os.path.exists(path)
    run.refresh_from_db()
    assert run.upload_id is None
    page = client.get(url("run", pk=run.pk)).content.decode()
    assert "wordt niet meer bewaard" in page and "Foutenbestand downloaden" not in page
    assert client.get(url("run", pk=run.pk)).context["sheets"][0]["created"] == 1
    assert client.get(url("error_file", pk=run.pk)).status_code == 404
    assert client.post(url("confirm", pk=run.pk), {"mode": "valid"}).url == url("run", pk=run.pk)
    assert ImportRun.objects.count() == 2
    # The undo needs the records, not the file.
    client.post(url("undo", pk=done.pk))
    done.refresh_from_db()
    assert done.undone_at is not None and not Activity.objects.exists()
