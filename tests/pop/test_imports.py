"""Trainings imported through pop.services.training_save, one row per training and participant."""

import datetime
from decimal import Decimal

import pytest

from lde_portal.accounts.models import Role
from pop.models import Training
from tests.factories import MembershipFactory, OrganisationFactory, valid_insz
from tests.imports_context import Context, apply, refused

pytestmark = pytest.mark.django_db

D = datetime.date
AN, BART = valid_insz(1, D(1985, 7, 30)), valid_insz(2, D(1985, 7, 30))


@pytest.fixture
def ctx():
    org = OrganisationFactory()
    context = Context(organisation=org, membership=MembershipFactory(organisation=org, role=Role.ORG_ADMIN),
                      today=D(2026, 3, 2))
    for insz, name in ((AN, "An"), (BART, "Bart")):
        apply(context, "workers", {"insz": insz, "last_name": "Peeters", "first_name": name})
    return context


def row(**overrides):
    return {"insz": AN, "course": "Veilig werken met de bosmaaier", "provider": "Groenacademie",
            "provider_type": "external", "start_date": D(2025, 3, 12), "end_date": None, "hours": Decimal("7.5"),
            "cost": Decimal("120.00"), **overrides}


def test_training_created_joined_unchanged_updated(ctx):
    assert apply(ctx, "trainings", row()).action == "created"
    outcome = apply(ctx, "trainings", row(insz=BART))
    assert (outcome.action, outcome.changes) == ("updated", {"insz": (None, BART)})
    assert apply(ctx, "trainings", row(insz=BART)).action == "unchanged"
    outcome = apply(ctx, "trainings", row(hours=Decimal("8")))
    assert outcome.changes == {"hours": (Decimal("7.5"), Decimal("8"))}
    training = Training.objects.get()
    assert sorted(w.first_name for w in training.participants.all()) == ["An", "Bart"]


def test_training_of_an_unknown_worker_is_refused(ctx):
    error = refused(ctx, "trainings", row(insz=valid_insz(3)))
    assert error.column == "insz"
