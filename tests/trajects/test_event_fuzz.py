"""Hypothesis fuzzes the trajectory event forms through the views (issue #11): start, suspension,
extension (with an uploaded decision), phase, regime change and milestone. Never a server error; a refused
form saves nothing (no row, no audit entry, no changed trajectory) and shows what was typed again.
See tests/fuzz.py for the property."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import strategies as st

from tests.fuzz import choices, dates, day, form_data, fuzz_form, numbers, plain, versions
from tests.pdfs import CLEAN
from trajects import services
from trajects.models import ExtensionReason, PhaseDefinition, Regime, SuspensionReason, Trajectory

pytestmark = pytest.mark.django_db
START = datetime.date(2023, 3, 1)


@pytest.fixture
def open_trajectory(personas):
    return services.trajectory_start(worker=personas.worker, actor=None, regime="LDE", start=START)


@pytest.fixture
def version(open_trajectory):
    return lambda: Trajectory.objects.get(pk=open_trajectory.pk).version


@pytest.fixture
def phases(personas):
    """The organisation's phases, and those of another organisation, which the form must refuse."""
    return ([str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.org)],
            [str(p.pk) for p in PhaseDefinition.objects.filter(organisation=personas.other_org)])


def _url(personas, name):
    return reverse(name, kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk})


FILES = st.sampled_from([
    None, CLEAN, b"%PDF-1.7 /JavaScript (app.alert(1))", b"%PDF-1.4 /Launch /F (cmd.exe)",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"\xff\xd8\xff\xe0JFIF", b"MZ\x90\x00 an executable", b"",
    b"<html><script>alert(1)</script>", b"GIF89a....",
])


def _with_document(data, document, name):
    if document is None:
        return data
    return {**data, "document": SimpleUploadedFile(name or "x", document, content_type="application/pdf")}


def test_fuzz_trajectory_start(personas, login, phases):
    ours, foreign = phases
    fuzz_form(login(personas.coordinator), _url(personas, "trajects:trajectory_start"), form_data(
        {"regime": st.sampled_from(Regime.values), "start": day(START), "decision_date": day(START),
         "phase": st.sampled_from(ours)},
        {"regime": choices(Regime.values), "start": dates(), "decision_date": dates(),
         "phase": choices(ours, *foreign)}))


def test_fuzz_suspension(personas, login, version):
    fuzz_form(login(personas.coordinator), _url(personas, "trajects:suspension_add"), form_data(
        {"reason": st.sampled_from(SuspensionReason.values), "start": day(START), "end": day(START),
         "note": plain, "version": st.just("current")},
        {"reason": choices(SuspensionReason.values), "start": dates(), "end": dates(), "version": versions}),
        echo=["note"], current_version=version)


def test_fuzz_extension_with_document(personas, login, version):
    fuzz_form(login(personas.coordinator), _url(personas, "trajects:extension_add"), st.builds(
        _with_document,
        form_data(
            {"reason": st.sampled_from(ExtensionReason.values), "months": st.integers(0, 24).map(str),
             "decision_date": day(START), "note": plain, "version": st.just("current")},
            {"reason": choices(ExtensionReason.values), "months": numbers(-5, 130), "decision_date": dates(),
             "version": versions}),
        FILES, st.sampled_from(["besluit.pdf", "x.png", "a.exe", "", "../../x.pdf"])),
        echo=["note"], current_version=version)


def test_fuzz_phase_change(personas, login, version, phases):
    ours, foreign = phases
    fuzz_form(login(personas.coordinator), _url(personas, "trajects:phase_change"), form_data(
        {"phase": st.sampled_from(ours), "since": day(START), "version": st.just("current")},
        {"phase": choices(ours, *foreign), "since": dates(), "version": versions}),
        current_version=version)


def test_fuzz_regime_change(personas, login, version):
    fuzz_form(login(personas.coordinator), _url(personas, "trajects:regime_change"), form_data(
        {"regime": st.sampled_from(Regime.values), "change_date": day(START), "start": day(START),
         "decision_date": day(START), "version": st.just("current")},
        {"regime": choices(Regime.values), "change_date": dates(), "start": dates(), "decision_date": dates(),
         "version": versions}),
        current_version=version)


def test_fuzz_milestone(personas, login, version):
    fuzz_form(login(personas.coach), _url(personas, "trajects:milestone_add"), form_data(
        {"date": day(START), "label": plain, "note": plain, "version": st.just("current")},
        {"date": dates(), "version": versions}),
        echo=["label", "note"], current_version=version)
