"""Issue #24, finding 13: with Redis unreachable, starting a background export or an attestation batch says
that the job could not be started and what to do, never answers 500, and never leaves a job "waiting"
forever: the job is failed with a retry button, and the retry runs it once the broker is back.

The broker is a real closed port (tests/broker.py) with eager mode off, here and in CI alike; the requests
run in transactions that really commit, so the job is queued exactly as in production (after the commit).
"""

import datetime
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lde_portal.documents.models import IssuedDocument
from lde_portal.files.models import FileStatus, GeneratedFile
from tests.factories import EmploymentFactory, WorkerFactory, coached_worker
from tests.files.factories import export_file

EXPORT_MESSAGE = "De export kon niet gestart worden"
BATCH_MESSAGE = "De reeks kon niet gestart worden"


@pytest.fixture
def big(personas, settings):
    settings.PORTAL_EXPORT_ASYNC_ROWS = 1
    EmploymentFactory(worker=WorkerFactory(organisation=personas.org), activity=personas.activity)
    return personas


def _start_export(client, p):
    return client.get(reverse("reports:export", kwargs={"org_slug": p.org.slug, "key": "workers"}),
                      {"format": "csv"}, follow=True)


def _start_batch(client, p, workers):
    return client.post(reverse("documents:attestations", kwargs={"org_slug": p.org.slug}), {
        "kind": "experience_attestation", "workers": [str(w.pk) for w in workers], "opt-language": "nl",
        "opt-main_tasks": "Fietsen herstellen"}, follow=True)


@pytest.mark.django_db(transaction=True)
def test_an_export_with_the_broker_down_fails_with_a_message_and_runs_on_retry(big, client, broker_down):
    client.force_login(big.manager.user)
    started = time.monotonic()
    response = _start_export(client, big)
    assert time.monotonic() - started < 10  # the page does not hang on the broker
    assert response.status_code == 200
    body = response.content.decode()
    generated = GeneratedFile.objects.get()
    assert (generated.status, generated.error) == (FileStatus.FAILED, "not_queued")
    assert EXPORT_MESSAGE in body and "Probeer het over enkele minuten opnieuw" in body
    retry = reverse("reports:file_retry", kwargs={"org_slug": big.org.slug, "pk": generated.pk})
    assert f'action="{retry}"' in body and "hx-get" not in body  # a retry button, and no endless polling
    # Still down: the retry says so again and leaves the job failed, not waiting.
    again = client.post(retry, follow=True)
    assert again.status_code == 200 and EXPORT_MESSAGE in again.content.decode()
    assert GeneratedFile.objects.get().status == FileStatus.FAILED
    broker_down()  # the broker is back
    done = client.post(retry, follow=True)
    generated.refresh_from_db()
    assert generated.status == FileStatus.DONE and generated.file
    assert "opnieuw gestart" in done.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_batch_with_the_broker_down_fails_with_a_message_and_runs_on_retry(personas, client, broker_down):
    workers = [coached_worker(personas.activity, personas.coach) for _ in range(2)]
    client.force_login(personas.coordinator.user)
    response = _start_batch(client, personas, workers)
    assert response.status_code == 200
    body = response.content.decode()
    batch = GeneratedFile.objects.get()
    assert batch.status == FileStatus.FAILED and batch.not_queued
    assert BATCH_MESSAGE in body and "Er is niets uitgereikt" in body
    retry = reverse("documents:batch_retry", kwargs={"org_slug": personas.org.slug, "batch_pk": batch.pk})
    assert f'action="{retry}"' in body and "hx-get" not in body
    assert not IssuedDocument.objects.exists()
    broker_down()  # the broker is back
    done = client.post(retry, follow=True)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.errors) == (FileStatus.DONE, 2, [])
    assert IssuedDocument.objects.filter(batch=batch).count() == 2
    assert "opnieuw gestart" in done.content.decode()


@pytest.mark.django_db
def test_a_batch_is_retried_only_by_who_may_start_it(personas, client, broker_down,
                                                     django_capture_on_commit_callbacks):
    from tests.documents.factories import make_batch

    broker_down()  # a broker that works, in-process: the same locally and in CI

    batch = make_batch(personas.org, personas.coordinator.user, with_zip=False)
    GeneratedFile.objects.filter(pk=batch.pk).update(status=FileStatus.FAILED, error="not_queued")
    retry = reverse("documents:batch_retry", kwargs={"org_slug": personas.org.slug, "batch_pk": batch.pk})
    for persona, status in [("coach", 403), ("org_admin", 403)]:
        client.force_login(getattr(personas, persona).user)
        assert client.post(retry).status_code == status
        assert GeneratedFile.objects.get().status == FileStatus.FAILED
    client.force_login(personas.manager.user)
    assert client.get(retry).status_code == 405  # a POST only
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    # The manager may start this kind: the batch is theirs now and ran (no workers, so an empty ZIP).
    batch.refresh_from_db()
    assert batch.created_by == personas.manager.user and batch.status == FileStatus.DONE


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes", "stalled"), [(29, False), (31, True)])
def test_a_job_waiting_too_long_is_shown_as_failed_with_retry(personas, client, settings, minutes, stalled):
    settings.PORTAL_JOB_STALE_MINUTES = 30
    queued = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    with time_machine.travel(queued, tick=False):
        generated = export_file(personas.org, personas.manager)
        from tests.documents.factories import make_batch

        batch = make_batch(personas.org, personas.coordinator.user, with_zip=False)
        GeneratedFile.objects.filter(pk=batch.pk).update(status=FileStatus.PENDING)
    client.force_login(personas.manager.user)
    with time_machine.travel(queued + datetime.timedelta(minutes=minutes), tick=False):
        page = client.get(reverse("reports:file", kwargs={"org_slug": personas.org.slug, "pk": generated.pk}))
        batch_page = client.get(reverse("documents:batch_detail", kwargs={"org_slug": personas.org.slug,
                                                                         "batch_pk": batch.pk}))
    for response, retry_name, kwargs in [(page, "reports:file_retry", {"pk": generated.pk}),
                                         (batch_page, "documents:batch_retry", {"batch_pk": batch.pk})]:
        body = response.content.decode()
        retry = reverse(retry_name, kwargs={"org_slug": personas.org.slug, **kwargs})
        assert (f'action="{retry}"' in body) is stalled
        assert ('hx-trigger="every 1s"' in body) is not stalled
        assert ("lange wachttijd" in body) is stalled


@pytest.mark.django_db
def test_a_job_without_a_worker_error_is_not_retried_when_it_lost_the_permission(personas, client):
    generated = export_file(personas.org, personas.manager, status=FileStatus.FAILED, error="permission")
    client.force_login(personas.manager.user)
    retry = reverse("reports:file_retry", kwargs={"org_slug": personas.org.slug, "pk": generated.pk})
    assert f'action="{retry}"' not in client.get(reverse("reports:file", kwargs={
        "org_slug": personas.org.slug, "pk": generated.pk})).content.decode()
    client.post(retry)
    assert GeneratedFile.objects.get().status == FileStatus.FAILED
