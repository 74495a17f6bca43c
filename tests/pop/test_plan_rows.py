"""The POP edit form's competence and action rows: the hidden management form (TOTAL_FORMS, INITIAL_FORMS) is
the browser's word only. A stored row goes only when its own DELETE box is ticked; a forged, negative or
inconsistent count is refused whole with a clear message and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pop import services
from pop.models import PopStatus, PopVersion
from tests.pop.helpers import generic, make_version

pytestmark = pytest.mark.django_db
REFUSED = "niet verzonden zoals de pagina ze toonde"


def _url(p, version):
    return reverse("pop:pop_edit", kwargs={"org_slug": p.org.slug, "pk": p.worker.pk, "version_pk": version.pk})


def _as_the_page_posts_it(response):
    """What the browser sends back for the form on `response`, untouched: goals, version, both formsets."""
    context = response.context
    data = {"version": context["form"]["version"].value()}
    for name in ("long_term_goal", "short_term_goal", "job_target"):
        data[name] = context["form"][name].value() or ""
    for formset in (context["formset_c"], context["formset_a"]):
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            data[management[name].html_name] = management[name].value()
        for form in formset.forms:
            for bound in form:
                value = bound.value()
                if value not in (None, False, ""):
                    data[bound.html_name] = "on" if value is True else value
    return data


def _rows(version):
    version = PopVersion.objects.get(pk=version.pk)
    return ([(pc.competence_id, pc.current_level, pc.target_level) for pc in version.competences.all()],
            [(a.what, a.status) for a in version.actions.all()], version.version, version.long_term_goal)


# (what is forged, posted management values; None drops the field). The page renders INITIAL_FORMS=2 (the
# stored rows) and TOTAL_FORMS=4 (two empty rows more) for both formsets.
FORGED = [
    ("negative total", {"TOTAL_FORMS": "-1"}),
    ("negative total and initial", {"TOTAL_FORMS": "-1", "INITIAL_FORMS": "-1"}),
    ("no rows while two are stored", {"TOTAL_FORMS": "0"}),
    ("initial above total", {"TOTAL_FORMS": "2", "INITIAL_FORMS": "3"}),
    ("more stored rows than the plan holds", {"TOTAL_FORMS": "6", "INITIAL_FORMS": "5"}),
    ("negative initial", {"INITIAL_FORMS": "-1"}),
    ("total missing", {"TOTAL_FORMS": None}),
    ("initial missing", {"INITIAL_FORMS": None}),
    ("management form missing", {"TOTAL_FORMS": None, "INITIAL_FORMS": None}),
    ("not a number", {"TOTAL_FORMS": "x"}),
]


@pytest.mark.parametrize("prefix", ["comp", "action"])
@pytest.mark.parametrize(("case", "forged"), FORGED, ids=[c for c, _f in FORGED])
def test_a_forged_management_form_is_refused_and_deletes_nothing(personas, login, prefix, case, forged):
    version = make_version(personas.worker)
    before = _rows(version)
    client = login(personas.coach)
    data = _as_the_page_posts_it(client.get(_url(personas, version)))
    assert (data[f"{prefix}-INITIAL_FORMS"], data[f"{prefix}-TOTAL_FORMS"]) == (2, 4)
    data["long_term_goal"] = "Een nieuw doel"
    for name, value in forged.items():
        data.pop(f"{prefix}-{name}")
        if value is not None:
            data[f"{prefix}-{name}"] = value
    response = client.post(_url(personas, version), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html
    assert "Een nieuw doel" in html  # what was typed is still in the form
    assert _rows(version) == before


@pytest.mark.parametrize("prefix", ["comp", "action"])
@pytest.mark.parametrize(("case", "counts"), [
    ("no rows sent at all", {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}),
    ("only the first stored row sent", {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1"}),
])
def test_stored_rows_that_are_not_posted_stay_as_they_are(personas, login, prefix, case, counts):
    """Counts a page could send (fewer rows, none at all) save the rest of the form and remove no row."""
    version = make_version(personas.worker)
    competences, actions, number, _goal = _rows(version)
    client = login(personas.coach)
    data = _as_the_page_posts_it(client.get(_url(personas, version)))
    data["long_term_goal"] = "Een nieuw doel"
    data.update({f"{prefix}-{name}": value for name, value in counts.items()})
    assert client.post(_url(personas, version), data).status_code == 302
    assert _rows(version) == (competences, actions, number + 1, "Een nieuw doel")


def test_a_row_marked_for_removal_is_the_only_one_removed(personas, login):
    version = make_version(personas.worker, actions=3)
    competences, actions, _number, _goal = _rows(version)
    client = login(personas.coach)
    data = _as_the_page_posts_it(client.get(_url(personas, version)))
    data["action-1-DELETE"] = "on"
    data["comp-0-DELETE"] = "on"
    assert client.post(_url(personas, version), data).status_code == 302
    after_competences, after_actions, _n, _g = _rows(version)
    assert after_competences == competences[1:]
    assert after_actions == [actions[0], actions[2]]


def test_a_forged_count_on_an_approved_plan_makes_no_new_version(personas, login):
    version = make_version(personas.worker, status=PopStatus.APPROVED)
    client = login(personas.coordinator)
    data = _as_the_page_posts_it(client.get(_url(personas, version)))
    data["comp-TOTAL_FORMS"] = "-1"
    response = client.post(_url(personas, version), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert PopVersion.objects.filter(pop__worker=personas.worker).count() == 1


def test_the_service_removes_only_rows_it_is_told_to_and_refuses_rows_of_another_plan(personas):
    version = make_version(personas.worker)
    other = make_version(personas.worker, year=2025)
    before = _rows(version)
    nothing = services.RowChanges()
    with pytest.raises(ValidationError):
        services.pop_update(version=version, actor=personas.coach.user, data={}, expected_version=version.version,
                            competences=nothing,
                            actions=services.RowChanges(removed=frozenset({other.actions.first().pk})))
    assert _rows(version) == before
    services.pop_update(version=version, actor=personas.coach.user, data={}, expected_version=version.version,
                        competences=nothing, actions=nothing)
    competences, actions, _number, _goal = _rows(version)
    assert (competences, actions) == before[:2]
    # A new row for a competence the plan already holds sets that row rather than repeating it.
    services.pop_update(version=version, actor=personas.coach.user, data={},
                        expected_version=PopVersion.objects.get(pk=version.pk).version,
                        competences=services.RowChanges(added=[{"competence": generic(), "current_level": 3,
                                                                "target_level": 4, "focus": True}]),
                        actions=nothing)
    competences, _actions, _number, _goal = _rows(version)
    assert len(competences) == 2 and (generic().pk, 3, 4) in competences
