import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.files.models import GeneratedFile
from lde_portal.privacy import services
from lde_portal.privacy.models import ErasureRequest
from lde_portal.privacy.tasks import apply_retention
from lde_portal.safety import neutralise_cell
from lde_portal.uploads import validate_upload
from tests.factories import CoachAssignmentFactory, EmploymentFactory, MembershipFactory, WorkerFactory
from tests.pdfs import CLEAN
from trajects import services as trajects_services
from trajects.models import Worker, WorkerStatus

XSS = "<script>alert(1)</script>"


def _zip(client, personas, worker):
    client.post(reverse("privacy:subject_access_create", kwargs={"org_slug": personas.org.slug, "pk": worker.pk}))
    export = GeneratedFile.objects.filter(worker_id=worker.pk).latest("id")
    response = client.get(reverse("files:download", kwargs={"org_slug": personas.org.slug, "pk": export.pk}))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_subject_access_zip_holds_every_record_of_the_worker_and_nothing_of_another(personas, login):
    worker, other = personas.worker, WorkerFactory(organisation=personas.org, first_name="Otto", last_name="Anderman")
    EmploymentFactory(worker=other, activity=personas.activity)
    trajects_services.worker_change_status(worker=worker, actor=personas.coordinator.user, status="active",
                                           date=datetime.date(2025, 2, 1), note="Gestart op de fietspunt")
    trajects_services.worker_update(worker=other, actor=personas.coordinator.user,
                                    data={"phone": "0470 11 22 33"}, expected_version=other.version)
    from trajects.models import Trajectory, TrajectoryDeadline

    for someone in (worker, other):
        trajects_services.trajectory_start(worker=someone, actor=None, regime="TRANSITION",
                                           start=datetime.date(2021, 2, 1), today=datetime.date(2025, 1, 2))
    client = login(personas.coordinator)
    archive = _zip(client, personas, worker)
    assert sorted(archive.namelist()) == ["inzage.json", "inzage.pdf"]
    document = json.loads(archive.read("inzage.json"))
    text = json.dumps(document, ensure_ascii=False)
    assert document["worker_id"] == worker.pk
    with translation.override("nl"):
        sections = {s["title"]: s["records"] for s in document["sections"]}
        employments, coaches, history, trail = (_(t) for t in ("Employments", "Coaches", "Status history", "Audit trail"))
    # Every record of the worker in the fixture: details, employment, assignment, status change, audit entries.
    assert worker.first_name in text and worker.last_name in text and worker.insz in text
    assert len(sections[employments]) == worker.employments.count() == 1
    assert len(sections[coaches]) == worker.coach_assignments.count() == 1
    assert len(sections[history]) == worker.status_changes.count()
    assert "Gestart op de fietspunt" in text
    for model, count in [(Trajectory, Trajectory.objects.filter(worker=worker).count()),
                         (TrajectoryDeadline, TrajectoryDeadline.objects.filter(worker=worker).count())]:
        with translation.override("nl"):
            title = str(model._meta.verbose_name_plural).capitalize()
        assert count >= 1 and len(sections[title]) == count, title
    assert len(sections[trail]) == AuditEntry.objects.filter(worker_id=worker.pk).count() - 3  # minus this export, its download and its read
    # Nothing of another worker.
    assert "Otto" not in text and "Anderman" not in text and other.insz not in text and "0470 11 22 33" not in text
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("inzage.pdf"))).pages)
    assert worker.last_name in pdf and "Anderman" not in pdf
    assert AuditEntry.objects.filter(worker_id=worker.pk, action=AuditAction.EXPORT).exists()
    assert AuditEntry.objects.filter(worker_id=worker.pk, action=AuditAction.DOWNLOAD).exists()


def test_subject_access_pdf_escapes_user_text(personas, login):
    Worker.objects.filter(pk=personas.worker.pk).update(first_name=XSS)
    archive = _zip(login(personas.coordinator), personas, Worker.objects.get(pk=personas.worker.pk))
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("inzage.pdf"))).pages)
    assert XSS in pdf.replace("\n", "")  # shown as text, not swallowed as markup


def test_export_file_has_a_random_name_and_other_coordinators_orgs_cannot_fetch_it(personas, login):
    client = login(personas.coordinator)
    _zip(client, personas, personas.worker)
    export = GeneratedFile.objects.get()
    assert len(export.file.name.rsplit("/", 1)[1]) == 36  # 32 hex + .zip
    outsider = login(MembershipFactory(organisation=personas.other_org, role="coordinator"))
    url = reverse("files:download", kwargs={"org_slug": personas.other_org.slug, "pk": export.pk})
    assert outsider.get(url).status_code == 404


def _exited(org, activity, exit_date, n=1):
    workers = []
    for _i in range(n):
        w = WorkerFactory(organisation=org, status=WorkerStatus.EXITED, status_since=exit_date,
                          phone="0470 00 00 00", email="w@example.org", street="Kerkstraat 1")
        EmploymentFactory(worker=w, activity=activity)
        workers.append(w)
    return workers


def _state():
    return {w.pk: (w.first_name, w.last_name, w.insz, w.phone, w.email, w.street) for w in Worker.objects.all()}


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
def test_dry_run_lists_exactly_what_the_real_run_changes(personas, login):
    today = datetime.date(2026, 6, 15)
    due = _exited(personas.org, personas.activity, datetime.date(2024, 6, 15), 2)  # exactly 24 months
    _exited(personas.org, personas.activity, datetime.date(2024, 6, 16))  # one day short
    _exited(personas.other_org, personas.other_org.activities.create(name="X", type="other"), datetime.date(2020, 1, 1))
    plan = services.retention_plan(personas.org, today)
    listed = {(i.object_type, i.object_id) for s in plan for i in s.items}
    assert listed == {("trajects.worker", str(w.pk)) for w in due}

    page = login(personas.org_admin).get(reverse("privacy:retention_dry_run", kwargs={"org_slug": personas.org.slug}))
    for w in due:
        assert w.last_name in page.content.decode()
    before = _state()
    apply_retention.delay()  # the nightly beat job (in-process in tests)
    after = _state()
    changed = {("trajects.worker", str(pk)) for pk in before if before[pk] != after[pk]
               and Worker.objects.get(pk=pk).organisation_id == personas.org.pk}
    assert changed == listed
    for w in due:
        w.refresh_from_db()
        assert (w.first_name, w.last_name, w.phone, w.email, w.street) == ("Werknemer", f"#{w.pk}", "", "", "")
        assert len(w.insz) == 10 and w.insz.startswith("X")
    other_org_worker = Worker.objects.get(organisation=personas.other_org, status=WorkerStatus.EXITED)
    assert other_org_worker.first_name == "Werknemer"  # the job covers every organisation
    # A second run has nothing left to do.
    assert not any(s.items for s in services.retention_plan(personas.org, today))


def test_shorter_period_set_by_the_org_admin_is_used(personas, login):
    _exited(personas.org, personas.activity, datetime.date.today() - datetime.timedelta(days=100))
    client = login(personas.org_admin)
    url = reverse("privacy:retention", kwargs={"org_slug": personas.org.slug})
    assert client.post(url, {"confidential_months": 6, "pseudonymise_months": 3, "subsidy_years": 10,
                             "version": 1}).status_code == 302
    assert sum(len(s.items) for s in services.retention_plan(personas.org)) == 1
    response = client.post(url, {"confidential_months": 6, "pseudonymise_months": 3, "subsidy_years": 5, "version": 2})
    assert response.status_code == 200 and "subsidy_years" in response.context["form"].errors


def _counts(org):
    return dict(Worker.objects.filter(organisation=org).values_list("status").annotate(n=Count("id")))


def test_erasure_needs_two_people_and_keeps_the_figures(personas, login):
    worker = personas.worker
    CoachAssignmentFactory(worker=worker, coach=personas.other_coach)
    _exited(personas.org, personas.activity, datetime.date(2025, 1, 1), 3)
    counts = _counts(personas.org)
    coordinator = login(personas.coordinator)
    url = reverse("privacy:erasure_request", kwargs={"org_slug": personas.org.slug, "pk": worker.pk})
    assert coordinator.post(url, {"reason": ""}).status_code == 400
    assert coordinator.post(url, {"reason": "Schriftelijke vraag van 12/03/2026"}).status_code == 302
    erasure = ErasureRequest.objects.get()
    # The requester cannot approve their own request, even with the right role.
    with pytest.raises(ValidationError):
        services.erasure_decide(request=erasure, actor=personas.coordinator.user, approve=True)
    admin = login(personas.org_admin)
    decide = reverse("privacy:erasure_decide", kwargs={"org_slug": personas.org.slug, "pk": erasure.pk})
    assert admin.post(decide, {"decision": "approve"}).status_code == 302
    worker.refresh_from_db()
    assert worker.last_name == f"#{worker.pk}" and worker.insz.startswith("X")
    assert _counts(personas.org) == counts  # exits and workers per status unchanged
    assert worker.employments.count() == 1 and worker.coach_assignments.count() == 2
    assert AuditEntry.objects.filter(worker_id=worker.pk, action=AuditAction.DELETE).exists()


def test_audit_trail_pages(personas, login, django_assert_num_queries):
    trajects_services.worker_update(worker=personas.worker, actor=personas.coordinator.user,
                                    data={"phone": "0470 99"}, expected_version=personas.worker.version)
    client = login(personas.coordinator)
    page = client.get(reverse("audit:worker_trail", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk}))
    assert "0470 99" in page.content.decode()
    admin = login(personas.org_admin)
    url = reverse("audit:organisation_trail", kwargs={"org_slug": personas.org.slug})
    admin.get(url)
    with django_assert_num_queries(10) as one:  # incl. the alert bell
        admin.get(url, {"action": "update"})
    for i in range(60):
        trajects_services.worker_update(worker=Worker.objects.get(pk=personas.worker.pk), actor=personas.coordinator.user,
                                        data={"phone": f"0470 {i}"})
    with django_assert_num_queries(len(one.captured_queries)):
        response = admin.get(url, {"action": "update"})
    assert len(response.context["page"].object_list) == 50
    filtered = admin.get(url, {"worker": personas.worker.last_name, "actor": personas.coordinator.user.pk})
    assert filtered.context["page"].paginator.count == 61
    assert admin.get(url, {"worker": "nobody"}).context["page"].paginator.count == 0


def test_logins_are_recorded_per_organisation(personas, client):
    client.force_login(personas.coordinator.user)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=personas.coordinator.user)
    assert entry.organisation == personas.org


def test_csp_header_without_unsafe_inline(personas, login):
    response = login(personas.coordinator).get(reverse("trajects:worker_list", kwargs={"org_slug": personas.org.slug}))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("url_name,with_pk", [
    ("trajects:home", False), ("trajects:worker_list", False), ("trajects:worker_detail", True),
    ("trajects:worker_history", True), ("trajects:worker_edit", True), ("audit:worker_trail", True),
    ("privacy:worker_privacy", True),
])
def test_script_in_a_name_renders_harmless(personas, login, url_name, with_pk):
    Worker.objects.filter(pk=personas.worker.pk).update(first_name=XSS, last_name=XSS)
    trajects_services.worker_change_status(worker=Worker.objects.get(pk=personas.worker.pk), actor=personas.coordinator.user,
                                           status="active", date=datetime.date.today(), note=XSS)
    kwargs = {"org_slug": personas.org.slug} | ({"pk": personas.worker.pk} if with_pk else {})
    for membership in (personas.coordinator, personas.coach):
        if url_name == "audit:worker_trail" and membership == personas.coach or \
                url_name == "privacy:worker_privacy" and membership == personas.coach:
            continue
        html = login(membership).get(reverse(url_name, kwargs=kwargs)).content.decode()
        assert XSS not in html
        if url_name != "trajects:home" or membership == personas.coach:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+32 470", "'+32 470"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\r=x", "'\r=x"), ("Jan", "Jan"), ("", ""), (5, 5), (None, None),
    # Full-width and small forms, which spreadsheets read as the ASCII signs.
    ("\uff1dHYPERLINK(\"http://x\")", "'\uff1dHYPERLINK(\"http://x\")"), ("\ufe66x", "'\ufe66x"),
    ("\uff0b32", "'\uff0b32"), ("\uff0d5", "'\uff0d5"), ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ("\ufe63x", "'\ufe63x"), ("\u207a1", "'\u207a1"), ("Émile", "Émile"),
])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("content,name,allowed,ok", [
    (CLEAN, "a.pdf", {"pdf"}, True),
    (b"\x89PNG\r\n\x1a\n....", "a.png", {"png"}, True),
    (b"\xff\xd8\xff\xe0....", "a.jpg", {"jpeg"}, True),
    (b"MZ\x90\x00 not a pdf", "a.pdf", {"pdf"}, False),  # an executable renamed to .pdf
    (b"<html><script>", "a.png", {"png", "pdf"}, False),
    (b"%PDF-1.7 /JavaScript (app.alert(1))", "a.pdf", {"pdf"}, False),
    (b"", "a.pdf", {"pdf"}, False),
])
def test_validate_upload_checks_content(content, name, allowed, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        assert validate_upload(upload, allowed=allowed)
    else:
        with pytest.raises(ValidationError):
            validate_upload(upload, allowed=allowed)


def test_validate_upload_checks_size():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2000), allowed={"pdf"}, max_bytes=1000)


def test_retention_job_is_scheduled_nightly(settings):
    from lde_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["retention-nightly"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Europe/Brussels"


def test_worker_trail_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coordinator)
    url = reverse("audit:worker_trail", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    trajects_services.worker_update(worker=personas.worker, actor=personas.coordinator.user, data={"phone": "1"})
    client.get(url)
    with django_assert_num_queries(7) as one:  # incl. the alert bell
        client.get(url)
    for i in range(50):
        trajects_services.worker_update(worker=Worker.objects.get(pk=personas.worker.pk),
                                        actor=personas.other_coach.user, data={"phone": str(i)})
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_subject_access_zip_includes_other_apps_records_without_their_own_provider(personas, login):
    """pop has no subject-access provider of its own: its records reach the file through the generic
    collector (POPs, actions, weekly feedback), and another worker's never do."""
    from pop.models import WeeklyFeedback
    from tests.factories import WorkerFactory as _WorkerFactory
    from tests.pop.helpers import make_version

    other = _WorkerFactory(organisation=personas.org)
    WeeklyFeedback.objects.create(organisation=personas.org, worker=personas.worker,
                                  week_start=datetime.date(2026, 9, 7), observation="MARKER-MINE fietsband")
    WeeklyFeedback.objects.create(organisation=personas.org, worker=other,
                                  week_start=datetime.date(2026, 9, 7), observation="MARKER-OTHER")
    make_version(personas.worker)
    text = json.dumps(json.loads(_zip(login(personas.coordinator), personas, personas.worker).read("inzage.json")),
                      ensure_ascii=False)
    assert "MARKER-MINE fietsband" in text and "MARKER-OTHER" not in text
    with translation.override("nl"):
        assert str(WeeklyFeedback._meta.verbose_name_plural).capitalize() in text
