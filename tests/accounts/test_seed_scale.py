"""seed_scale (issue #10) at a tiny factor on the test database: counts, stored deadlines equal to what the
services compute, and the same data for the same seed."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction

from lde_portal.accounts.management.commands.seed_scale import seed_scale
from lde_portal.accounts.models import Membership, Organisation
from lde_portal.alerts.models import Alert
from pop.models import FeedbackRating, PopSchedule, PopVersion, WeeklyFeedback
from throughflow.models import Exit, FollowUp
from trajects.models import CoachAssignment, Trajectory, TrajectoryDeadline, Worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
FACTOR = 0.002


def fingerprint() -> str:
    digest = hashlib.sha256()
    for rows in (
        Worker.objects.order_by("insz").values_list("insz", "first_name", "last_name", "status", "status_since"),
        Trajectory.objects.order_by("worker__insz", "opened_on").values_list(
            "worker__insz", "regime", "start", "planned_end", "closed_on", "next_due", "next_due_kind"),
        PopSchedule.objects.order_by("worker__insz").values_list("worker__insz", "next_due", "next_due_kind"),
        WeeklyFeedback.objects.order_by("worker__insz", "week_start").values_list(
            "worker__insz", "week_start", "presence", "observation"),
        FeedbackRating.objects.order_by("feedback__worker__insz", "feedback__week_start", "competence_id")
        .values_list("rating", flat=True),
        Alert.objects.order_by("kind", "subject_key", "due").values_list("kind", "due"),
    ):
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


class Rollback(Exception):
    pass


def seeded_fingerprint(seed) -> str:
    try:
        with transaction.atomic():
            seed_scale(factor=FACTOR, seed=seed, today=TODAY)
            result = fingerprint()
            raise Rollback
    except Rollback:
        return result


def test_counts_and_stored_deadlines_match_the_services():
    from pop.services import pop_schedule_refresh
    from trajects.services import deadlines_refresh

    call_command("seed_scale", factor=FACTOR, today=TODAY.isoformat(), stdout=open("/dev/null", "w"))
    orgs = Organisation.objects.filter(slug__startswith="scale-")
    assert orgs.count() == 2
    workers = Worker.objects.filter(organisation__in=orgs)
    assert workers.exclude(status="exited").count() == 6
    assert workers.filter(status="exited").count() == 14
    assert Exit.objects.filter(worker__in=workers).count() == 14
    assert FollowUp.objects.filter(worker__in=workers).count() == 14 * 4
    assert WeeklyFeedback.objects.filter(worker__in=workers).count() > 500
    assert PopVersion.objects.filter(pop__worker__in=workers, status="approved").exists()
    assert Alert.objects.filter(organisation__in=orgs).exists()
    assert {m.role for m in Membership.objects.filter(organisation=orgs[0])} == {
        "coach", "coordinator", "manager", "org_admin"}
    # Every employed worker has a coach; one open trajectory per employed, non-exited worker.
    assert not workers.exclude(status="recruitment").exclude(pk__in=CoachAssignment.objects.values("worker_id")).exists()
    open_trajectories = list(Trajectory.objects.filter(worker__in=workers, closed_on__isnull=True))
    assert len(open_trajectories) == workers.exclude(status__in=["exited", "recruitment"]).count()

    # Recomputing through the services changes nothing: the generator stored what they would store.
    for trajectory in open_trajectories:
        before = (trajectory.planned_end, trajectory.next_due, trajectory.next_due_kind,
                  sorted(TrajectoryDeadline.objects.filter(trajectory=trajectory).values_list("kind", "due")))
        deadlines_refresh(trajectory=trajectory, today=TODAY)
        trajectory.refresh_from_db()
        assert before == (trajectory.planned_end, trajectory.next_due, trajectory.next_due_kind,
                          sorted(TrajectoryDeadline.objects.filter(trajectory=trajectory).values_list("kind", "due")))
    for schedule in PopSchedule.objects.filter(worker__in=workers).select_related("worker"):
        before = (schedule.first_pop_due, schedule.review_due, schedule.next_due, schedule.next_due_kind)
        after = pop_schedule_refresh(worker=schedule.worker)
        assert before == (after.first_pop_due, after.review_due, after.next_due, after.next_due_kind)


def test_same_seed_same_data_and_another_seed_other_data():
    first = seeded_fingerprint(7)
    assert seeded_fingerprint(7) == first
    assert seeded_fingerprint(8) != first


def test_refuses_a_database_that_already_holds_scale_data():
    from django.core.management.base import CommandError

    call_command("seed_scale", factor=FACTOR, today=TODAY.isoformat(), stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError):
        call_command("seed_scale", factor=FACTOR, today=TODAY.isoformat(), stdout=open("/dev/null", "w"))
