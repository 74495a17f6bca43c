"""Issue #11: "a worker named `<script>alert(1)</script>` renders harmless everywhere, PDFs included".

Walks every GET page of the permission matrix (dossier tabs, lists, dashboards, alerts, documents,
exports...) as each role that may open it, with workers whose names and free texts are a script tag and
who have a trajectory, a POP, feedback, an alert, a document and an exit, and checks that the tag is never
in an HTML answer unescaped; the issued PDFs show it as plain text.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lde_portal.alerts.scan import scan_organisation
from lde_portal.documents import services as document_services
from tests.documents.helpers import EXPERIENCE_DATA, REFERENCE_DATA, pdf_text
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from tests.pop.helpers import ensure_catalogue, make_version
from tests.test_permission_matrix import MATRIX
from throughflow import services as throughflow_services
from trajects import services as trajects_services
from trajects.models import Worker

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ROLES = ["coach", "coordinator", "manager", "org_admin"]
# Pages that show the named workers only with a query string.
EXTRA_QUERIES = {"throughflow:ratio": [{"by": "all", "year": str(timezone.localdate().year)}],
                 "trajects:worker_list": [{"q": "script"}, {"status": "exited"}]}


@pytest.fixture
def script_workers(personas):
    ensure_catalogue()
    today = timezone.localdate()
    Worker.objects.filter(pk=personas.worker.pk).update(first_name=XSS, last_name=XSS)
    worker = Worker.objects.get(pk=personas.worker.pk)
    trajects_services.worker_change_status(worker=worker, actor=personas.coordinator.user, status="active",
                                           date=today - datetime.timedelta(days=3), note=XSS)
    trajects_services.trajectory_start(worker=worker, actor=None, regime="TRANSITION",
                                       start=datetime.date(2021, 6, 1))
    make_version(worker)
    # An exited one with the name as well: exits, ratio and employer pages.
    exited = WorkerFactory(organisation=personas.org, first_name=XSS, last_name="Exit")
    EmploymentFactory(worker=exited, activity=personas.activity, contract_start=datetime.date(2023, 1, 1))
    CoachAssignmentFactory(worker=exited, coach=personas.coach, start=datetime.date(2023, 1, 1))
    employer = throughflow_services.employer_create(organisation=personas.org, actor=None, data={"name": XSS})
    throughflow_services.exit_record(worker=exited, actor=None, data={
        "date": today, "reason": "external", "employer": employer, "note": XSS})
    scan_organisation(organisation=personas.org, today=today)
    return worker


def _html_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def test_a_script_name_renders_harmless_on_every_page(personas, client, script_workers):
    pages, shown = 0, set()
    for name, row in sorted(MATRIX.items()):
        if row.method != "GET":
            continue
        url = reverse(name, kwargs={"org_slug": personas.org.slug, **row.kwargs(personas)})
        # The org admin sees what the coordinator sees; it is walked for the pages only it may open.
        roles = [r for r in ROLES if row.allows(r)]
        for role in [r for r in roles if r != "org_admin"] or roles:
            client.force_login(getattr(personas, role).user)
            for query in [{}, *EXTRA_QUERIES.get(name, [])]:
                response = client.get(url, query)
                if response.status_code != 200:
                    continue
                content_type = response.get("Content-Type", "")
                if "html" not in content_type:
                    continue  # files (PDF, CSV, XLSX, ZIP): the browser does not render them as a page
                pages += 1
                html = _html_of(response)
                assert XSS not in html, f"{name} as {role} ({query}) shows the tag unescaped"
                if ESCAPED in html:
                    shown.add(name)
    # The walk reached the pages that show names (not a vacuous pass).
    assert pages > 60
    for name in ["trajects:worker_list", "trajects:worker_detail", "trajects:trajectory", "pop:pop_tab",
                 "pop:team_feedback", "throughflow:tab", "throughflow:ratio", "throughflow:employer_list",
                 "alerts:list", "documents:issue", "audit:worker_trail", "reports:dashboard"]:
        assert name in shown, f"{name} never showed the (escaped) name: is the fixture still right?"


@pytest.mark.parametrize(("kind", "data"), [("experience_attestation", EXPERIENCE_DATA),
                                            ("reference_letter", {**REFERENCE_DATA, "text": XSS})])
def test_a_script_name_is_plain_text_in_issued_pdfs(personas, script_workers, kind, data):
    try:
        doc = document_services.document_issue(kind=kind, worker=script_workers, membership=personas.coordinator,
                                               data=data)
    except ValidationError as error:  # pragma: no cover - the fixture must allow issuing
        pytest.fail(str(error))
    text = pdf_text(doc.file.read()).replace("\n", "")
    assert XSS in text
