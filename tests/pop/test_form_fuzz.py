"""Hypothesis fuzzes the POP forms through the views (issue #11): the plan with its competence and action
rows, approval, the yearly review with the worker's signature, and the team screen "Feedback deze week".
Never a server error; a refused post saves nothing and shows what was typed again (tests/fuzz.py)."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from pop import rules
from pop.models import ActionStatus, Competence, PopStatus, PopVersion, Presence, Punctuality, WeeklyFeedback
from tests.fuzz import FUZZ, choices, dates, day, form_data, plain, post_and_check, resolve_version, text, versions
from tests.pop.helpers import PDF, PNG, make_version

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


def _url(p, name, **kwargs):
    return reverse(name, kwargs={"org_slug": p.org.slug, "pk": p.worker.pk, **kwargs})


def _current(version):
    return PopVersion.objects.get(pk=version.pk).version


@st.composite
def pop_post(draw, competences, foreign):
    """The plan form: goals, a management form and a few competence and action rows, some of them broken."""
    data = draw(form_data(
        {"long_term_goal": plain, "short_term_goal": plain, "job_target": plain, "version": st.just("current")},
        {"version": versions}))
    n_comp = draw(st.integers(0, 4))
    n_act = draw(st.integers(0, 4))
    data.update({"comp-TOTAL_FORMS": str(n_comp), "comp-INITIAL_FORMS": "0",
                 "action-TOTAL_FORMS": str(n_act), "action-INITIAL_FORMS": "0"})
    for i in range(n_comp):
        data.update({f"comp-{i}-{k}": v for k, v in draw(form_data(
            {"competence": st.sampled_from(competences), "current_level": st.sampled_from("1234"),
             "target_level": st.sampled_from("1234"), "focus": st.sampled_from(["on", ""]),
             "DELETE": st.sampled_from(["", "", "on"])},
            {"competence": choices(competences, *foreign), "current_level": choices("1234", "5", "99"),
             "target_level": choices("1234", "0")})).items()})
    for i in range(n_act):
        data.update({f"action-{i}-{k}": v for k, v in draw(form_data(
            {"what": plain, "supporter": plain, "how": plain, "due_date": day(TODAY),
             "status": st.sampled_from(ActionStatus.values)},
            {"due_date": dates(), "status": choices(ActionStatus.values)})).items()})
    # A broken management form: missing, negative, huge or not a number.
    if draw(st.integers(0, 5)) == 0:
        key = draw(st.sampled_from(["comp-TOTAL_FORMS", "action-TOTAL_FORMS", "comp-INITIAL_FORMS"]))
        value = draw(st.sampled_from([None, "-1", "1000001", "x", "", "2.5"]))
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def test_fuzz_pop_edit(personas, login):
    version = make_version(personas.worker)
    catalogue = [str(pk) for pk in Competence.objects.filter(organisation__isnull=True).values_list("pk", flat=True)[:12]]
    foreign = str(Competence.objects.create(organisation=personas.other_org, name="Elders", kind="generic").pk)
    client = login(personas.coach)
    url = _url(personas, "pop:pop_edit", version_pk=version.pk)

    @FUZZ
    @given(data=pop_post(catalogue, [foreign]))
    def run(data):
        if "version" in data:
            data["version"] = resolve_version(data["version"], _current(version))
        post_and_check(client, url, data, echo=["long_term_goal", "short_term_goal", "job_target"])

    run()


def test_fuzz_pop_edit_of_an_approved_plan(personas, login):
    """A change to an approved plan becomes a new draft version: refused, neither version changes."""
    version = make_version(personas.worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 1))
    catalogue = [str(pk) for pk in Competence.objects.filter(organisation__isnull=True).values_list("pk", flat=True)[:12]]
    client = login(personas.coordinator)
    url = _url(personas, "pop:pop_edit", version_pk=version.pk)

    @settings(FUZZ, max_examples=30)
    @given(data=pop_post(catalogue, []))
    def run(data):
        if "version" in data:
            data["version"] = resolve_version(data["version"], _current(version))
        post_and_check(client, url, data, echo=["long_term_goal"])

    run()


@pytest.mark.parametrize(("name", "status", "to"), [
    ("pop:pop_submit", PopStatus.DRAFT, PopStatus.READY),
    ("pop:pop_approve", PopStatus.READY, PopStatus.APPROVED),
])
def test_fuzz_pop_workflow(personas, login, name, status, to):
    version = make_version(personas.worker, status=status)
    client = login(personas.coordinator)
    url = _url(personas, name, version_pk=version.pk)

    @FUZZ
    @given(data=form_data({"version": st.just("current")}, {"version": versions}))
    def run(data):
        if "version" in data:
            data["version"] = resolve_version(data["version"], _current(version))
        post_and_check(client, url, data,
                       accepted=lambda r: PopVersion.objects.get(pk=version.pk).status == to)

    run()


def test_fuzz_pop_register_with_vdab(personas, login):
    version = make_version(personas.worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 1))
    client = login(personas.coach)
    url = _url(personas, "pop:pop_register", version_pk=version.pk)

    @FUZZ
    @given(data=form_data({"on": day(datetime.date(2026, 3, 1), 400), "version": st.just("current")},
                          {"on": dates(), "version": versions}))
    def run(data):
        if "version" in data:
            data["version"] = resolve_version(data["version"], _current(version))
        post_and_check(client, url, data,
                       accepted=lambda r: PopVersion.objects.get(pk=version.pk).vdab_registered_on is not None)

    run()


SIGNATURES = st.sampled_from([
    "", "data:image/png;base64," + base64.b64encode(PNG).decode(), "data:image/png;base64,", "data:image/png;base64,!!",
    "data:image/png;base64," + base64.b64encode(PDF).decode(), "data:text/html;base64,PHNjcmlwdD4=",
    "javascript:alert(1)", "data:image/png;base64," + "A" * 5000,
])
UPLOADS = st.sampled_from([None, PDF, PNG, b"%PDF-1.7 /JavaScript (app.alert(1))", b"MZ\x90\x00", b"",
                           b"\xff\xd8\xff\xe0JFIF"])


def test_fuzz_review_with_signature(personas, login):
    version = make_version(personas.worker, status=PopStatus.APPROVED, approved_on=datetime.date(2026, 2, 1))
    client = login(personas.coach)
    url = _url(personas, "pop:review_edit", version_pk=version.pk)

    @FUZZ
    @given(data=form_data(
        {"date": day(TODAY), "participants": plain, "conclusions": plain, "worker_view": plain,
         "signature": SIGNATURES},
        {"date": dates()}), upload=UPLOADS)
    def run(data, upload):
        if upload is not None:
            data = {**data, "upload": SimpleUploadedFile("scan.pdf", upload)}
        post_and_check(client, url, data, echo=["participants", "conclusions", "worker_view"])

    run()


@st.composite
def team_post(draw, workers, competences, weeks):
    data = {"week": draw(weeks)}
    if draw(st.integers(0, 4)) == 0:
        data["save_draft"] = "1"
    for worker in workers:
        p = f"w{worker.pk}-"
        row = draw(form_data(
            {"presence": st.sampled_from(Presence.values), "punctuality": st.sampled_from(["", *Punctuality.values]),
             "observation": plain, "next_step": plain, "notable": st.sampled_from(["", "1"]),
             **{f"c{c.pk}": st.sampled_from(["", "1", "2", "3", "4"]) for c in competences}},
            {"presence": choices(Presence.values), "punctuality": choices(Punctuality.values),
             "observation": text, "next_step": text,
             **{f"c{c.pk}": st.sampled_from(["0", "5", "-1", "2.5", "x", "9" * 30, "\x00", "٣"])
                for c in competences}}))
        data.update({p + k: v for k, v in row.items()})
    # Fields for a worker of another team or organisation, and for a competence not rated in this row.
    if draw(st.booleans()):
        data[draw(st.sampled_from(["w999999-presence", "w0-c1", "w-1-presence", f"w{workers[0].pk}-c999999"]))] = "3"
    return data


def test_fuzz_team_feedback(personas, login):
    import time_machine

    from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory

    late = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=late, activity=personas.activity, contract_start=datetime.date(2026, 12, 1))
    CoachAssignmentFactory(worker=late, coach=personas.coach)
    with time_machine.travel(TODAY):
        client = login(personas.coach)
        url = reverse("pop:team_feedback", kwargs={"org_slug": personas.org.slug})
        rows = client.get(url).context["rows"]
        workers = [r["row"].worker for r in rows]
        competences = rows[0]["row"].competences
        current = rules.iso_week_label(rules.monday_of(TODAY))
        weeks = st.one_of(st.just(current), st.just("2026-W40"), st.sampled_from([
            "", "2026-W53", "2026-W00", "2027-W01", "0001-W01", "9999-W52", "2026-W4\x00", "x", "2026W48",
            "-2026-W10", "2026-W-3"]), st.text(max_size=10))

        @FUZZ
        @given(data=team_post(workers, competences, weeks))
        def run(data):
            post_and_check(client, url, data, echo=[k for k in data if k.endswith(("-observation", "-next_step"))
                                                    and not k.startswith(f"w{late.pk}-")])

        run()
        assert not WeeklyFeedback.objects.exists()


@pytest.mark.parametrize("extra", [{}, {"save_draft": "1"}])
def test_team_feedback_with_a_nul_character_is_refused_not_a_server_error(personas, login, extra):
    """PostgreSQL refuses NUL in text and JSON: the team screen, not a Django form, must refuse it itself."""
    import time_machine

    with time_machine.travel(TODAY):
        client = login(personas.coach)
        url = reverse("pop:team_feedback", kwargs={"org_slug": personas.org.slug})
        p = f"w{personas.worker.pk}-"
        data = {"week": rules.iso_week_label(rules.monday_of(TODAY)), p + "presence": "present",
                p + "observation": "Goed\x00 bezig", **extra}
        response = post_and_check(client, url, data)
        assert response.status_code == 200
        assert "Null" in response.content.decode() or "nul" in response.content.decode().lower()
