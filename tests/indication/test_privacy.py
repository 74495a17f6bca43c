"""Subject access includes the indication data; the confidential section is removed after exit."""

import datetime

import pytest

from indication import privacy, services
from indication.models import Advice, ComplementarityProfile, ContextProblem, NeedsAssessment, Referral
from lde_portal.privacy.models import RetentionPolicy
from lde_portal.privacy.registry import collect
from lde_portal.privacy.retention import HANDLERS
from tests.indication.matrix import advice

pytestmark = pytest.mark.django_db
D = datetime.date


def _confidential(p):
    from indication.models import IcfItem

    d240 = IcfItem.objects.get(code="d240", organisation__isnull=True)
    services.needs_assessment_create(worker=p.worker, actor=p.coach.user, date=D(2025, 1, 10),
                                     scores=[{"item": d240, "qualifier": 2, "facilitator": None, "note": "stress"}])
    services.complementarity_save(worker=p.worker, actor=p.coach.user, data={"working_hours": "4/5"})
    problem = services.context_problem_save(worker=p.worker, actor=p.coach.user, data={
        "kind": "debts", "description": "schuldbemiddeling", "noted_on": D(2025, 2, 1)})
    services.referral_save(problem=problem, actor=p.coach.user, data={
        "service": "caw", "referred_on": D(2025, 2, 2), "status": "in_progress"})


def test_subject_access_file_contains_the_indication_and_confidential_data(personas):
    _confidential(personas)
    advice(personas.worker, note="advies-notitie")
    text = str(collect(personas.worker))
    for expected in ["advies-notitie", "d240", "stress", "4/5", "schuldbemiddeling", "CAW"]:
        assert expected in text


def test_confidential_section_is_removed_after_the_retention_period_and_advices_stay(personas):
    assert "indication.confidential" in HANDLERS
    _confidential(personas)
    advice(personas.worker)
    personas.worker.status, personas.worker.status_since = "exited", D(2025, 3, 31)
    personas.worker.save()
    policy = RetentionPolicy(organisation=personas.org, confidential_months=12)
    assert privacy.find_expired_confidential(personas.org, D(2026, 3, 30), policy) == []
    items = privacy.find_expired_confidential(personas.org, D(2026, 3, 31), policy)
    assert [i.worker_id for i in items] == [personas.worker.pk]
    assert "schuldbemiddeling" not in items[0].description  # the dry-run page never shows contents
    privacy.apply_expired_confidential(items)
    for model in (NeedsAssessment, ComplementarityProfile, ContextProblem, Referral):
        assert not model.objects.filter(worker=personas.worker).exists()
    assert Advice.objects.filter(worker=personas.worker).exists()
    assert privacy.find_expired_confidential(personas.org, D(2026, 4, 1), policy) == []


def test_erasure_removes_the_confidential_section_and_free_text(personas):
    _confidential(personas)
    advice(personas.worker, note="persoonlijke notitie", consultant_name="An Verbeke")
    privacy.erase_worker(personas.worker)
    assert not ContextProblem.objects.exists() and not NeedsAssessment.objects.exists()
    kept = Advice.objects.get()
    assert kept.note == "" and kept.consultant_name == "" and kept.decision_date
