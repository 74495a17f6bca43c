"""VDAB advices and evaluation requests imported through the indication services."""

import datetime

import pytest

from indication.models import Advice, EvaluationRequest
from lde_portal.accounts.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, valid_insz
from tests.imports_context import Context, apply, refused

pytestmark = pytest.mark.django_db

D = datetime.date
INSZ = valid_insz(1, D(1985, 7, 30))


@pytest.fixture
def ctx():
    org = OrganisationFactory()
    context = Context(organisation=org, membership=MembershipFactory(organisation=org, role=Role.ORG_ADMIN),
                      today=D(2026, 3, 2))
    apply(context, "workers", {"insz": INSZ, "last_name": "Peeters", "first_name": "An",
                               "status_since": D(2024, 9, 1)})
    apply(context, "trajectories", {"insz": INSZ, "regime": "IMW_5Y", "start": D(2024, 9, 1),
                                    "decision_date": D(2024, 8, 15)})
    return context


def advice_row(**overrides):
    return {"insz": INSZ, "type": "imw_attestation", "decision_date": D(2024, 8, 15), "issuing_body": "vdab",
            "consultant_name": "Sara Claes", "referred_on": None, "valid_until": D(2029, 8, 14),
            "destination": "imw", "wage_premium_percent": 40, "guidance_premium": None, "favourable": True,
            "note": "", **overrides}


def test_advice_created_unchanged_updated(ctx):
    assert apply(ctx, "advices", advice_row()).action == "created"
    assert apply(ctx, "advices", advice_row()).action == "unchanged"
    outcome = apply(ctx, "advices", advice_row(consultant_name="Sara Claes-Wouters"))
    assert outcome.changes == {"consultant_name": ("Sara Claes", "Sara Claes-Wouters")}
    assert Advice.objects.count() == 1


def test_advice_valid_until_before_decision_is_refused(ctx):
    error = refused(ctx, "advices", advice_row(valid_until=D(2024, 1, 1)))
    assert error.column == "valid_until"
    assert not Advice.objects.exists()


def test_evaluation_request_created_and_unchanged(ctx):
    row = {"insz": INSZ, "reason": "early_medical", "requested_on": D(2026, 2, 1), "exception_reason": "",
           "planned_visit": None, "outcome": None, "decision_date": None, "note": ""}
    outcome = apply(ctx, "evaluations", row)
    assert outcome.action == "created", outcome
    assert apply(ctx, "evaluations", row).action == "unchanged"
    assert EvaluationRequest.objects.count() == 1
