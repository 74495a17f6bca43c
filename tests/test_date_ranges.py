"""lde_portal/dates.py: every date the portal stores or takes in has a plausible range, and the guards that keep
it so (a new model or form date without a range fails here)."""

import datetime
import pathlib
import re

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from lde_portal import dates
from lde_portal.forms import DateField as FormDateField
from tests.forms_walk import portal_form_classes

ROOT = pathlib.Path(__file__).resolve().parent.parent
D = datetime.date
TODAY = D(2026, 11, 23)

# Model dates that nobody types: the services compute them with the rules engine from dates that were
# checked (a planned end from a checked start, a due date from a checked decision). A range on them
# would only move the refusal to a field the user cannot see.
COMPUTED = {
    "trajects.Trajectory.term_start", "trajects.Trajectory.planned_end", "trajects.Trajectory.next_due",
    "trajects.Trajectory.evaluation_requested_on",  # copied from the evaluation request, which is ranged
    "trajects.SineStatus.end",                      # rules.sine_end(start)
    "trajects.TrajectoryDeadline.due",
    "indication.Advice.track_start_due",            # decision + 3 months
    "indication.EvaluationRequest.earliest_allowed", "indication.EvaluationRequest.pop_update_due",
    "pop.PopSchedule.hire_date", "pop.PopSchedule.first_pop_due", "pop.PopSchedule.first_registered_on",
    "pop.PopSchedule.last_approved_on", "pop.PopSchedule.review_due", "pop.PopSchedule.next_due",
    "inflow.Candidate.last_step_on",                # the latest of the application's checked step dates
    "inflow.Application.advice_due", "inflow.Application.contact_due",  # referral/ranking + the settings' days
    "inflow.Application.session_on",                # copied from the information session, which is ranged
    "inflow.Application.advice_on",                 # copied from the advice's decision date, which is ranged
    "inflow.Application.hired_on",                  # copied from the contract start, which is ranged
    "throughflow.FollowUp.due",                     # exit + 1/3/6/12 months
    "throughflow.Track.phase_due", "throughflow.TrackPause.phase_due_before", "throughflow.TrackPause.phase_due_after",
    "alerts.Alert.due", "alerts.Alert.notify_from",  # copied from the deadline providers
}


def _project_date_fields():
    for model in apps.get_models():
        if not (model.__module__.startswith(("lde_portal.", "trajects.", "indication.", "pop.", "inflow.", "throughflow."))):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                yield f"{model._meta.app_label}.{model.__name__}.{field.name}", field


def test_every_model_date_has_a_range_or_is_computed():
    fields = dict(_project_date_fields())
    assert len(fields) >= 80
    missing = [name for name, f in fields.items()
               if name not in COMPUTED and getattr(f, "date_range", None) is None]
    assert not missing, "Give these a range (lde_portal.dates.DateField) or list them as computed:\n" + "\n".join(missing)
    ranged_computed = [name for name in COMPUTED if getattr(fields[name], "date_range", None) is not None]
    assert not ranged_computed
    assert not COMPUTED - set(fields), "stale names in COMPUTED"


def test_every_form_date_carries_a_range():
    classes = list(portal_form_classes())
    unranged = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in classes for name, field in cls.base_fields.items()
                if isinstance(field, forms.DateField) and not any(isinstance(v, dates.InRange) for v in field.validators)]
    assert not unranged, "Use lde_portal.forms.DateField(date_range=...) for:\n" + "\n".join(unranged)


def test_no_plain_form_date_field_in_the_source():
    """Fields added in a form's __init__ are not in base_fields: the source is the guard for those."""
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"forms\.DateField\(", text) and path != ROOT / "lde_portal" / "forms.py":
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


@pytest.mark.parametrize(("date_range", "earliest", "latest"), [
    (dates.BIRTH, D(1926, 11, 23), D(2011, 11, 23)),
    (dates.WORKING_LIFE, D(1970, 1, 1), D(2036, 11, 23)),
    (dates.GUIDANCE, D(2000, 1, 1), D(2036, 11, 23)),
    (dates.LDE_ERA, D(2015, 4, 1), D(2036, 11, 23)),
    (dates.DUE, D(2000, 1, 1), D(2031, 11, 23)),
    (dates.RULE_TABLE, D(2000, 1, 1), D(2076, 11, 23)),
    (dates.PERIOD, D(2000, 1, 1), D(2036, 11, 23)),
])
def test_range_edges(date_range, earliest, latest):
    one = datetime.timedelta(days=1)
    assert date_range.bounds(TODAY) == (earliest, latest)
    for inside in (earliest, latest):
        date_range.validate(inside, TODAY)
    for outside in (earliest - one, latest + one, D(1, 1, 1), D(9999, 12, 31)):
        with pytest.raises(ValidationError) as exc:
            date_range.validate(outside, TODAY)
        assert exc.value.code == "date_out_of_range"
        assert f"{earliest:%d/%m/%Y} en {latest:%d/%m/%Y}" in exc.value.messages[0]


def test_ranges_follow_the_calendar_and_29_february():
    assert dates.BIRTH.bounds(D(2028, 2, 29)) == (D(1928, 2, 29), D(2013, 2, 28))
    assert dates.DUE.bounds(D(2028, 2, 29))[1] == D(2033, 2, 28)


def test_the_message_names_the_reason_in_dutch():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False):
        message = dates.WORKING_LIFE.message()
    assert message == ("Vul een datum in tussen 01/01/1970 en 23/11/2036: geen loopbaan in het dossier begon vóór "
                       "1970 en niets wordt meer dan 10 jaar vooruit gepland.")


def test_require_keys_each_refusal_on_its_field():
    with pytest.raises(ValidationError) as exc:
        dates.require(start=(dates.WORKING_LIFE, D(9999, 12, 31)), end=(dates.GUIDANCE, None),
                      decision_date=(dates.LDE_ERA, D(2015, 3, 31)))
    assert set(exc.value.message_dict) == {"start", "decision_date"}
    dates.require(start=(dates.WORKING_LIFE, D(2020, 1, 1)))


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(("name", "field"), sorted((n, f) for n, f in _project_date_fields()
                                                     if getattr(f, "date_range", None) is not None))
@pytest.mark.parametrize("value", [D(1, 1, 1), D(9999, 12, 31), "floor-1", "ceiling+1", "floor", "ceiling"])
def test_every_model_date_refuses_what_is_out_of_range(name, field, value):
    """The model field (full_clean, so every service that cleans before saving) and the form field a model form
    gets from it both refuse, with the message; the range's own edges pass."""
    earliest, latest = field.date_range.bounds()
    one = datetime.timedelta(days=1)
    day = {"floor-1": earliest - one, "ceiling+1": latest + one, "floor": earliest, "ceiling": latest}.get(value, value)
    refused = not earliest <= day <= latest
    form_field = field.formfield()
    assert isinstance(form_field, FormDateField)
    if refused:
        with pytest.raises(ValidationError) as exc:
            field.run_validators(day)
        assert exc.value.messages == [field.date_range.message()]
        with pytest.raises(ValidationError):
            form_field.clean(day.strftime("%d/%m/%Y") if day.year >= 1000 else f"{day.day:02d}/{day.month:02d}/{day.year:04d}")
    else:
        field.run_validators(day)
        form_field.clean(day.strftime("%d/%m/%Y"))


def test_model_dates_stay_out_of_migrations():
    """The range moves with the calendar: a migration may never need to be written for it."""
    field = apps.get_model("trajects", "Trajectory")._meta.get_field("start")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.DateField" and "date_range" not in kwargs
