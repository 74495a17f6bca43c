"""Exits and follow-ups imported through the throughflow services (lde_portal/imports/registry.py)."""

import datetime
from decimal import Decimal

import pytest

from lde_portal.accounts.models import Role
from tests.factories import ActivityFactory, MembershipFactory, OrganisationFactory, valid_insz
from tests.imports_context import Context, apply, refused
from throughflow.models import Exit, FollowUp
from trajects.models import Trajectory, Worker

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 9, 1)
INSZ = valid_insz(1, D(1985, 7, 30))


@pytest.fixture
def ctx():
    org = OrganisationFactory()
    ActivityFactory(organisation=org, name="Fietspunt")
    admin = MembershipFactory(organisation=org, role=Role.ORG_ADMIN)
    context = Context(organisation=org, membership=admin, today=TODAY)
    apply(context, "workers", {"insz": INSZ, "last_name": "Peeters", "first_name": "An", "status": "exited",
                               "status_since": D(2026, 1, 31)})
    apply(context, "contracts", {"insz": INSZ, "activity": "Fietspunt", "contract_start": D(2024, 9, 1),
                                 "contract_end": D(2026, 1, 31), "weekly_hours": Decimal("30")})
    apply(context, "trajectories", {"insz": INSZ, "regime": "IMW_5Y", "start": D(2024, 9, 1),
                                    "decision_date": D(2024, 8, 15), "closed_on": D(2026, 1, 31),
                                    "closed_reason": "exit"})
    return context


def exit_row(**overrides):
    return {"insz": INSZ, "date": D(2026, 1, 31), "reason": "external", "destination_employer": "Bakkerij Smet",
            "contract_type": "open_ended", "weekly_hours": Decimal("38"), "support_after": "none", "note": "",
            **overrides}


def test_exit_closes_the_trajectory_and_plans_the_follow_ups(ctx):
    worker = Worker.objects.get(insz=INSZ)
    assert worker.status == "active"
    assert Trajectory.objects.get(worker=worker).closed_on is None
    assert apply(ctx, "exits", exit_row()).action == "created"
    worker.refresh_from_db()
    trajectory = Trajectory.objects.get(worker=worker)
    assert (worker.status, worker.status_since) == ("exited", D(2026, 1, 31))
    assert (trajectory.closed_on, trajectory.closed_reason) == (D(2026, 1, 31), "exit")
    assert Exit.objects.get().trajectory == trajectory
    assert FollowUp.objects.filter(worker=worker).exists()
    assert apply(ctx, "exits", exit_row()).action == "unchanged"
    # the trajectory row of the same file is unchanged on a second run
    assert apply(ctx, "trajectories", {"insz": INSZ, "regime": "IMW_5Y", "start": D(2024, 9, 1),
                                       "decision_date": D(2024, 8, 15), "closed_on": D(2026, 1, 31),
                                       "closed_reason": "exit"}).action == "unchanged"


@pytest.mark.parametrize(("overrides", "column", "message"), [
    ({"date": D(2026, 9, 2)}, "date", "De uitstroomdatum kan niet in de toekomst liggen (vandaag is 01/09/2026)."),
    ({"date": D(2024, 8, 1)}, "date",
     "De uitstroomdatum ligt vóór de start van de tewerkstelling of het traject (01/09/2024)."),
])
def test_exit_refusals(ctx, overrides, column, message):
    error = refused(ctx, "exits", exit_row(**overrides))
    assert (error.column, str(error.message)) == (column, message)
    assert not Exit.objects.exists()


def test_exit_recorded_with_other_data_is_refused(ctx):
    apply(ctx, "exits", exit_row())
    error = refused(ctx, "exits", exit_row(reason="dismissal"))
    assert (error.column, str(error.message)) == (
        "reason", "De uitstroom van deze werknemer op 31/01/2026 is al geregistreerd met andere gegevens: "
                  "verbeter ze in het portaal.")


def test_follow_up_recorded_then_unchanged(ctx):
    apply(ctx, "exits", exit_row())
    months = FollowUp.objects.order_by("months").values_list("months", flat=True)[0]
    due = FollowUp.objects.get(months=months).due
    row = {"insz": INSZ, "months": months, "done_on": due, "still_employed": True, "same_employer": True,
           "support_needed": False, "note": ""}
    outcome = apply(ctx, "followups", row)
    assert outcome.action == "updated"
    assert outcome.changes["done_on"] == (None, due)
    assert apply(ctx, "followups", row).action == "unchanged"
    error = refused(ctx, "followups", {**row, "months": 7})
    assert error.column == "months"
    assert str(error.message).startswith("Er is geen opvolging 7 maanden na de uitstroom; de opvolgingen van deze "
                                         "werknemer vallen op ")
