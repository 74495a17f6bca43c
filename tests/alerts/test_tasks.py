"""The platform's behaviour around the broker: down (the portal keeps working) and up (a real worker)."""

import datetime
import logging
import os
import time

import pytest
from django.urls import reverse

from lde_portal.alerts import tasks
from lde_portal.alerts.models import Alert, AlertSettings
from lde_portal.celery import app
from lde_portal.queue import enqueue

from .conftest import KIND, end_contract

IN_CI = bool(os.environ.get("CI"))


@pytest.mark.django_db
def test_with_the_broker_down_pages_work_and_saving_does_not_fail(
        personas, provider, login, broker_down, caplog, django_capture_on_commit_callbacks):
    client = login(personas.org_admin)
    for url in [reverse("trajects:home", kwargs={"org_slug": personas.org.slug}),
                reverse("alerts:list", kwargs={"org_slug": personas.org.slug}),
                reverse("alerts:settings", kwargs={"org_slug": personas.org.slug})]:
        assert client.get(url).status_code == 200, url
    data = {f"lead_{KIND}": "60", "escalation_delay_days": "14", "feedback_grace_days": "10",
            "default_digest": "weekly", "version": "1"}
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="lde_portal.queue"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(reverse("alerts:settings", kwargs={"org_slug": personas.org.slug}), data)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the rescan was queued after the commit...
    assert "Could not queue" in caplog.text  # ...failed to reach the broker, and said so in the log
    assert time.monotonic() - started < 10
    assert AlertSettings.objects.get(organisation=personas.org).lead_times == {KIND: [60]}
    assert enqueue(tasks.scan_organisation, personas.org.pk) is False


@pytest.mark.django_db
def test_when_the_broker_returns_the_next_scan_raises_what_was_missed(personas, provider, broker_down):
    end_contract(personas, datetime.date(2026, 6, 30))
    enqueue(tasks.scan_organisation, personas.org.pk, "2026-06-01")  # lost: the broker is down
    assert not Alert.objects.exists()
    # Redis is back; the next day's scan (here run in-process, like `manage.py scan_alerts`) catches up.
    app.conf.task_always_eager = True
    tasks.scan_all.delay("2026-06-20")
    assert Alert.objects.get().due == datetime.date(2026, 6, 30)


@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_raises_an_alert_in_the_test_database(personas, provider):
    """CI sets CELERY_BROKER_URL to Redis: beat's task goes through the broker, a worker thread runs the
    fan-out and the organisation's scan, and the alert appears in this test's database."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if IN_CI:
            pytest.fail("CI must configure CELERY_BROKER_URL (the real Redis)")
        pytest.skip("no broker configured: tasks run in-process (the embedded demo)")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    def close_connections(**kwargs):
        connections.close_all()  # the worker thread's own connections, so the test database can be dropped

    end_contract(personas, datetime.date(2026, 6, 30))
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)  # raises when Redis is down: a failure, not a skip
    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
            tasks.scan_all.delay("2026-06-10")
            deadline = time.monotonic() + 30
            while not Alert.objects.filter(kind=KIND).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            alert = Alert.objects.filter(kind=KIND).first()
    finally:
        task_postrun.disconnect(close_connections)
    assert alert is not None, "the worker did not raise the alert within 30 s"
    assert alert.worker_id == personas.worker.pk and alert.recipients.filter(membership=personas.coach).exists()
