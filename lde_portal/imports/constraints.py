"""Check constraints judged in Python during an import, where Django would ask the database.

`full_clean()` validates every CheckConstraint of a model with a query of its own (`Q.check`: a SELECT inside a
savepoint, three round trips), which is 16 % of an import's queries (docs/performance.md). The portal's check
constraints are comparisons of a record's own fields with each other and with constants (an end on or after
its start, hours between 0 and 50, a level from 1 to 4): Python judges those exactly as SQL does, NULL
included (a comparison with NULL is unknown, and an unknown condition passes, as Django's check treats it).
Anything else (a function, a join, a value that is an expression) is left to the database, and the database
still enforces every constraint on save.

Only inside `judged_in_python()` (the import's run), so the rest of the portal queries as before.
"""

import contextvars
import operator
from contextlib import contextmanager

from django.core.exceptions import FieldError, ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CheckConstraint, F, Q, Value

_in_python = contextvars.ContextVar("check_constraints_in_python", default=False)
_database_validate = CheckConstraint.validate

_COMPARE = {"exact": operator.eq, "lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


class _Unjudged(Exception):
    """A condition Python does not judge: the database does."""


def _value(expression, against):
    if isinstance(expression, F):
        if expression.name not in against:
            raise FieldError(expression.name)  # as Q.check: a constraint on an excluded field is skipped
        expression = against[expression.name]
    if isinstance(expression, Value):
        return expression.value
    if hasattr(expression, "resolve_expression"):
        raise _Unjudged
    return expression


def _lookup(key, value, against):
    """True, False or None (unknown, as SQL's NULL) for one `field__lookup=value`."""
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise _Unjudged
    left = _value(F(name), against)
    if lookup == "isnull":
        return (left is None) == bool(value)
    if lookup == "in":
        values = [_value(v, against) for v in value]
        if left is None:
            return None
        if left in values:
            return True
        return None if None in values else False
    compare = _COMPARE.get(lookup)
    if compare is None:
        raise _Unjudged
    right = _value(value, against)
    if lookup == "exact" and right is None:
        return left is None  # field=None is IS NULL in Django's SQL
    if left is None or right is None:
        return None
    try:
        return compare(left, right)
    except TypeError:
        raise _Unjudged from None


def judge(condition: Q, against: dict):
    """SQL's three-valued verdict of `condition` on the field values `against` (Model._get_field_expression_map):
    True, False or None; _Unjudged when Python cannot tell."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(judge(child, against))
        elif isinstance(child, tuple):
            results.append(_lookup(child[0], child[1], against))
        else:
            raise _Unjudged
    if condition.connector == Q.AND:
        verdict = False if False in results else None if None in results else True
    else:
        verdict = True if True in results else None if None in results else False
    if condition.negated:
        verdict = None if verdict is None else not verdict
    return verdict


def _validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
    if not _in_python.get():
        return _database_validate(self, model, instance, exclude=exclude, using=using)
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    try:
        verdict = judge(Q(self.condition), against)
    except FieldError:
        return None
    except _Unjudged:
        return _database_validate(self, model, instance, exclude=exclude, using=using)
    if verdict is False:
        raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)
    return None


def install():
    """From ImportsConfig.ready(): CheckConstraint.validate consults `judged_in_python()`."""
    CheckConstraint.validate = _validate


@contextmanager
def judged_in_python():
    token = _in_python.set(True)
    try:
        yield
    finally:
        _in_python.reset(token)
