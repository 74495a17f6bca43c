"""Attestation batches become generated files of kind "documents.batch" (lde_portal.files), so their ZIPs
expire like every generated file: each batch is carried over with its ZIP, progress, errors and owner, its
issued documents point to the new row, then the batch table goes. A carried-over batch is kept for
PORTAL_GENERATED_FILE_DAYS from the migration (its documents stay whatever happens to the ZIP)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

STATUS = {"pending": "pending", "running": "running", "done": "done", "failed": "failed"}


def forward(apps, schema_editor):
    Batch = apps.get_model("documents", "DocumentBatch")
    Document = apps.get_model("documents", "IssuedDocument")
    New = apps.get_model("files", "GeneratedFile")
    expires = timezone.now() + datetime.timedelta(days=settings.PORTAL_GENERATED_FILE_DAYS)
    for batch in Batch.objects.all().iterator():
        errors = [e for e in batch.errors if e.get("worker_id")]
        job_errors = [e.get("error", "") for e in batch.errors if not e.get("worker_id")]
        error = "not_queued" if "not_queued" in job_errors else ("permission" if job_errors else "")
        new = New.objects.create(
            organisation_id=batch.organisation_id, kind="documents.batch", created_by_id=batch.created_by_id,
            params={"kind": batch.kind, "language": batch.language, "form_data": batch.form_data,
                    "worker_ids": batch.worker_ids},
            status=STATUS.get(batch.status, "failed"), total=batch.total, done=batch.done, failed=batch.failed,
            error=error, errors=errors, file=batch.zip_file.name if batch.zip_file else "",
            filename=f"{batch.kind}-{batch.created_at:%Y%m%d}-{batch.pk}.zip", sha256=batch.zip_sha256,
            queued_at=batch.queued_at, finished_at=batch.finished_at, expires_at=expires)
        New.objects.filter(pk=new.pk).update(created_at=batch.created_at)
        Document.objects.filter(batch_id=batch.pk).update(generated_batch_id=new.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_private_file_names"),
        ("files", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="issueddocument", name="generated_batch",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="files.generatedfile"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(model_name="issueddocument", name="batch"),
        migrations.RenameField(model_name="issueddocument", old_name="generated_batch", new_name="batch"),
        migrations.AlterField(
            model_name="issueddocument", name="batch",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="documents", to="files.generatedfile"),
        ),
        migrations.DeleteModel(name="DocumentBatch"),
    ]
