import hashlib
import io
import pathlib
import zipfile

import pytest

from lde_portal.documents import services
from lde_portal.documents.models import IssuedDocument
from lde_portal.files.models import FileStatus, GeneratedFile
from tests.factories import WorkerFactory, coached_worker

pytestmark = pytest.mark.django_db


def _workers(personas, n):
    return [coached_worker(personas.activity, personas.coach) for _ in range(n)]


def test_batch_of_30_is_one_task_with_progress_and_a_failure_reported(personas, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    workers = _workers(personas, 29)
    broken = WorkerFactory(organisation=personas.org, first_name="Zonder", last_name="Contract")
    workers.insert(12, broken)  # no employment: the builder refuses this one, the others go on
    progress = []
    real_progress = services._progress

    def spy(batch_id, **changes):
        real_progress(batch_id, **changes)
        row = GeneratedFile.objects.get(pk=batch_id)
        progress.append((row.done, row.failed))

    monkeypatch.setattr(services, "_progress", spy)
    from lde_portal.documents import tasks

    calls = []
    real_send = tasks.run_batch.apply_async
    monkeypatch.setattr(tasks.run_batch, "apply_async", lambda *a, **k: calls.append(a) or real_send(*a, **k))
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_start(kind="experience_attestation", membership=personas.coordinator,
                                     worker_ids=[w.pk for w in workers],
                                     data={"language": "nl", "role": "", "main_tasks": "Fietsen herstellen"})
    assert len(calls) == 1  # one task for the whole batch
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failed) == ("done", 30, 29, 1)
    assert batch.errors == [{"worker_id": broken.pk, "worker": "Zonder Contract",
                             "error": "Zonder Contract heeft geen tewerkstelling: voeg er eerst een toe in het dossier."}]
    # One progress update per worker, counting up to the end.
    steps = [p for p in progress if p != (0, 0)]
    assert steps[-1] == (29, 1) and len(steps) == 30
    assert all(a[0] + a[1] < b[0] + b[1] for a, b in zip(steps, steps[1:], strict=False))
    documents = IssuedDocument.objects.filter(batch=batch)
    assert documents.count() == 29 and len({d.number for d in documents}) == 29
    with batch.file.open("rb") as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert sorted(archive.namelist()) == sorted(f"{d.number}.pdf" for d in documents)
    for d in documents[:3]:
        assert hashlib.sha256(archive.read(f"{d.number}.pdf")).hexdigest() == d.sha256


def test_rerunning_a_batch_issues_nothing_twice(personas, django_capture_on_commit_callbacks):
    workers = _workers(personas, 2)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_start(kind="experience_attestation", membership=personas.coordinator,
                                     worker_ids=[w.pk for w in workers], data={"language": "en"})
    GeneratedFile.objects.filter(pk=batch.pk).update(status="running")  # a re-delivered task
    services.batch_run(batch.pk)
    assert IssuedDocument.objects.filter(batch=batch).count() == 2


def test_batch_only_takes_workers_the_member_may_see(personas):
    with pytest.raises(Exception) as info:
        services.batch_start(kind="experience_attestation", membership=personas.coordinator,
                             worker_ids=[personas.foreign_worker.pk], data={"language": "nl"})
    assert "Kies minstens één werknemer" in str(info.value)


def test_the_task_rechecks_the_batch_permission_a_member_demoted_after_queuing_gets_nothing(personas):
    """The coordinator queues a batch, becomes a coach (who may issue one document, not batches) before a
    worker picks it up: nothing is issued and no ZIP is written."""
    from lde_portal.accounts.models import Role

    workers = _workers(personas, 2)
    batch = services.batch_start(kind="experience_attestation", membership=personas.coordinator,
                                 worker_ids=[w.pk for w in workers],
                                 data={"language": "nl", "role": "", "main_tasks": "Fietsen herstellen"})
    personas.coordinator.role = Role.COACH
    personas.coordinator.save()
    batch = services.batch_run(batch.pk)
    assert batch.status == FileStatus.FAILED and not batch.file
    assert not IssuedDocument.objects.exists()


def test_a_batch_zip_expires_like_every_generated_file_and_its_documents_stay(personas):
    from lde_portal.files.services import generated_files_cleanup

    workers = _workers(personas, 1)
    batch = services.batch_start(kind="experience_attestation", membership=personas.coordinator,
                                 worker_ids=[w.pk for w in workers],
                                 data={"language": "nl", "role": "", "main_tasks": "Fietsen herstellen"})
    batch = services.batch_run(batch.pk)
    path = batch.file.path
    assert batch.status == FileStatus.DONE and batch.expires_at > batch.created_at
    assert generated_files_cleanup(now=batch.expires_at) == 1
    assert not GeneratedFile.objects.exists() and not pathlib.Path(path).exists()
    assert IssuedDocument.objects.get().batch is None
