"""The handover summary for the next employer (issue #8): only on a current consent, only the parts the
consent names, never anything of the confidential section."""

import datetime

import pytest
from django.urls import reverse

from lde_portal.documents import services as documents
from lde_portal.documents.models import IssuedDocument
from lde_portal.documents.registry import DocumentDataError
from lde_portal.documents.rendering import render_html
from tests.documents.helpers import pdf_text
from tests.indication.helpers import marked_confidential_notes
from tests.pop.helpers import confirmed_history, ensure_catalogue
from tests.throughflow.helpers import handover_sample
from throughflow import services
from throughflow.models import HandoverConsent, Internship, JobTarget

pytestmark = pytest.mark.django_db
MARKER = "OVERDRACHT-MARKER-5d1e"


def _issue(worker, membership, data):
    doc = documents.document_issue(kind="handover_summary", worker=worker, membership=membership, data=data)
    return pdf_text(doc.file.read())


def test_summary_prints_the_expected_facts(personas, named_worker):
    ensure_catalogue()
    confirmed_history(named_worker)
    data = handover_sample(named_worker)
    text = _issue(named_worker, personas.coach, data)
    for expected in ["Ahmed Benali", "Fietsen Vermeulen", "20/08/2025", "Fietspunt", "Stiptheid", "niveau 3 van 4",
                     "Fietshersteller", "Fietshandel", "Reguliere job", "02/06/2025", "29/08/2025",
                     "Banden plakken", "Afgerond met een jobaanbod", "Eén taak tegelijk uitleggen",
                     "Een vaste collega als aanspreekpunt", "Telefoon na de eerste week"]:
        assert expected in text, expected


def test_only_the_parts_in_the_consent_are_printed(personas, named_worker):
    handover_sample(named_worker)
    consent = services.consent_record(worker=named_worker, actor=None, data={
        "employer": HandoverConsent.objects.get().employer, "given_on": datetime.date(2025, 8, 25),
        "scope": ["notes"]})
    text = _issue(named_worker, personas.coach, {"consent": str(consent.pk), "language": "nl"})
    assert "Telefoon na de eerste week" in text
    for absent in ["Fietshersteller", "Banden plakken", "Fietspunt"]:
        assert absent not in text, absent


@pytest.mark.parametrize("case", ["none", "withdrawn", "other_worker", "empty"])
def test_no_summary_without_a_current_consent(personas, named_worker, case):
    data = handover_sample(named_worker)
    consent = HandoverConsent.objects.get()
    if case == "withdrawn":
        services.consent_withdraw(consent=consent, actor=None, withdrawn_on=consent.given_on)
    elif case == "other_worker":
        from tests.factories import WorkerFactory

        other = WorkerFactory(organisation=personas.org)
        data = {"consent": str(services.consent_record(worker=other, actor=None, data={
            "employer": consent.employer, "given_on": consent.given_on, "scope": ["notes"]}).pk), "language": "nl"}
    elif case == "none":
        consent.delete()
    elif case == "empty":
        data = {"consent": "", "language": "nl"}
    with pytest.raises(DocumentDataError, match="toestemming|consent"):
        documents.document_issue(kind="handover_summary", worker=named_worker, membership=personas.coach, data=data)
    assert not IssuedDocument.objects.exists()


def test_form_preview_issue_through_the_documents_tab(personas, named_worker, login):
    client = login(personas.coach)
    url = reverse("documents:issue", kwargs={"org_slug": personas.org.slug, "pk": named_worker.pk,
                                             "kind": "handover_summary"})
    # Without consent: a clear message and no document.
    response = client.post(url, {"consent": "", "language": "nl", "action": "preview"})
    assert response.status_code == 200
    assert "Er is geen geregistreerde toestemming" in response.content.decode()
    data = handover_sample(named_worker)
    form = client.get(url)
    assert form.context["form"]["consent"].value() == data["consent"]
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200 and "Een vaste collega als aanspreekpunt" in preview.content.decode()
    assert not IssuedDocument.objects.exists()
    issued = client.post(url, {**data, "action": "issue"})
    assert issued.status_code == 302
    doc = IssuedDocument.objects.get()
    assert doc.kind == "handover_summary"
    tab = client.get(reverse("documents:worker_documents",
                             kwargs={"org_slug": personas.org.slug, "pk": named_worker.pk}))
    assert doc.number in tab.content.decode()


def test_confidential_and_private_text_never_reaches_the_summary(personas, named_worker):
    """The marker sits in the confidential section (context problem, referral, needs profile) and in every
    placement field the summary must not print: job-target conditions, internship evaluations and mentor,
    applications."""
    marked_confidential_notes(named_worker, personas.coach.user, MARKER)
    data = handover_sample(named_worker)
    JobTarget.objects.update(childcare=MARKER, pay_expectation=MARKER, other_conditions=MARKER)
    Internship.objects.update(mentor=MARKER, employer_evaluation=MARKER, worker_evaluation=MARKER, employer_rating=2)
    services.application_save(worker=named_worker, actor=None, data={
        "employer_name": MARKER, "date": datetime.date(2025, 8, 1), "channel": "network", "position": MARKER,
        "note": MARKER})
    text = _issue(named_worker, personas.coach, data)
    assert "Fietshersteller" in text and MARKER not in text
    context = documents.document_preview_context(kind="handover_summary", worker=named_worker,
                                                 membership=personas.coach, data=data)
    assert MARKER not in render_html("handover_summary", context, preview=True)
