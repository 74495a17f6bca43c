"""The POP's document kinds: what each PDF states, what it never states, the forms and the batch for a
training's participants."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from lde_portal.documents import services
from lde_portal.documents.models import IssuedDocument
from lde_portal.documents.registry import DocumentDataError
from lde_portal.files.models import GeneratedFile
from pop.documents import CompetenceForm, PrintoutForm, TrainingForm
from pop.models import ImprovementAction, PopSchedule, PopStatus, PopVersion, WeeklyFeedback, YearlyReview
from tests.documents.helpers import pdf_text
from tests.factories import CoachAssignmentFactory, WorkerFactory
from tests.pop.helpers import confirmed_history, finished_training, generic, make_version

pytestmark = pytest.mark.django_db

MARKER = "POP-MARKER-91c2"
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def worker(personas):
    w = personas.worker
    w.first_name, w.last_name = "Ahmed", "Benali"
    for field in ["street", "municipality", "phone", "emergency_contact_name"]:
        setattr(w, field, MARKER)
    w.save()
    return w


def _mark_pop_free_text(worker, version):
    """Free text of the POP that is not meant for print: review conclusions, the worker's view at the
    review, weekly observations and next steps, the preparation notes and dropped actions."""
    YearlyReview.objects.create(organisation_id=worker.organisation_id, pop_version=version,
                                date=datetime.date(2026, 2, 1), participants=MARKER, conclusions=MARKER,
                                worker_view=MARKER)
    WeeklyFeedback.objects.create(organisation_id=worker.organisation_id, worker=worker,
                                  week_start=datetime.date(2026, 1, 5), presence="present", observation=MARKER,
                                  next_step=MARKER)
    version.preparation = {"notes": MARKER}
    version.save()
    ImprovementAction.objects.create(version=version, what=f"{MARKER} dropped", status="dropped", position=9)


def _issue(kind, worker, membership, data):
    doc = services.document_issue(kind=kind, worker=worker, membership=membership, data={"language": "nl", **data})
    return pdf_text(doc.file.read())


# --------------------------------------------------------------------------- competence attestation


@time_machine.travel(NOW)
def test_competence_attestation_prints_levels_and_first_confirmation_dates(personas, worker):
    first, second = confirmed_history(worker)
    _mark_pop_free_text(worker, second)
    text = _issue("competence_attestation", worker, personas.coach, {})
    for expected in ["Competentieattest", "Ahmed Benali", "Stiptheid", "niveau 3 van 4", "05/02/2026",
                     "Samenwerken", "niveau 2 van 4", "10/02/2025", "van 10/02/2025 tot 05/02/2026",
                     "Komt bijna altijd op tijd."]:
        assert expected in text, expected
    # Level 1 is below the default; the draft's level 4 was never approved.
    assert "Communicatie" not in text
    assert "niveau 4 van 4" not in text
    assert MARKER not in text


@pytest.mark.parametrize("rows, expected", [
    # (version approved_on, level) per approved version → (level printed, date printed)
    ([(datetime.date(2025, 1, 1), 2), (datetime.date(2026, 1, 1), 2)], (2, datetime.date(2025, 1, 1))),
    ([(datetime.date(2025, 1, 1), 2), (datetime.date(2026, 1, 1), 3)], (3, datetime.date(2026, 1, 1))),
    ([(datetime.date(2025, 1, 1), 3), (datetime.date(2026, 1, 1), 2)], (3, datetime.date(2025, 1, 1))),
    ([(datetime.date(2024, 1, 1), 2), (datetime.date(2025, 1, 1), 4), (datetime.date(2026, 1, 1), 4)],
     (4, datetime.date(2025, 1, 1))),
])
def test_highest_level_and_the_date_it_was_first_confirmed(personas, worker, rows, expected):
    from lde_portal.documents.registry import PrintableWorker
    from pop.documents import build_competences

    for i, (approved_on, level) in enumerate(rows):
        status = PopStatus.APPROVED if i == len(rows) - 1 else PopStatus.SUPERSEDED
        make_version(worker, year=approved_on.year, status=status, approved_on=approved_on, actions=0,
                     competences=[(generic("Stiptheid"), level, 4)])
    facts = build_competences(PrintableWorker.of(worker), personas.coach, {"language": "nl", "min_level": 1})
    assert [(c["level"], c["confirmed_on"]) for c in facts["competences"]] == [expected]


def test_competence_form_preselects_level_two_and_up_and_prints_only_the_ticked(personas, worker):
    confirmed_history(worker)
    from lde_portal.documents.registry import PrintableWorker

    form = CompetenceForm(worker=PrintableWorker.of(worker), membership=personas.coach)
    by_name = {label.split(":")[0]: pk for pk, label in form.fields["competences"].choices}
    assert set(by_name) == {"Stiptheid", "Samenwerken", "Communicatie"}
    assert sorted(form.fields["competences"].initial) == sorted([by_name["Stiptheid"], by_name["Samenwerken"]])
    form = CompetenceForm({"competences": [by_name["Communicatie"]], "language": "nl"},
                          worker=PrintableWorker.of(worker), membership=personas.coach)
    assert form.is_valid(), form.errors
    text = _issue("competence_attestation", worker, personas.coach, form.document_data())
    assert "Communicatie" in text and "niveau 1 van 4" in text and "Stiptheid" not in text
    empty = CompetenceForm({"language": "nl"}, worker=PrintableWorker.of(worker), membership=personas.coach)
    assert not empty.is_valid() and "competences" in empty.errors


def test_no_approved_pop_means_no_competence_attestation(personas, worker):
    make_version(worker, status=PopStatus.DRAFT)
    with pytest.raises(DocumentDataError, match="geen competentie"):
        services.document_issue(kind="competence_attestation", worker=worker, membership=personas.coach,
                                data={"language": "nl"})


# --------------------------------------------------------------------------- training attestation


def test_training_attestation_prints_course_provider_hours_and_dates(personas, worker):
    training = finished_training(personas.org, [worker], start_date=datetime.date(2026, 3, 2),
                                 end_date=datetime.date(2026, 3, 6), hours=7.5)
    text = _issue("training_attestation", worker, personas.coach, {"participation": str(training.pk)})
    for expected in ["Opleidingsattest", "Ahmed Benali", "Veilig werken met gereedschap", "Syntra Brussel", "7,5",
                     "van 02/03/2026 tot 06/03/2026"]:
        assert expected in text, expected
    assert MARKER not in text


def test_training_form_offers_only_the_workers_finished_trainings(personas, worker):
    from lde_portal.documents.registry import PrintableWorker

    mine = finished_training(personas.org, [worker], course="Heftruck")
    finished_training(personas.org, [worker], course="Nog bezig", days_ago=-10)
    finished_training(personas.org, [], course="Niet gevolgd")
    form = TrainingForm(worker=PrintableWorker.of(worker), membership=personas.coach)
    assert [pk for pk, _label in form.fields["participation"].choices if pk] == [str(mine.pk)]


def test_training_builder_refuses_a_course_the_worker_did_not_take(personas, worker):
    other = finished_training(personas.org, [WorkerFactory(organisation=personas.org)])
    with pytest.raises(DocumentDataError, match="niet deelgenomen"):
        services.document_issue(kind="training_attestation", worker=worker, membership=personas.coach,
                                data={"language": "nl", "participation": str(other.pk)})


def test_batch_for_a_trainings_participants_issues_one_attestation_each(personas, django_capture_on_commit_callbacks):
    participants = [WorkerFactory(organisation=personas.org) for _ in range(3)]
    for w in participants:
        CoachAssignmentFactory(worker=w, coach=personas.coach)
    training = finished_training(personas.org, participants)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_start(kind="training_attestation", membership=personas.coordinator,
                                     worker_ids=[w.pk for w in participants],
                                     data={"language": "nl", "course": str(training.pk)})
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.failed) == ("done", 3, 0)
    documents = IssuedDocument.objects.filter(batch=batch)
    assert sorted(d.worker_id for d in documents) == sorted(w.pk for w in participants)
    for doc in documents:
        assert "Veilig werken met gereedschap" in pdf_text(doc.file.read())


def test_training_page_links_to_the_batch_with_the_participants_preselected(personas, login):
    participants = [WorkerFactory(organisation=personas.org, last_name=f"Deelnemer{i}") for i in range(2)]
    training = finished_training(personas.org, participants)
    slug = personas.org.slug
    batch_url = reverse("documents:attestations", kwargs={"org_slug": slug})
    link = re.compile(re.escape(batch_url) + r"\?kind=training_attestation&amp;opt-course=(\d+)&amp;workers=([\d,]+)")
    for url in [reverse("pop:training_list", kwargs={"org_slug": slug}),
                reverse("pop:training_edit", kwargs={"org_slug": slug, "training_pk": training.pk})]:
        body = login(personas.coordinator).get(url).content.decode()
        assert "Attesten voor alle deelnemers" in body
        course, workers = link.search(body).groups()
        assert course == str(training.pk)
        assert sorted(workers.split(",")) == sorted(str(w.pk) for w in participants)
    # A coach cannot start batches: no button.
    CoachAssignmentFactory(worker=participants[0], coach=personas.coach)
    body = login(personas.coach).get(reverse("pop:training_list", kwargs={"org_slug": slug})).content.decode()
    assert "Attesten voor alle deelnemers" not in body
    # The batch page opens with the kind, the course and the participants chosen.
    href = link.search(login(personas.coordinator).get(url).content.decode()).group(0)
    page = login(personas.coordinator).get(href.replace("&amp;", "&"))
    options, form = page.context["options"], page.context["form"]
    assert options["course"].value() == str(training.pk)
    assert sorted(form["workers"].value()) == sorted(str(w.pk) for w in participants)


def test_no_batch_link_before_the_training_is_over(personas, login):
    training = finished_training(personas.org, [personas.worker], days_ago=-3)
    url = reverse("pop:training_edit", kwargs={"org_slug": personas.org.slug, "training_pk": training.pk})
    body = login(personas.coordinator).get(url).content.decode()
    assert "Attesten voor alle deelnemers" not in body


# --------------------------------------------------------------------------- POP printout


@time_machine.travel(NOW)
def test_pop_printout_prints_goals_competences_and_actions_in_plain_language(personas, worker):
    version = make_version(worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 5), actions=0,
                           competences=[(generic("Stiptheid"), 2, 3), (generic("Samenwerken"), 3, 3)])
    version.short_term_goal, version.job_target = "Alleen een band vervangen", "Fietshersteller"
    version.save()
    ImprovementAction.objects.create(version=version, what="Elke dag de wekker zetten", supporter="Mijn coach",
                                     how="Met een app", due_date=datetime.date(2026, 6, 1))
    ImprovementAction.objects.create(version=version, what="Een cursus volgen", status="done", position=1)
    PopSchedule.objects.create(organisation_id=worker.organisation_id, worker=worker,
                               review_due=datetime.date(2027, 2, 5))
    _mark_pop_free_text(worker, version)
    text = _issue("pop_printout", worker, personas.coach, {"version": str(version.pk)})
    for expected in ["Mijn plan voor 2026, Ahmed Benali", "Werken in een fietsenwinkel", "Alleen een band vervangen",
                     "Fietshersteller", "Stiptheid", "Komt soms te laat.", "stap 2 van 4", "stap 3 van 4",
                     "Samenwerken", "Elke dag de wekker zetten", "Mijn coach", "Met een app", "01/06/2026",
                     "Een cursus volgen ✓", "05/02/2026", "05/02/2027"]:
        assert expected in text, expected
    assert MARKER not in text


def test_printout_form_offers_approved_versions_only(personas, worker):
    from lde_portal.documents.registry import PrintableWorker

    approved = make_version(worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 5))
    draft = make_version(worker, status=PopStatus.DRAFT)
    form = PrintoutForm(worker=PrintableWorker.of(worker), membership=personas.coach)
    assert [pk for pk, _label in form.fields["version"].choices] == [str(approved.pk)]
    with pytest.raises(DocumentDataError):
        services.document_issue(kind="pop_printout", worker=worker, membership=personas.coach,
                                data={"language": "nl", "version": str(draft.pk)})


def test_issue_views_work_end_to_end_for_the_pop_kinds(personas, worker, login):
    confirmed_history(worker)
    training = finished_training(personas.org, [worker])
    version = make_version(worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 3, 1), year=2027)
    client = login(personas.coach)
    def issue_url(kind):
        return reverse("documents:issue", kwargs={"org_slug": personas.org.slug, "pk": worker.pk, "kind": kind})

    for kind, data in [("competence_attestation", {}), ("training_attestation", {"participation": training.pk}),
                       ("pop_printout", {"version": version.pk})]:
        assert client.get(issue_url(kind)).status_code == 200
        if kind == "competence_attestation":
            form = client.get(issue_url(kind)).context["form"]
            data = {"competences": form.fields["competences"].initial}
        response = client.post(issue_url(kind), {**data, "language": "nl", "action": "issue"})
        assert response.status_code == 302, kind
    assert IssuedDocument.objects.filter(worker_id=worker.pk).count() == 3
    assert not GeneratedFile.objects.exists()


def test_pop_tab_offers_the_printout_as_a_document_for_an_approved_plan(personas, login):
    url = reverse("pop:pop_tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})
    issue = reverse("documents:issue", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk,
                                               "kind": "pop_printout"})
    make_version(personas.worker, status=PopStatus.DRAFT)
    assert issue not in login(personas.coach).get(url).content.decode()
    make_version(personas.worker, year=2025, status=PopStatus.APPROVED, approved_on=datetime.date(2025, 3, 1))
    PopVersion.objects.filter(status=PopStatus.DRAFT).delete()
    body = login(personas.coach).get(url).content.decode()
    assert issue in body and "Uitreiken als document" in body
