"""Background exports become generated files of kind "reports.export" (lde_portal.files): the rows are
carried over with their files, owner, progress and expiry, then the reports table goes."""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("reports", "GeneratedFile")
    New = apps.get_model("files", "GeneratedFile")
    Membership = apps.get_model("accounts", "Membership")
    users = dict(Membership.objects.values_list("pk", "user_id"))
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            organisation_id=old.organisation_id, kind="reports.export", created_by_id=users.get(old.created_by_id),
            params={"exporter": old.exporter, "format": old.format, "filters": old.filters}, status=old.status,
            total=old.total, done=old.done, error=old.error, file=old.file.name, filename=old.filename,
            queued_at=old.queued_at, expires_at=old.expires_at)
        # auto_now_add: the original moment is kept with an update.
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_private_file_names"),
        ("files", "0001_initial"),
        ("accounts", "0005_private_file_names"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="GeneratedFile"),
    ]
