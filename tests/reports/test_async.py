import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lde_portal.accounts.models import Role
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.files.models import FileStatus, GeneratedFile
from lde_portal.files.services import generated_files_cleanup
from lde_portal.reports import services
from lde_portal.reports.registry import EXPORTERS, ExportFilters
from tests.factories import EmploymentFactory, MembershipFactory, WorkerFactory
from tests.files.factories import export_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(personas, settings):
    settings.PORTAL_EXPORT_ASYNC_ROWS = 2
    for _ in range(2):
        EmploymentFactory(worker=WorkerFactory(organisation=personas.org, last_name="@SUM(A1)"),
                          activity=personas.activity)
    return personas


def _export(client, p, fmt="csv"):
    return client.get(reverse("reports:export", kwargs={"org_slug": p.org.slug, "key": "workers"}),
                      {"format": fmt})


def test_large_export_runs_in_the_background_and_lands_in_a_file(big, client, django_capture_on_commit_callbacks):
    client.force_login(big.manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, big)
    generated = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:file", kwargs={"org_slug": big.org.slug, "pk": generated.pk})
    assert generated.status == FileStatus.DONE and generated.done == 3 and generated.total == 3
    page = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"file-progress" in page.content and b"hx-get" not in page.content  # finished: polling stops
    download = client.get(reverse("files:download", kwargs={"org_slug": big.org.slug, "pk": generated.pk}))
    data = b"".join(download.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4 and rows[1][0] == "'@SUM(A1)"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="generated_file").count() == 1


def test_pending_file_page_polls(big, client):
    client.force_login(big.manager.user)
    generated = export_file(big.org, big.manager, total=3)
    page = client.get(reverse("reports:file", kwargs={"org_slug": big.org.slug, "pk": generated.pk}))
    assert page.status_code == 200 and b'hx-trigger="every 1s"' in page.content
    assert client.get(reverse("files:download", kwargs={"org_slug": big.org.slug,
                                                               "pk": generated.pk})).status_code == 404


def _built(p):
    generated = services.generated_file_start(membership=p.manager, exporter=EXPORTERS["workers"], fmt="xlsx",
                                              filters=ExportFilters(), total=1, filename="w.xlsx")
    return services.generated_file_build(generated.pk)


def test_the_task_rechecks_the_permission_before_writing(personas):
    generated = services.generated_file_start(membership=personas.manager, exporter=EXPORTERS["workers"],
                                              fmt="csv", filters=ExportFilters(), total=1, filename="w.csv")
    personas.manager.role = Role.COACH
    personas.manager.save()
    generated = services.generated_file_build(generated.pk)
    assert generated.status == FileStatus.FAILED and generated.error == "permission" and not generated.file


def test_other_organisations_and_expired_files_are_404(personas, client):
    generated = _built(personas)
    assert generated.status == FileStatus.DONE
    url = reverse("files:download", kwargs={"org_slug": personas.org.slug, "pk": generated.pk})
    # A manager of another organisation, through their own organisation's URL and through ours.
    other_manager = MembershipFactory(organisation=personas.other_org, role=Role.MANAGER)
    client.force_login(other_manager.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("files:download", kwargs={"org_slug": personas.other_org.slug,
                                                               "pk": generated.pk})).status_code == 404
    assert client.get(reverse("reports:file", kwargs={"org_slug": personas.other_org.slug,
                                                      "pk": generated.pk})).status_code == 404
    # A coordinator of the same organisation may download it; a coach may not (403 by the permission).
    client.force_login(personas.coordinator.user)
    assert client.get(url).status_code == 200
    client.force_login(personas.coach.user)
    assert client.get(url).status_code == 403
    client.force_login(personas.manager.user)
    assert client.get(url).status_code == 200
    # Expired a second ago (travelling seven days ahead would expire the session instead).
    GeneratedFile.objects.filter(pk=generated.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_cleanup_deletes_expired_files(personas):
    generated = _built(personas)
    path = generated.file.path
    assert generated_files_cleanup(now=generated.expires_at - datetime.timedelta(seconds=1)) == 0
    assert generated_files_cleanup(now=generated.expires_at) == 1
    assert not GeneratedFile.objects.exists()
    import os

    assert not os.path.exists(path)


def test_cleanup_is_in_the_beat_schedule(settings):
    assert any(e["task"] == "files.cleanup" for e in settings.CELERY_BEAT_SCHEDULE.values())
