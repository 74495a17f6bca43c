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
    assert (outcome.action, outcome.changes) == ("created", {})
    assert apply(ctx, "trainings", row(insz=BART)).action == "unchanged"
    outcome = apply(ctx, "trainings", row(hours=Decimal("8")))
    assert outcome.changes == {"hours": (Decimal("7.5"), Decimal("8"))}
    training = Training.objects.get()
    assert sorted(w.first_name for w in training.participants.all()) == ["An", "Bart"]


def test_training_of_an_unknown_worker_is_refused(ctx):
    error = refused(ctx, "trainings", row(insz=valid_insz(3)))
    assert error.column == "insz"


# --------------------------------------------------------------------------- the current POP

YEAR = 2026


def plan_rows(insz=AN):
    return [
        ("pop_competences", {"insz": insz, "year": YEAR, "competence": "Stiptheid", "current_level": 2,
                             "target_level": 3, "focus": True}),
        ("pop_competences", {"insz": insz, "year": YEAR, "competence": "Samenwerken", "current_level": 1,
                             "target_level": 2, "focus": None}),
        ("pop_actions", {"insz": insz, "year": YEAR, "what": "Elke ochtend om 8u aanwezig zijn",
                         "supporter": "Jobcoach", "how": "Wekker", "due_date": D(2026, 6, 30), "status": None}),
        ("pop_actions", {"insz": insz, "year": YEAR, "what": "Zelf de planning nakijken", "supporter": "",
                         "how": "", "due_date": None, "status": "done"}),
    ]


def test_plan_is_created_through_the_services_and_a_second_run_changes_nothing(ctx):
    from pop.models import PopVersion

    assert [apply(ctx, sheet, values).action for sheet, values in plan_rows()] == ["created"] * 4
    version = PopVersion.objects.get(pop__worker__insz=AN)
    assert (version.pop.year, version.number, version.status) == (YEAR, 1, "draft")
    assert sorted((pc.competence.name, pc.current_level, pc.target_level, pc.focus)
                  for pc in version.competences.select_related("competence")) == [
        ("Samenwerken", 1, 2, True), ("Stiptheid", 2, 3, True)]
    assert [(a.what, a.supporter, a.due_date, a.status) for a in version.actions.all()] == [
        ("Elke ochtend om 8u aanwezig zijn", "Jobcoach", D(2026, 6, 30), "open"),
        ("Zelf de planning nakijken", "", None, "done")]
    assert [apply(ctx, sheet, values).action for sheet, values in plan_rows()] == ["unchanged"] * 4
    outcome = apply(ctx, "pop_competences", {**plan_rows()[0][1], "current_level": 3})
    assert (outcome.action, outcome.changes) == ("updated", {"current_level": (2, 3)})


def test_plan_approved_and_registered_gets_its_review_deadline(ctx):
    from pop.models import PopSchedule, PopVersion

    tech = {"insz": AN, "year": YEAR, "competence": "band herstellen en vervangen", "current_level": 1,
            "target_level": 2}
    for sheet, values in plan_rows():
        apply(ctx, sheet, values)
    pop_row = {"insz": AN, "year": YEAR, "long_term_goal": "Vast werk", "status": "approved",
               "approved_on": D(2026, 1, 15), "vdab_registered_on": D(2026, 1, 20)}
    error = refused(ctx, "pops", pop_row)
    assert (error.column, error.message) == (
        "status", "Kies minstens één technische competentie met het huidige niveau en het doel.")
    assert apply(ctx, "pop_competences", tech).action == "created"
    outcome = apply(ctx, "pops", pop_row)
    assert outcome.action == "updated"
    version = PopVersion.objects.get(pop__worker__insz=AN)
    assert (version.status, version.approved_on, version.vdab_registered_on, version.long_term_goal) == (
        "approved", D(2026, 1, 15), D(2026, 1, 20), "Vast werk")
    schedule = PopSchedule.objects.get(worker__insz=AN)
    assert (schedule.review_due, schedule.next_due_kind) == (D(2027, 1, 15), "yearly_review")
    assert apply(ctx, "pops", pop_row).action == "unchanged"


@pytest.mark.parametrize(("sheet", "overrides", "column", "message"), [
    ("pop_competences", {"competence": "Toveren"}, "competence",
     "Onbekende competentie 'Toveren'. Competenties van de catalogus: "),
    ("pop_competences", {"current_level": 5}, "current_level", "Een niveau gaat van 1 tot 4."),
    ("pop_competences", {"target_level": 0}, "target_level", "Een niveau gaat van 1 tot 4."),
    ("pop_competences", {"insz": valid_insz(3)}, "insz",
     "Geen werknemer met dit INSZ in deze organisatie: voeg de werknemer eerst toe op het blad 'Werknemers'."),
    ("pop_actions", {"what": "   "}, "what", "Beschrijf bij elke actie wat de werknemer gaat doen."),
])
def test_plan_rows_refused(ctx, sheet, overrides, column, message):
    base = plan_rows()[0][1] if sheet == "pop_competences" else plan_rows()[2][1]
    error = refused(ctx, sheet, {**base, **overrides})
    assert error.column == column
    assert str(error.message).startswith(message)


def test_approved_plan_is_not_taken_back(ctx):
    from pop.models import PopVersion

    for sheet, values in plan_rows():
        apply(ctx, sheet, values)
    version = PopVersion.objects.get()
    PopVersion.objects.filter(pk=version.pk).update(status="approved", approved_on=D(2026, 1, 15))
    ctx.cache.clear()
    error = refused(ctx, "pops", {"insz": AN, "year": YEAR, "status": "draft"})
    assert (error.column, error.message) == (
        "status", "Deze POP werd goedgekeurd op 15/01/2026: een import zet een goedgekeurd plan niet terug; "
                  "wijzig het in het portaal.")
    error = refused(ctx, "pops", {"insz": AN, "year": YEAR, "approved_on": D(2026, 2, 1)})
    assert error.column == "approved_on"
