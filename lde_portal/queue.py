"""Queue background work without ever breaking a page: the portal must keep working with the broker down.

The one way the portal hands work to Celery. Publishing waits at most a few seconds for the broker
(`CELERY_BROKER_CONNECT_TIMEOUT` and the publish retry policy in settings), so a request never hangs on a
dead Redis. Two kinds of work use it:

- catch-up work (an organisation's alert rescan): a lost message is logged, the next scheduled run catches up;
- a job someone is waiting for (a background export, an attestation batch): `on_failure` marks the job failed
  at once, so the page says it could not be started and offers to try again instead of "waiting" forever.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task, *args, on_failure=None, **kwargs) -> bool:
    """Send a task now. A broker error (or, without a broker, the in-process run failing) is logged and
    `on_failure()` is called; it is never raised to the page."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        logger.exception("Could not queue (or, without a broker, run) task %s%r", task.name, args)
        if on_failure is not None:
            on_failure()
        return False
    return True


def enqueue_on_commit(task, *args, on_failure=None, **kwargs) -> None:
    """Queue after the surrounding transaction commits, so the worker sees the saved data."""
    transaction.on_commit(lambda: enqueue(task, *args, on_failure=on_failure, **kwargs))


def job_is_stale(queued_at) -> bool:
    """A job someone waits for, still pending PORTAL_JOB_STALE_MINUTES after it was queued: its message or
    the worker that held it was lost, so the page offers to try again."""
    return queued_at is not None and timezone.now() - queued_at > datetime.timedelta(
        minutes=settings.PORTAL_JOB_STALE_MINUTES)
