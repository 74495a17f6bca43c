import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def files_to_generated_files(apps, schema_editor):
    """Each kept upload becomes a generated file of kind imports.file, expiring PORTAL_IMPORT_FILE_DAYS after its
    run was made; a dry run and the import of it share one."""
    ImportRun = apps.get_model("imports", "ImportRun")
    GeneratedFile = apps.get_model("files", "GeneratedFile")
    days = datetime.timedelta(days=getattr(settings, "PORTAL_IMPORT_FILE_DAYS", 30))
    made = {}
    for run in ImportRun.objects.exclude(file="").order_by("id").iterator():
        upload = made.get(run.file.name)
        if upload is None:
            ext = run.file.name.rsplit(".", 1)[-1] if "." in run.file.name else ""
            upload = GeneratedFile.objects.create(
                organisation_id=run.organisation_id, kind="imports.file",
                created_by_id=run.created_by.user_id if run.created_by_id else None,
                file=run.file.name, filename=f"import.{ext}" if ext else "import", sha256=run.sha256,
                status="done", finished_at=run.created_at, expires_at=run.created_at + days)
            made[run.file.name] = upload
        ImportRun.objects.filter(pk=run.pk).update(upload=upload)


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0001_initial'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='upload',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='files.generatedfile'),
        ),
        migrations.RunPython(files_to_generated_files, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='importrun',
            name='file',
        ),
    ]
