"""The broker as production sees it when Redis is stopped, for tests of what the portal does then."""

import pytest

from lde_portal.celery import app

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    """Eager mode off and a broker URL nobody listens on. `broker_back()` (the fixture's value) turns the
    broker on again as an in-process worker, so a retry runs the job locally and in CI alike."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool)
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets it).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app.conf.task_always_eager = False
    app.conf.broker_url = CLOSED_PORT
    app._pool = app.amqp._producer_pool = None

    def broker_back():
        app.conf.task_always_eager = True

    yield broker_back
    app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool = saved
