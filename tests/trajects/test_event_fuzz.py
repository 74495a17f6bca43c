"""Hypothesis fuzzes the trajectory event forms through the views (issue #11): start, suspension,
extension (with an uploaded decision), phase, regime change and milestone. Never a server error; a refused
form saves nothing (no row, no audit entry, no changed trajectory) and shows what was typed again.
See tests/fuzz.py for the property."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import (
    FUZZ,
    choices,
    dates,
    day,
    form_data,
    numbers,
    plain,
    post_and_check,
    resolve_version,
    versions,
)
from tests.pdfs import CLEAN
from trajects import services
from trajects.models import ExtensionReason, PhaseDefinition, Regime, SuspensionReason, Trajectory

pytestmark = pytest.mark.django_db
START = datetime.date(2023, 3, 1)


@pytest.fixture
def open_trajectory(personas):
    return services.trajectory_start(worker=personas.worker, actor=None, regime="LDE", start=START)


def _url(personas, name):
    return reverse(name, kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})


def _version(open_trajectory, choice):
    return resolve_version(choice, Trajectory.objects.get(pk=open_trajectory.pk).version)



FILES = st.sampled_from([
    None, CLEAN, b"%PDF-1.7 /JavaScript (app.alert(1))", b"%PDF-1.4 /Launch /F (cmd.exe)",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"\xff\xd8\xff\xe0JFIF", b"MZ\x90\x00 an executable", b"",
    b"<html><script>alert(1)</script>", b"GIF89a....",
])


def _post(client, url, data, open_trajectory=None, echo=()):
    if open_trajectory is not None and "version" in data:
        data = {**data, "version": _version(open_trajectory, data["version"])}
    return post_and_check(client, url, data, echo=echo)


def test_fuzz_trajectory_start(personas, login):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:trajectory_start")
    phases = [str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.org)]
    foreign = [str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.other_org)]

    @FUZZ
    @given(data=form_data(
        {"regime": st.sampled_from(Regime.values), "start": day(START), "decision_date": day(START),
         "phase": st.sampled_from(phases)},
        {"regime": choices(Regime.values), "start": dates(), "decision_date": dates(),
         "phase": choices(phases, *foreign)}))
    def run(data):
        _post(client, url, data)

    run()


def test_fuzz_suspension(personas, login, open_trajectory):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:suspension_add")

    @FUZZ
    @given(data=form_data(
        {"reason": st.sampled_from(SuspensionReason.values), "start": day(START), "end": day(START),
         "note": plain, "version": st.just("current")},
        {"reason": choices(SuspensionReason.values), "start": dates(), "end": dates(), "version": versions}))
    def run(data):
        _post(client, url, data, open_trajectory, echo=["note"])

    run()


def test_fuzz_extension_with_document(personas, login, open_trajectory):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:extension_add")

    @FUZZ
    @given(data=form_data(
        {"reason": st.sampled_from(ExtensionReason.values), "months": st.integers(0, 24).map(str),
         "decision_date": day(START), "note": plain, "version": st.just("current")},
        {"reason": choices(ExtensionReason.values), "months": numbers(-5, 130), "decision_date": dates(),
         "version": versions}),
        document=FILES, name=st.sampled_from(["besluit.pdf", "x.png", "a.exe", "", "../../x.pdf"]))
    def run(data, document, name):
        if document is not None:
            data = {**data, "document": SimpleUploadedFile(name or "x", document, content_type="application/pdf")}
        _post(client, url, data, open_trajectory, echo=["note"])

    run()


def test_fuzz_phase_change(personas, login, open_trajectory):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:phase_change")
    phases = [str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.org)]
    foreign = [str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.other_org)]

    @FUZZ
    @given(data=form_data(
        {"phase": st.sampled_from(phases), "since": day(START), "version": st.just("current")},
        {"phase": choices(phases, *foreign), "since": dates(), "version": versions}))
    def run(data):
        _post(client, url, data, open_trajectory)

    run()


def test_fuzz_regime_change(personas, login, open_trajectory):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:regime_change")

    @FUZZ
    @given(data=form_data(
        {"regime": st.sampled_from(Regime.values), "change_date": day(START), "start": day(START),
         "decision_date": day(START), "version": st.just("current")},
        {"regime": choices(Regime.values), "change_date": dates(), "start": dates(), "decision_date": dates(),
         "version": versions}))
    def run(data):
        _post(client, url, data, open_trajectory)

    run()


def test_fuzz_milestone(personas, login, open_trajectory):
    client = login(personas.coach)
    url = _url(personas, "trajects:milestone_add")

    @FUZZ
    @given(data=form_data({"date": day(START), "label": plain, "note": plain, "version": st.just("current")},
                          {"date": dates(), "version": versions}))
    def run(data):
        _post(client, url, data, open_trajectory, echo=["label", "note"])

    run()
