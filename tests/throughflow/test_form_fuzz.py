"""Hypothesis fuzzes the exit, aftercare follow-up and throughflow track forms through the views (issue #11).
Never a server error; a refused post saves nothing (the exit closes a trajectory, employments, assignments
and the status in one go: all or nothing) and shows what was typed again (tests/fuzz.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import FUZZ, choices, dates, day, form_data, numbers, plain, post_and_check, resolve_version, versions
from throughflow import services
from throughflow.models import ExitContractType, ExitReason, FollowUp, SupportAfterExit, Track, TrackPhase
from trajects import services as trajects_services

pytestmark = pytest.mark.django_db
YES_NO = st.sampled_from(["", "true", "false"])


def _url(p, name, **kwargs):
    return reverse(name, kwargs={"org_slug": p.org.slug, "pk": p.worker.pk, **kwargs})


def test_fuzz_exit(personas, login):
    today = timezone.localdate()
    trajects_services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                       start=datetime.date(2023, 2, 1))
    employer = services.employer_create(organisation=personas.org, actor=None, data={"name": "Bakkerij Peeters"})
    foreign = services.employer_create(organisation=personas.other_org, actor=None, data={"name": "Elders"})
    client = login(personas.coordinator)
    url = _url(personas, "throughflow:exit_add")

    @FUZZ
    @given(data=form_data(
        {"date": day(today, 900), "reason": st.sampled_from(ExitReason.values),
         "employer": st.sampled_from(["", str(employer.pk)]), "destination_employer": plain,
         "contract_type": st.sampled_from(["", *ExitContractType.values]),
         "weekly_hours": st.sampled_from(["", "19", "38", "0,5", "12.5"]),
         "support_after": st.sampled_from(SupportAfterExit.values), "note": plain},
        {"date": dates(), "reason": choices(ExitReason.values), "employer": choices([str(employer.pk)], str(foreign.pk)),
         "contract_type": choices(ExitContractType.values), "weekly_hours": numbers(-5, 80),
         "support_after": choices(SupportAfterExit.values)}))
    def run(data):
        post_and_check(client, url, data, echo=["destination_employer", "note"])

    run()


def test_fuzz_followup(personas, login):
    exit_date = timezone.localdate() - datetime.timedelta(days=40)
    services.exit_record(worker=personas.worker, actor=None, data={"date": exit_date, "reason": "external",
                                                                    "destination_employer": "Bakkerij Peeters"})
    followup = FollowUp.objects.filter(worker=personas.worker).order_by("months").first()
    client = login(personas.coordinator)
    url = _url(personas, "throughflow:followup_edit", followup_pk=followup.pk)

    @FUZZ
    @given(data=form_data(
        {"done_on": day(exit_date + datetime.timedelta(days=20), 40), "still_employed": YES_NO,
         "same_employer": YES_NO, "support_needed": YES_NO, "note": plain, "version": st.just("current")},
        {"done_on": dates(), "still_employed": choices(["true", "false"], "yes", "1", "on"),
         "same_employer": choices(["true", "false"], "True"), "support_needed": choices(["true", "false"]),
         "version": versions}))
    def run(data):
        if "version" in data:
            data["version"] = resolve_version(data["version"], FollowUp.objects.get(pk=followup.pk).version)
        post_and_check(client, url, data, echo=["note"])

    run()


def test_fuzz_track_forms(personas, login):
    today = timezone.localdate()
    client = login(personas.coordinator)

    @FUZZ
    @given(data=form_data(
        {"decision_date": day(today - datetime.timedelta(days=200), 150), "decision_reference": plain,
         "start": day(today - datetime.timedelta(days=100), 150), "late_start_reason": plain, "coach_name": plain,
         "coach_organisation": plain, "coach_contact": plain},
        {"decision_date": dates(), "start": dates()}))
    def open_track(data):
        post_and_check(client, _url(personas, "throughflow:track_open"), data,
                       echo=["decision_reference", "coach_name", "late_start_reason"])

    open_track()
    track = services.track_open(worker=personas.worker, actor=None, data={
        "decision_date": today - datetime.timedelta(days=100), "start": today - datetime.timedelta(days=90),
        "coach_name": "An"})

    @FUZZ
    @given(data=form_data(
        {"phase": st.sampled_from(TrackPhase.values), "since": day(today - datetime.timedelta(days=60), 60),
         "version": st.just("current")},
        {"phase": choices(TrackPhase.values), "since": dates(), "version": versions}),
        hours=form_data({"date": day(today - datetime.timedelta(days=30), 60),
                         "hours": st.sampled_from(["1", "2,5", "0.25", "12"]), "note": plain},
                        {"date": dates(), "hours": numbers(-3, 30)}))
    def phase_and_hours(data, hours):
        if "version" in data:
            data["version"] = resolve_version(data["version"], Track.objects.get(pk=track.pk).version)
        post_and_check(client, _url(personas, "throughflow:track_phase"), data)
        post_and_check(client, _url(personas, "throughflow:track_hours"), hours, echo=["note"])

    phase_and_hours()


@pytest.mark.parametrize(("name", "query"), [
    ("throughflow:ratio", {"year": "99999"}), ("throughflow:ratio", {"year": "0", "by": "all"}),
    ("throughflow:ratio", {"year": "-5", "by": "coach", "key": "9" * 30}),
    ("throughflow:employer_list", {"q": "Bakkerij\x00"}),
])
def test_forged_query_strings_are_not_a_server_error(personas, login, name, query):
    response = login(personas.coordinator).get(reverse(name, kwargs={"org_slug": personas.org.slug}), query)
    assert response.status_code == 200
