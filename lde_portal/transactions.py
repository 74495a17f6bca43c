"""The transaction of a service call, and how a bulk writer keeps it from costing a savepoint per call.

A service is atomic (docs/architecture.md, "Where code goes"): called alone it is the transaction, called inside
another one it is a savepoint, so that a caller may catch the service's refusal and go on with the transaction.
The import calls the services tens of thousands of times, each row inside its own savepoint, and no caller there
catches a service's refusal and goes on: a refusal refuses the row, and the row's savepoint undoes it. There
the services' own savepoints undo nothing the row's would not, and cost two round trips per call (40 % of an
import's queries, docs/performance.md). `savepoints_by_caller()` turns them off for its block.

Inside that block nothing may catch a service's exception and go on in the same transaction: Django then refuses
every further query ("An error occurred in the current transaction"), so such a caller fails loudly, never
half-written. A block of a service's own that it does catch (`with transaction.atomic():` around a save whose
IntegrityError it turns into a message) stays a savepoint.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.db import transaction

_caller_savepoints = contextvars.ContextVar("services_savepoints_by_caller", default=False)


def service_atomic(func):
    """`transaction.atomic` for a service function: a savepoint when nested, unless the caller keeps its own."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(savepoint=not _caller_savepoints.get()):
            return func(*args, **kwargs)

    return wrapper


@contextmanager
def savepoints_by_caller():
    """Services called in this block make no savepoint of their own: the caller undoes a refused call with its
    own savepoint (or the whole transaction), and never catches a refusal to go on."""
    token = _caller_savepoints.set(True)
    try:
        yield
    finally:
        _caller_savepoints.reset(token)
