"""The readiness checks, and what the check form reads from the POP and the indication app."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from indication import selectors as indication_selectors
from indication.models import EvaluationReason
from lde_portal.dossier import visible_worker
from pop.models import OPEN_STATUSES, PopCompetence, PopStatus, PopVersion
from trajects.selectors import ruleset as trajects_ruleset

from ..models import ReadinessAnswer, ReadinessCheck


def readiness_checks_for(worker):
    """The worker's readiness checks, newest first, with their assessments and evaluation request (two queries)."""
    return list(ReadinessCheck.objects.filter(worker=worker)
                .select_related("evaluation_request", "created_by")
                .prefetch_related(Prefetch("answers", queryset=ReadinessAnswer.objects.order_by("id")))
                .order_by("-date", "-id"))


def readiness_check_for(membership, pk, check_pk):
    worker = visible_worker(membership, pk)
    check = get_object_or_404(ReadinessCheck.objects.select_related("evaluation_request", "created_by", "updated_by")
                              .prefetch_related("answers"), pk=check_pk, worker=worker)
    return worker, check


@dataclass
class PopCompetences:
    """What the worker's current POP says, read-only for the readiness check (the POP stays the pop app's)."""

    version: object
    competences: list
    job_target: str = ""


def pop_competences_for(worker):
    """The competences of the current POP: the approved version, else the plan being drafted (two queries)."""
    versions = list(PopVersion.objects.filter(pop__worker=worker, status__in=[PopStatus.APPROVED, *OPEN_STATUSES])
                    .select_related("pop").order_by("-pop__year", "-number"))
    version = next((v for v in versions if v.status == PopStatus.APPROVED), versions[0] if versions else None)
    if version is None:
        return PopCompetences(None, [])
    competences = list(PopCompetence.objects.filter(version=version).select_related("competence"))
    return PopCompetences(version, competences, version.job_target)


def evaluation_basis_for(worker):
    """The earliest date the rules allow an evaluation request (shown on the readiness form)."""
    basis = indication_selectors.worker_evaluation_basis(worker, list(worker.advices.all()),
                                                         trajects_ruleset())
    return basis.earliest_for(EvaluationReason.THROUGHFLOW_READINESS)
