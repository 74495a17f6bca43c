"""During an import the check constraints are judged in Python (lde_portal/imports/constraints.py): for every
check constraint of the portal's models, on values around its bounds and NULL, the verdict is the database's."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Q, Value

from lde_portal.imports.constraints import _Unjudged, judge

pytestmark = pytest.mark.django_db


def _constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield model, constraint


def _references(condition):
    """{field name: literals it is compared with}, the F() references included."""
    found = {}
    for child in condition.children:
        if isinstance(child, Q):
            for name, literals in _references(child).items():
                found.setdefault(name, set()).update(literals)
            continue
        key, value = child
        name = key.split("__")[0]
        found.setdefault(name, set())
        if isinstance(value, F):
            found.setdefault(value.name, set())
        elif isinstance(value, list | tuple):
            found[name].update(value)
        elif not isinstance(value, bool):
            found[name].add(value)
    return found


def _samples(field, literals):
    if isinstance(field, models.DateField):
        base = datetime.date(2024, 1, 10)
        return [None, base - datetime.timedelta(days=1), base, base + datetime.timedelta(days=1)]
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        numbers = {n + step for n in literals for step in (-1, 0, 1)} | {0}
        if isinstance(field, models.DecimalField):
            numbers |= {Decimal(n) + Decimal("0.5") for n in literals}
        return [None, *sorted(numbers)]
    return [None, *sorted({str(v) for v in literals} | {"", "x"})]


CASES = [(model, constraint) for model, constraint in _constraints()]


def test_the_portal_has_check_constraints_to_judge():
    assert len(CASES) >= 15


@pytest.mark.parametrize(("model", "constraint"), CASES, ids=[f"{m._meta.label}.{c.name}" for m, c in CASES])
def test_python_and_the_database_agree(model, constraint):
    references = _references(constraint.condition)
    fields = {name: model._meta.get_field(name) for name in references}
    samples = {name: _samples(field, references[name]) for name, field in fields.items()}
    judged = 0
    for combination in itertools.islice(itertools.product(*samples.values()), 400):
        against = {name: Value(value, fields[name]) for name, value in zip(samples, combination, strict=True)}
        if any(v.value is None and not fields[n].null for n, v in against.items()):
            continue
        try:
            verdict = judge(Q(constraint.condition), against)
        except _Unjudged:
            continue
        database = Q(constraint.condition).check(against)
        assert (verdict is not False) == database, (constraint.name, {n: v.value for n, v in against.items()})
        judged += 1
    assert judged, constraint.name
