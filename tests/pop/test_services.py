import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lde_portal.concurrency import ConflictError
from pop import services
from pop.models import ActionStatus, FeedbackRating, PopStatus, PopVersion, WeeklyFeedback
from pop.selectors import team_week
from tests.factories import coached_worker
from tests.pop.helpers import generic, make_version, technical

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_pop_with_fewer_than_two_actions_cannot_be_submitted(personas):
    version = make_version(personas.worker, actions=1)
    with pytest.raises(ValidationError, match="twee verbeteracties|two improvement actions"):
        services.pop_submit(version=version, actor=personas.coach.user)
    version.refresh_from_db()
    assert version.status == PopStatus.DRAFT and version.actions.count() == 1


def test_a_dropped_action_does_not_count(personas):
    version = make_version(personas.worker, actions=2)
    version.actions.filter(position=1).update(status=ActionStatus.DROPPED)
    with pytest.raises(ValidationError):
        services.pop_submit(version=version, actor=personas.coach.user)


def test_submit_approve_and_change_after_approval_makes_a_new_version(personas):
    version = make_version(personas.worker, actions=2)
    services.pop_submit(version=version, actor=personas.coach.user)
    services.pop_approve(version=PopVersion.objects.get(pk=version.pk), actor=personas.coordinator.user,
                         on=D(2026, 3, 1))
    approved = PopVersion.objects.get(pk=version.pk)
    assert approved.status == PopStatus.APPROVED
    new = services.pop_update(
        version=approved, actor=personas.coach.user, expected_version=approved.version,
        data={"long_term_goal": "Fietshersteller worden", "short_term_goal": "", "job_target": "Fietsenwinkel"},
        competences=[{"competence": generic(), "current_level": 3, "target_level": 4, "focus": True},
                     {"competence": technical(), "current_level": 2, "target_level": 3, "focus": True}],
        actions=[{"what": "Band vervangen", "status": "open"}, {"what": "Op tijd komen", "status": "open"}])
    assert new.pk != approved.pk and new.number == 2 and new.status == PopStatus.DRAFT
    approved.refresh_from_db()
    assert approved.status == PopStatus.APPROVED and approved.long_term_goal == "Werken in een fietsenwinkel"
    services.pop_submit(version=new, actor=personas.coach.user)
    services.pop_approve(version=new, actor=personas.coordinator.user)
    approved.refresh_from_db()
    assert approved.status == PopStatus.SUPERSEDED
    diff = services.snapshot_diff(services.version_snapshot(approved), services.version_snapshot(new))
    labels = {row["label"] for row in diff}
    assert any("Stiptheid" in label for label in labels) and any("Actie 1" in row["before"] for row in diff)


def test_two_users_editing_the_same_version_conflict(personas):
    version = make_version(personas.worker)
    opened = version.version
    content = {"competences": [{"competence": generic(), "current_level": 2, "target_level": 3}],
               "actions": [{"what": "A"}, {"what": "B"}]}
    services.pop_update(version=version, actor=personas.coach.user, expected_version=opened,
                        data={"long_term_goal": "Eerste"}, **content)
    with pytest.raises(ConflictError):
        services.pop_update(version=version, actor=personas.coordinator.user, expected_version=opened,
                            data={"long_term_goal": "Tweede"}, **content)
    version.refresh_from_db()
    assert version.long_term_goal == "Eerste"


def _feedback_year(worker, coach, ratings_by_week):
    for week_start, ratings in ratings_by_week:
        feedback = WeeklyFeedback.objects.create(organisation_id=worker.organisation_id, worker=worker,
                                                 week_start=week_start, presence="present", author=coach,
                                                 notable=week_start.day < 8, observation=f"obs {week_start}")
        for competence, rating in ratings.items():
            FeedbackRating.objects.create(feedback=feedback, competence=competence, rating=rating)


def test_prefilled_yearly_draft_reflects_a_year_of_feedback(personas):
    """52 weeks: Stiptheid alternates 2 and 4 (average 3.0); the technical one is 1 for 13 weeks and 2 for
    39 (average 1.75 → 2). Feedback older than 12 months is ignored."""
    stiptheid, tech = generic(), technical()
    last = make_version(personas.worker, year=2025, status=PopStatus.APPROVED, approved_on=D(2025, 11, 1),
                        competences=[(stiptheid, 2, 3), (tech, 1, 2)])
    last.actions.filter(position=0).update(status=ActionStatus.DONE)
    last.actions.filter(position=1).update(due_date=D(2026, 5, 1))
    today = D(2026, 11, 20)
    first_monday = D(2025, 11, 24)
    weeks = [first_monday + datetime.timedelta(weeks=i) for i in range(52)]
    _feedback_year(personas.worker, personas.coach, [
        (w, {stiptheid: 2 if i % 2 else 4, tech: 1 if i < 13 else 2}) for i, w in enumerate(weeks)])
    _feedback_year(personas.worker, personas.coach, [(D(2025, 6, 2), {stiptheid: 1})])  # outside the 12 months
    version = services.pop_start(worker=personas.worker, actor=personas.coordinator.user, today=today)
    assert version.pop.year == 2026 and version.status == PopStatus.DRAFT
    prep = version.preparation
    assert prep["averages"][str(stiptheid.pk)] == {"name": "Stiptheid", "average": 3.0, "count": 52}
    assert prep["averages"][str(tech.pk)]["average"] == 1.75
    levels = {pc.competence_id: (pc.current_level, pc.target_level) for pc in version.competences.all()}
    assert levels == {stiptheid.pk: (3, 3), tech.pk: (2, 2)}
    assert prep["actions_done"] == ["Actie 1"]
    assert prep["actions_overdue"] == [{"what": "Actie 2", "due": "2026-05-01"}]
    assert len(prep["notable"]) == sum(1 for w in weeks if w.day < 8)
    assert [a.what for a in version.actions.all()] == ["Actie 2"]  # open actions carry over
    assert services.pop_start(worker=personas.worker, actor=personas.coach.user, today=today) == version


def _team(personas, n=1):
    return [personas.worker] + [coached_worker(personas.activity, personas.coach) for _ in range(n - 1)]


def _log_week(personas, week, entry):
    """The coach's team screen of `week` saved with `entry` for the personas' worker."""
    rows, _draft = team_week(personas.coach, week)
    return services.feedback_log_week(author=personas.coach, week_start=week, rows=rows,
                                      entries={personas.worker.pk: entry})


def _first_competence(personas, week):
    rows, _draft = team_week(personas.coach, week)
    return rows[0].competences[0]


@time_machine.travel(D(2026, 11, 25))
def test_feedback_refuses_future_week_and_week_before_employment(personas):
    entry = {"presence": "present", "ratings": {}}
    with pytest.raises(ValidationError) as exc:
        _log_week(personas, D(2026, 11, 30), entry)
    assert "week" in exc.value.error_dict
    personas.employment.contract_start = D(2026, 11, 10)
    personas.employment.save()
    with pytest.raises(ValidationError) as exc:
        _log_week(personas, D(2026, 11, 2), entry)
    assert f"w{personas.worker.pk}-presence" in exc.value.error_dict
    assert not WeeklyFeedback.objects.exists()


@time_machine.travel(D(2026, 11, 25))
def test_feedback_refuses_a_rating_outside_one_to_four(personas):
    competence = _first_competence(personas, D(2026, 11, 23))
    with pytest.raises(ValidationError) as exc:
        _log_week(personas, D(2026, 11, 23), {"presence": "present", "ratings": {competence.pk: 5}})
    assert f"w{personas.worker.pk}-c{competence.pk}" in exc.value.error_dict
    assert not WeeklyFeedback.objects.exists()


@time_machine.travel(D(2026, 11, 25))
def test_feedback_week_is_stored_and_updated_in_place(personas):
    c = _first_competence(personas, D(2026, 11, 23))
    _log_week(personas, D(2026, 11, 23), {"presence": "present", "ratings": {c.pk: 2}})
    _log_week(personas, D(2026, 11, 23), {"presence": "sick", "ratings": {c.pk: 3}})
    feedback = WeeklyFeedback.objects.get()
    assert feedback.presence == "sick" and [r.rating for r in feedback.ratings.all()] == [3]


def test_focus_competences_come_from_the_current_pop(personas):
    rows, _draft = team_week(personas.coach, D(2026, 11, 23))
    assert [c.name for c in rows[0].competences] == ["Stiptheid", "Samenwerken", "Instructies opvolgen"]
    make_version(personas.worker, status=PopStatus.APPROVED, approved_on=D(2026, 1, 1),
                 competences=[(generic("Assertiviteit"), 1, 2)])
    rows, _draft = team_week(personas.coach, D(2026, 11, 23))
    assert [c.name for c in rows[0].competences] == ["Assertiviteit"]


def test_pop_status_for_gives_the_indication_app_what_it_needs(personas):
    from pop.selectors import pop_status_for

    empty = pop_status_for(personas.worker)
    assert empty.current is None and empty.open_version is None and empty.next_due is None
    approved = make_version(personas.worker, year=2025, status=PopStatus.APPROVED, approved_on=D(2025, 3, 1),
                            registered_on=D(2025, 3, 5))
    draft = make_version(personas.worker, year=2026)
    services.pop_schedule_refresh(worker=personas.worker)
    status = pop_status_for(personas.worker)
    assert (status.current, status.open_version) == (approved, draft)
    assert (status.last_approved_on, status.last_registered_on) == (D(2025, 3, 1), D(2025, 3, 5))
    assert (status.next_due, status.next_due_kind) == (D(2026, 3, 1), "yearly_review")


@pytest.mark.parametrize(("keep_all", "stored", "drafted"), [
    (False, {0, 1}, {2, 3}),  # the default: the correct rows are stored, the refused ones drafted
    (True, set(), {0, 1, 2, 3}),  # the coach's other choice: nothing stored, the whole screen drafted
])
@time_machine.travel(D(2026, 11, 25))
def test_a_save_with_refused_rows_stores_the_correct_ones_or_none(personas, keep_all, stored, drafted):
    from pop.models import FeedbackDraft

    workers = _team(personas, 4)
    late = workers[3]
    late.employments.update(contract_start=D(2026, 11, 30))  # starts the week after
    rows, _draft = team_week(personas.coach, D(2026, 11, 23))
    c = rows[0].competences[0]
    entries = {w.pk: {"presence": "present", "ratings": {c.pk: 3}} for w in workers[:2] + [late]}
    data = {f"w{w.pk}-presence": "present" for w in workers[:2] + [late]}
    data[f"w{workers[2].pk}-observation"] = "zonder aanwezigheid"
    form_errors = {f"w{workers[2].pk}-presence": ["Choose the presence, or clear this row."]}
    result = services.feedback_submit_week(author=personas.coach, week_start=D(2026, 11, 23), rows=rows,
                                           entries=entries, errors=form_errors, data=data, keep_all=keep_all)
    assert result.saved == len(stored) and set(result.failed) == {workers[2].pk, late.pk}
    assert set(WeeklyFeedback.objects.values_list("worker_id", flat=True)) == {workers[i].pk for i in stored}
    draft = FeedbackDraft.objects.get()
    assert {name.split("-")[0] for name in draft.data} == {f"w{workers[i].pk}" for i in drafted}
    assert set(draft.errors) == {f"w{workers[2].pk}-presence", f"w{late.pk}-presence"}


@pytest.mark.parametrize(("actions", "competences", "approved"), [
    (2, None, True),                       # a complete draft: approved in one step
    (1, None, False),                      # the submit step's minimum content still holds
    (2, "generic_only", False),
])
def test_an_approver_approves_a_draft_directly_with_the_submit_checks(personas, actions, competences, approved):
    comps = [(generic(), 2, 3)] if competences == "generic_only" else None
    version = make_version(personas.worker, actions=actions, competences=comps)
    if approved:
        services.pop_approve(version=version, actor=personas.coordinator.user, on=D(2026, 3, 1))
    else:
        with pytest.raises(ValidationError):
            services.pop_approve(version=version, actor=personas.coordinator.user, on=D(2026, 3, 1))
    version.refresh_from_db()
    assert version.status == (PopStatus.APPROVED if approved else PopStatus.DRAFT)


# (the open action's due date in last year's plan) → its due date in the new draft started on 20/11/2026
CARRIED_OVER = [
    (D(2026, 5, 1), D(2027, 2, 20)),     # overdue: a new date, one usual action period ahead
    (D(2026, 11, 19), D(2027, 2, 20)),   # yesterday: overdue too
    (D(2026, 11, 20), D(2026, 11, 20)),  # due today: still in time, kept
    (D(2027, 1, 15), D(2027, 1, 15)),    # still ahead: kept
    (None, None),                        # no date: none proposed
]


@pytest.mark.parametrize(("due", "carried"), CARRIED_OVER)
def test_a_carried_over_overdue_action_gets_a_new_due_date(personas, due, carried):
    last = make_version(personas.worker, year=2025, status=PopStatus.APPROVED, approved_on=D(2025, 11, 1))
    last.actions.update(due_date=due)
    version = services.pop_start(worker=personas.worker, actor=personas.coach.user, today=D(2026, 11, 20))
    assert {a.due_date for a in version.actions.all()} == {carried}


def test_a_first_pop_is_prefilled_from_what_the_portal_knows_at_hiring(personas):
    from pop.models import Competence
    from throughflow.models import JobTarget

    stiptheid = generic()
    JobTarget.objects.create(organisation=personas.org, worker=personas.worker, occupation="Fietshersteller",
                             sector="Fietsenwinkel", weekly_hours=30, childcare="Oma haalt de kinderen",
                             pay_expectation="1900 netto", set_on=D(2026, 2, 1))
    _feedback_year(personas.worker, personas.coach, [(D(2026, 2, 2), {stiptheid: 2}), (D(2026, 2, 9), {stiptheid: 3})])
    version = services.pop_start(worker=personas.worker, actor=personas.coach.user, today=D(2026, 2, 20))
    rows = {pc.competence: (pc.current_level, pc.target_level) for pc in version.competences.all()}
    own = set(Competence.objects.filter(kind="technical", activity_type=personas.employment.activity.type,
                                        organisation__isnull=True))
    assert own and own <= set(rows)
    assert {c for c in rows if c.kind == "generic"} == set(Competence.objects.filter(kind="generic",
                                                                                     default_focus=True))
    assert rows[stiptheid] == (3, 4)  # the first weeks' average 2.5, rounded half up
    assert version.job_target == "Fietshersteller, Fietsenwinkel, 30 u/week"
    text = " ".join([version.job_target, version.long_term_goal, version.short_term_goal])
    assert "Oma" not in text and "1900" not in text


def test_a_first_pop_without_anything_known_starts_empty_but_for_the_catalogue(personas):
    personas.employment.delete()
    version = services.pop_start(worker=personas.worker, actor=personas.coach.user, today=D(2026, 2, 20))
    assert version.job_target == "" and not version.actions.exists()
    assert {pc.competence.kind for pc in version.competences.all()} == {"generic"}
