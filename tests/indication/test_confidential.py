"""The confidential section (docs/domain.md §7): guidance staff only, every read logged, managers see counts."""

import datetime

import pytest
from django.urls import reverse

from indication import services
from indication.models import IcfItem, NeedsAssessment
from lde_portal.audit.models import AuditAction, AuditEntry
from tests.indication.helpers import marked_confidential_notes
from tests.indication.matrix import CONFIDENTIAL_URLS
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db
MARKER = "GEHEIM-7f3a"


def _url(p, name, **kw):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kw})


@pytest.fixture
def secrets(personas):
    """Confidential data with the marker in every free-text field, for the worker the personas share."""
    w, author = personas.worker, personas.coach.user
    items = list(IcfItem.objects.filter(organisation__isnull=True))
    d240 = next(i for i in items if i.code == "d240")
    e310 = next(i for i in items if i.code == "e310")
    personal = next(i for i in items if i.component == "personal")
    first = services.needs_assessment_create(worker=w, actor=author, date=datetime.date(2026, 1, 10),
                                             note=f"{MARKER} note", scores=[
        {"item": d240, "qualifier": 3, "facilitator": None, "note": f"{MARKER} stress"},
        {"item": e310, "qualifier": 2, "facilitator": None, "note": ""},
        {"item": personal, "qualifier": None, "facilitator": None, "note": f"{MARKER} personal"}])
    second = services.needs_assessment_create(worker=w, actor=author, date=datetime.date(2026, 6, 10),
                                              note=f"{MARKER} later", scores=[
        {"item": d240, "qualifier": 1, "facilitator": None, "note": ""},
        {"item": e310, "qualifier": None, "facilitator": 2, "note": f"{MARKER} family"}])
    problem = marked_confidential_notes(w, author, MARKER)
    # The trail is append-only (a PostgreSQL trigger refuses DELETE): count only what comes after.
    baseline = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return {"first": first, "second": second, "problem": problem, "baseline": baseline}


@pytest.mark.parametrize("persona", ["manager", "org_admin"])
@pytest.mark.parametrize("url_name", CONFIDENTIAL_URLS)
def test_managers_and_org_admins_get_403_on_every_confidential_url(personas, secrets, client, persona, url_name):
    client.force_login(getattr(personas, persona).user)
    kwargs = {"org_slug": personas.org.slug, **MATRIX[url_name].kwargs(personas)}
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 403
    assert client.post(reverse(url_name, kwargs=kwargs), {"kind": "debts", "noted_on": "01/01/2026"}).status_code == 403
    assert not AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.READ_CONFIDENTIAL).exists()


@pytest.mark.parametrize("persona", ["manager", "org_admin"])
def test_confidential_text_never_appears_on_any_page_a_manager_can_open(personas, secrets, client, persona):
    """Every URL name of the permission matrix the role may open, with the fixture's ids."""
    client.force_login(getattr(personas, persona).user)
    opened = 0
    for url_name, row in sorted(MATRIX.items()):
        if row.method != "GET" or not row.allows(getattr(personas, persona).role):
            continue
        kwargs = {"org_slug": personas.org.slug, **row.kwargs(personas)}
        response = client.get(reverse(url_name, kwargs=kwargs), follow=True)
        # Some pages answer otherwise for this fixture (a redirect to the page it belongs on, a missing
        # logo); what matters is that nothing they show carries the marker. The matrix checks the codes.
        assert response.status_code < 500, url_name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.encode() not in body, f"confidential text on {url_name}"
        opened += response.status_code == 200
    assert opened >= 20
    assert not AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.READ_CONFIDENTIAL).exists()


def test_manager_sees_counts_only(personas, secrets, login):
    response = login(personas.manager).get(_url(personas, "indication:due_list"))
    body = response.content.decode()
    assert response.context["due"].counts == {"open_referrals": 1, "open_problems": 1, "assessed": 1}
    assert 'id="confidential-counts"' in body and MARKER not in body


@pytest.mark.parametrize("persona", ["coach", "coordinator"])
def test_guidance_staff_read_it_and_each_view_writes_exactly_one_audit_entry(personas, secrets, login, persona):
    client = login(getattr(personas, persona))
    response = client.get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{MARKER} debts" in body and f"{MARKER} hours" in body
    entry = AuditEntry.objects.filter(id__gt=secrets["baseline"]).get(action=AuditAction.READ_CONFIDENTIAL)
    assert entry.actor == getattr(personas, persona).user
    assert entry.worker_id == personas.worker.pk and entry.organisation == personas.org
    client.get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    assert AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.READ_CONFIDENTIAL).count() == 2


def test_the_tab_is_marked_and_listed_only_for_those_allowed(personas, secrets, login):
    coach_page = login(personas.coach).get(_url(personas, "trajects:worker_detail", pk=personas.worker.pk))
    assert "/confidential/" in coach_page.content.decode()
    manager_page = login(personas.manager).get(_url(personas, "trajects:worker_detail", pk=personas.worker.pk))
    assert "/confidential/" not in manager_page.content.decode()
    tab = login(personas.coordinator).get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    assert "confidential-banner" in tab.content.decode()


def test_unassigned_coach_gets_404(personas, secrets, login):
    response = login(personas.other_coach).get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.READ_CONFIDENTIAL).exists()


def test_successive_assessments_are_compared_side_by_side(personas, secrets, login):
    response = login(personas.coach).get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    comparison = response.context["c"].comparison
    assert comparison.before == secrets["first"] and comparison.after == secrets["second"]
    trends = {r.item.code: r.trend for _label, rows in comparison.groups for r in rows}
    assert trends["d240"] == "improved"  # 3 → 1
    assert trends["e310"] == "improved"  # barrier 2 → facilitator +2
    assert comparison.improved == 2 and comparison.worse == 0


def test_comparison_says_worse(personas, secrets, login):
    d240 = IcfItem.objects.get(code="d240", organisation__isnull=True)
    services.needs_assessment_create(worker=personas.worker, actor=personas.coach.user,
                                     date=datetime.date(2026, 9, 1),
                                     scores=[{"item": d240, "qualifier": 4, "facilitator": None, "note": ""}])
    c = login(personas.coach).get(_url(personas, "indication:confidential", pk=personas.worker.pk)).context["c"]
    rows = {r.item.code: r for _label, rows in c.comparison.groups for r in rows}
    assert rows["d240"].trend == "worse"
    chosen = login(personas.coach).get(_url(personas, "indication:confidential", pk=personas.worker.pk),
                                       {"a": secrets["first"].pk, "b": secrets["second"].pk}).context["c"]
    assert chosen.comparison.after == secrets["second"]


def test_assessment_form_saves_scores_and_writes_change_audit(personas, secrets, login):
    client = login(personas.coach)
    url = _url(personas, "indication:assessment_add", pk=personas.worker.pk)
    page = client.get(url)
    assert AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.READ_CONFIDENTIAL).count() == 1
    d240 = IcfItem.objects.get(code="d240", organisation__isnull=True)
    e310 = IcfItem.objects.get(code="e310", organisation__isnull=True)
    # Prefilled from the latest assessment: only what changed needs typing.
    assert page.context["form"].fields[f"q_{d240.pk}"].initial == "1"
    assert page.context["form"].fields[f"q_{e310.pk}"].initial == "+2"
    response = client.post(url, {"date": "20/11/2026", "note": "", f"q_{d240.pk}": "0", f"q_{e310.pk}": "+3",
                                 f"n_{d240.pk}": "rustiger"})
    assert response.status_code == 302
    latest = NeedsAssessment.objects.first()
    scores = {s.item.code: s for s in latest.scores.select_related("item")}
    assert scores["d240"].qualifier == 0 and scores["e310"].facilitator == 3
    assert AuditEntry.objects.filter(id__gt=secrets["baseline"]).filter(action=AuditAction.CREATE, object_type="indication.needsassessment").count() == 1


def test_assessment_in_the_future_is_refused(personas, secrets, login):
    d240 = IcfItem.objects.get(code="d240", organisation__isnull=True)
    response = login(personas.coach).post(_url(personas, "indication:assessment_add", pk=personas.worker.pk),
                                          {"date": "01/01/2099", f"q_{d240.pk}": "2"})
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert NeedsAssessment.objects.count() == 2


def test_referral_before_the_problem_is_refused_and_changes_are_audited(personas, secrets, login):
    client = login(personas.coach)
    url = _url(personas, "indication:referral_add", pk=personas.worker.pk, problem_pk=secrets["problem"].pk)
    response = client.post(url, {"service": "ocmw", "referred_on": "01/01/2026", "status": "referred"})
    assert response.context["form"].errors["referred_on"]
    assert client.post(url, {"service": "ocmw", "referred_on": "01/03/2026", "status": "referred"}).status_code == 302
    created = AuditEntry.objects.filter(id__gt=secrets["baseline"]).get(action=AuditAction.CREATE, object_type="indication.referral")
    assert created.worker_id == personas.worker.pk and MARKER not in str(created.changes)


def test_profile_edit_conflict_keeps_both_versions(personas, secrets, login):
    client = login(personas.coach)
    url = _url(personas, "indication:complementarity_edit", pk=personas.worker.pk)
    data = {"working_hours": "voltijds", "mobility": "car", "poverty_experience": "unknown", "version": 1}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "working_hours": "halftijds"})
    assert stale.status_code == 200 and stale.context["conflicts"]
    assert "halftijds" in stale.content.decode()


def test_coordinator_consults_the_access_log(personas, secrets, login):
    login(personas.coach).get(_url(personas, "indication:confidential", pk=personas.worker.pk))
    response = login(personas.coordinator).get(_url(personas, "indication:access_log", pk=personas.worker.pk))
    entries = response.context["entries"]
    # Only what happened after the fixture wrote its records (the trail is append-only: nothing is cleared).
    assert [e.actor for e in entries if e.id > secrets["baseline"]] == [personas.coach.user]
    services.complementarity_save(worker=personas.worker, actor=personas.coach.user,
                                  data={"working_hours": "voltijds"}, expected_version=1)
    latest = login(personas.coordinator).get(_url(personas, "indication:access_log", pk=personas.worker.pk))
    assert latest.context["entries"][0].label == "mogelijke werkuren"  # the label, never the content
    assert personas.coach.user.get_full_name() in response.content.decode()
    assert login(personas.coach).get(_url(personas, "indication:access_log", pk=personas.worker.pk)).status_code == 403


def test_org_admin_extends_the_icf_catalogue(personas, login):
    client = login(personas.org_admin)
    url = _url(personas, "indication:icf_catalogue")
    assert client.post(url, {"component": "d", "code": "", "label": "Stiptheid", "order": 5}).context["form"].errors["code"]
    assert client.post(url, {"component": "personal", "code": "", "label": "Stiptheid", "order": 5,
                             "active": "on"}).status_code == 302
    assert IcfItem.objects.filter(organisation=personas.org, label="Stiptheid").exists()
    assert IcfItem.objects.filter(organisation__isnull=True).count() == 67
