"""Issue #24, finding 9: every display of confidential content, whichever view renders it, is one read in the
worker's confidential access log (docs/domain.md §7, lde_portal/audit/confidential.py).

The walk opens every GET page of the permission matrix as each role, with a marker in every confidential free
text of the worker (the Vertrouwelijk section, the readiness check's health, family and finances notes, the
job target's childcare and pay), and requires: a page that shows a marker wrote exactly one read entry for
that worker naming the reader; a page that shows none wrote no read (the confidential section's own pages
log every visit by design). The stale-version conflict tables and the subject-access file are posted and
downloaded explicitly.
"""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from indication import selectors as indication_selectors
from indication import services as indication_services
from indication.models import IcfItem
from lde_portal.audit.models import AuditAction, AuditEntry
from lde_portal.files.models import GeneratedFile
from tests.indication.matrix import CONFIDENTIAL_URLS
from tests.test_permission_matrix import MATRIX
from throughflow import services as throughflow_services
from throughflow.models import SENSITIVE_DETERMINANTS, Determinant, JobTarget, ReadinessAnswer

pytestmark = pytest.mark.django_db
D = datetime.date
MARK = "VERTROUWELIJK-9c41"
ROLES = ["coach", "coordinator", "manager", "org_admin"]
# The confidential section's pages (also its empty forms) log every visit (the subject-access file: below); the
# access log itself shows who read, not what.
LOGGED_BY_DESIGN = {*CONFIDENTIAL_URLS} - {"indication:access_log"}
TARGET = {"occupation": "Magazijnier", "sector": "Logistiek", "weekly_hours": 30, "region": "Gent",
          "max_commute_minutes": 45, "work_type": "regular", "childcare": f"{MARK} kinderen om 16 uur",
          "pay_expectation": f"{MARK} barema", "other_conditions": "", "set_on": D(2025, 8, 1)}


def _answers(note=MARK, assessment="obstacle"):
    return {d: ({"assessment": assessment, "note": f"{note} {d}"} if d in SENSITIVE_DETERMINANTS
                else {"assessment": "ready", "note": ""}) for d in Determinant.values}


def _check(worker, **extra):
    data = {"date": D(2025, 5, 20), "worker_took_part": True, "summary": "Samen bekeken", "decision": "not_yet",
            "next_check": D(2025, 9, 1), "answers": _answers(), **extra}
    return throughflow_services.readiness_check_save(worker=worker, actor=None, data=data, today=D(2025, 6, 1))


def _plant(worker):
    """A marker in every confidential free text of the worker, also in rows the matrix made meanwhile."""
    from indication.models import ComplementarityProfile, ContextProblem, NeedsAssessment, NeedsScore, Referral

    ContextProblem.objects.filter(worker=worker).update(description=f"{MARK} schulden")
    Referral.objects.filter(worker=worker).update(note=f"{MARK} opvolging", service_name=f"{MARK} CAW")
    NeedsAssessment.objects.filter(worker=worker).update(note=f"{MARK} nood")
    NeedsScore.objects.filter(assessment__worker=worker).update(note=f"{MARK} score")
    ComplementarityProfile.objects.filter(worker=worker).update(note=f"{MARK} profiel")
    ReadinessAnswer.objects.filter(readiness_check__worker=worker,
                                   determinant__in=SENSITIVE_DETERMINANTS).update(note=f"{MARK} gezondheid")
    JobTarget.objects.filter(worker=worker).update(childcare=f"{MARK} kinderen", pay_expectation=f"{MARK} loon")


@pytest.fixture
def confidential(personas):
    w, author = personas.worker, personas.coach.user
    item = IcfItem.objects.filter(organisation__isnull=True, code="d240").first()
    indication_services.needs_assessment_create(worker=w, actor=author, date=D(2026, 1, 10), note=MARK, scores=[
        {"item": item, "qualifier": 3, "facilitator": None, "note": MARK}])
    indication_services.complementarity_save(worker=w, actor=author, data={"note": MARK, "mobility": "bicycle"})
    problem = indication_services.context_problem_save(worker=w, actor=author, data={
        "kind": "debts", "description": MARK, "noted_on": D(2026, 2, 1)})
    indication_services.referral_save(problem=problem, actor=author, data={
        "service": "caw", "service_name": MARK, "referred_on": D(2026, 2, 3), "status": "in_progress",
        "note": MARK})
    throughflow_services.job_target_save(worker=w, actor=None, data=TARGET, today=D(2025, 9, 1))
    return _check(w)


def _body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "zip" in response.get("Content-Type", ""):  # the subject-access file: what its members say
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:  # the matrix's stand-in file
            return ""
    return content.decode("utf-8", "replace")


def _reads_since(last_id, worker):
    return list(AuditEntry.objects.filter(id__gt=last_id, action=AuditAction.READ_CONFIDENTIAL, worker_id=worker.pk))


def _last_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_page_that_shows_confidential_content_logs_exactly_one_read(personas, client, confidential):
    shown_on = set()
    for name, row in sorted(MATRIX.items()):
        if row.method != "GET":
            continue
        url = reverse(name, kwargs={"org_slug": personas.org.slug, **row.kwargs(personas)})
        for role in [r for r in ROLES if row.allows(r)]:
            user = getattr(personas, role).user
            client.force_login(user)
            _plant(personas.worker)
            before = _last_id()
            response = client.get(url)
            reads = _reads_since(before, personas.worker)
            if response.status_code != 200:
                assert not reads, f"{name} as {role} answered {response.status_code} yet logged a read"
                continue
            if MARK in _body(response):
                shown_on.add(name)
                assert len(reads) == 1, f"{name} as {role} shows confidential content with {len(reads)} reads"
                assert reads[0].actor_id == user.pk and reads[0].organisation_id == personas.org.id
            elif name in LOGGED_BY_DESIGN:
                assert len(reads) == 1, f"{name} as {role}: {len(reads)} reads"
            else:
                assert not reads, f"{name} as {role} shows nothing confidential yet logged a read"
    # Not a vacuous pass: the walk reached the pages that show confidential content.
    for name in ["indication:confidential", "throughflow:tab", "throughflow:job_target_edit",
                 "throughflow:readiness_detail", "throughflow:readiness_edit"]:
        assert name in shown_on, name


def test_the_doorstroom_tab_logs_the_health_and_finances_assessments_once(personas, login):
    # Only a readiness check, without notes: the assessments alone ("Gezondheid: obstakel") are confidential.
    _check(personas.worker, answers=_answers(note=""))
    ReadinessAnswer.objects.update(note="")
    url = reverse("throughflow:tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = _last_id()
    body = login(personas.coach).get(url).content.decode()
    assert "Gezondheid: obstakel" in body and "Financiën: obstakel" in body
    reads = _reads_since(before, personas.worker)
    assert [r.actor_id for r in reads] == [personas.coach.user.pk]
    assert reads[0] in indication_selectors.confidential_access_log(personas.worker)
    before = _last_id()
    body = login(personas.manager).get(url).content.decode()
    assert "Gezondheid: obstakel" not in body and not _reads_since(before, personas.worker)


def test_the_tab_with_job_target_and_readiness_logs_one_read_naming_both(personas, login, confidential):
    url = reverse("throughflow:tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = _last_id()
    login(personas.coordinator).get(url)
    reads = _reads_since(before, personas.worker)
    assert len(reads) == 1 and reads[0].actor_id == personas.coordinator.user.pk
    assert reads[0].summary == ("Jobdoelwit (voorwaarden over kinderopvang en loon); "
                                "Klaarheidschecks (gezondheid, gezin en financiën)")


def test_the_job_target_conflict_table_logs_the_stored_conditions(personas, login, confidential):
    throughflow_services.job_target_save(worker=personas.worker, actor=None, expected_version=1,
                                         data={**TARGET, "childcare": f"{MARK} nieuw"}, today=D(2025, 9, 1))
    url = reverse("throughflow:job_target_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = _last_id()
    response = login(personas.coach).post(url, {"occupation": "Kok", "work_type": "regular",
                                                "set_on": "01/08/2025", "childcare": "Geen", "version": "1"})
    assert response.status_code == 200 and response.context["conflict"]
    assert f"{MARK} nieuw" in response.content.decode()
    reads = _reads_since(before, personas.worker)
    assert [r.actor_id for r in reads] == [personas.coach.user.pk]
    assert reads[0] in indication_selectors.confidential_access_log(personas.worker)


def test_a_job_target_conflict_without_stored_conditions_logs_nothing(personas, login):
    plain = {**TARGET, "childcare": "", "pay_expectation": ""}
    throughflow_services.job_target_save(worker=personas.worker, actor=None, data=plain, today=D(2025, 9, 1))
    throughflow_services.job_target_save(worker=personas.worker, actor=None, expected_version=1,
                                         data={**plain, "occupation": "Chauffeur"}, today=D(2025, 9, 1))
    url = reverse("throughflow:job_target_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = _last_id()
    response = login(personas.coach).post(url, {"occupation": "Kok", "work_type": "regular",
                                                "set_on": "01/08/2025", "version": "1"})
    assert response.context["conflict"] and not _reads_since(before, personas.worker)


def test_the_readiness_conflict_table_logs_the_stored_health_note(personas, login):
    check = _check(personas.worker, answers=_answers(note="Eerst"))
    throughflow_services.readiness_check_save(worker=personas.worker, actor=None, check=check, expected_version=1,
                                              data={"date": D(2025, 5, 20), "summary": "Door Koen",
                                                    "decision": "not_yet", "next_check": D(2025, 9, 1),
                                                    "answers": _answers(note=MARK)}, today=D(2025, 6, 1))
    post = {"version": "1", "date": "20/05/2025", "summary": "Door Sara", "decision": "not_yet",
            "next_check": "01/09/2025", "requested_on": "", "planned_visit": "", "exception_reason": ""}
    for d in Determinant.values:
        post[f"{d}_assessment"] = "ready"
    url = reverse("throughflow:readiness_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                                        "check_pk": check.pk})
    before = _last_id()
    response = login(personas.coach).post(url, post)
    assert response.context["conflict"] and MARK in response.content.decode()
    reads = _reads_since(before, personas.worker)
    assert [r.actor_id for r in reads] == [personas.coach.user.pk]
    assert reads[0] in indication_selectors.confidential_access_log(personas.worker)


def test_a_saved_form_logs_no_read(personas, login, confidential):
    url = reverse("throughflow:job_target_edit", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    before = _last_id()
    response = login(personas.coach).post(url, {"occupation": "Kok", "work_type": "regular",
                                                "set_on": "01/08/2025", "version": "1"})
    assert response.status_code == 302 and not _reads_since(before, personas.worker)


def test_the_subject_access_file_is_in_the_confidential_access_log(personas, login, confidential):
    client = login(personas.coordinator)
    client.post(reverse("privacy:subject_access_create", kwargs={"org_slug": personas.org.slug,
                                                                 "pk": personas.worker.pk}))
    export = GeneratedFile.objects.get(worker_id=personas.worker.pk)
    before = _last_id()
    response = client.get(reverse("files:download", kwargs={"org_slug": personas.org.slug,
                                                                             "pk": export.pk}))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    reads = _reads_since(before, personas.worker)
    assert [r.actor_id for r in reads] == [personas.coordinator.user.pk]
    assert reads[0] in indication_selectors.confidential_access_log(personas.worker)
