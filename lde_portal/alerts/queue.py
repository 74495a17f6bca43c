"""Queue background work without ever breaking a page: the portal must keep saving with the broker down."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# Fail fast when the broker is unreachable instead of holding the user's request.
_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task now; a broker error is logged, not raised (the next daily run catches up)."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=_RETRY_POLICY)
    except Exception:
        logger.exception("Could not queue (or, without a broker, run) task %s%r; the next scheduled run catches up",
                         task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue after the surrounding transaction commits, so the worker sees the saved data."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
