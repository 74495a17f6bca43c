"""Builders for POP test data."""

import datetime

from django.core.files.base import ContentFile

from pop.models import (
    Competence,
    CompetenceKind,
    ImprovementAction,
    Pop,
    PopCompetence,
    PopStatus,
    PopVersion,
    Training,
    YearlyReview,
)
from tests.pdfs import CLEAN

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = CLEAN


def ensure_catalogue():
    """The catalogue comes from a data migration; a transactional (e2e) test earlier in the session
    flushes it, so it is put back where missing."""
    from pop.catalogue_data import GENERIC, seed_catalogue
    from pop.models import CompetenceLevel

    if Competence.objects.filter(organisation__isnull=True, kind="generic").count() < len(GENERIC):
        seed_catalogue(Competence, CompetenceLevel)


def generic(name="Stiptheid"):
    ensure_catalogue()
    return Competence.objects.get(organisation__isnull=True, kind=CompetenceKind.GENERIC, name=name)


def technical(activity_type="bicycle_point"):
    ensure_catalogue()
    return Competence.objects.filter(organisation__isnull=True, kind=CompetenceKind.TECHNICAL,
                                     activity_type=activity_type).order_by("order").first()


def make_version(worker, *, year=2026, number=None, status=PopStatus.DRAFT, actions=2, approved_on=None,
                 competences=None, registered_on=None):
    pop, _created = Pop.objects.get_or_create(worker=worker, year=year,
                                              defaults={"organisation_id": worker.organisation_id})
    version = PopVersion.objects.create(
        organisation_id=worker.organisation_id, pop=pop, number=number or pop.versions.count() + 1, status=status,
        long_term_goal="Werken in een fietsenwinkel", approved_on=approved_on, vdab_registered_on=registered_on)
    for competence, current, target in competences or [(generic(), 2, 3), (technical(), 1, 3)]:
        PopCompetence.objects.create(version=version, competence=competence, current_level=current,
                                     target_level=target)
    for i in range(actions):
        ImprovementAction.objects.create(version=version, what=f"Actie {i + 1}", supporter="Coach",
                                         due_date=datetime.date(2026, 6, 1), position=i)
    return version


def make_review_with_file(version):
    review = YearlyReview.objects.create(organisation_id=version.organisation_id, pop_version=version,
                                         date=datetime.date(2026, 1, 10), participants="A, B", ack_method="upload")
    review.ack_file.save("x.pdf", ContentFile(PDF), save=True)
    return review


def make_training(org, participants=(), certificate=True):
    training = Training.objects.create(organisation=org, course="VCA", provider="Syntra", provider_type="external",
                                       hours=8, start_date=datetime.date(2026, 3, 1), cost=100)
    training.participants.set(participants)
    if certificate:
        training.certificate.save("c.pdf", ContentFile(PDF), save=True)
    return training


def confirmed_history(worker):
    """Two approved POP versions: Stiptheid 2 → 3 (3 first confirmed by the second version), Samenwerken
    stays 2 (first confirmed by the first), Communicatie only 1 (below the default of the attestation)."""
    first = make_version(worker, year=2025, number=1, status=PopStatus.SUPERSEDED, actions=0,
                         approved_on=datetime.date(2025, 2, 10),
                         competences=[(generic("Stiptheid"), 2, 3), (generic("Samenwerken"), 2, 3)])
    second = make_version(worker, year=2026, number=1, status=PopStatus.APPROVED, actions=0,
                          approved_on=datetime.date(2026, 2, 5),
                          competences=[(generic("Stiptheid"), 3, 4), (generic("Samenwerken"), 2, 3),
                                       (generic("Communicatie"), 1, 2)])
    # A draft claims a higher level: not approved, so never printed.
    make_version(worker, year=2026, number=2, status=PopStatus.DRAFT, actions=0,
                 competences=[(generic("Stiptheid"), 4, 4)])
    return first, second


def finished_training(org, participants=(), *, days_ago=30, **fields):
    from django.utils import timezone

    end = timezone.localdate() - datetime.timedelta(days=days_ago)
    values = {"course": "Veilig werken met gereedschap", "provider": "Syntra Brussel", "provider_type": "external",
              "hours": 7.5, "start_date": end - datetime.timedelta(days=7), "end_date": end, "cost": 100, **fields}
    training = Training.objects.create(organisation=org, **values)
    training.participants.set(participants)
    return training


def competence_sample(worker):
    ensure_catalogue()
    confirmed_history(worker)
    return {"language": "nl"}


def training_sample(worker):
    training = finished_training(worker.organisation, [worker])
    return {"participation": str(training.pk), "language": "nl"}


def printout_sample(worker):
    ensure_catalogue()
    version = make_version(worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 5))
    return {"version": str(version.pk), "language": "nl"}
