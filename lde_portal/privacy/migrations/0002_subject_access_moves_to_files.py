"""Subject-access files become generated files of kind "privacy.subject_access" (lde_portal.files): each is
carried over with its ZIP, requester and size, expiring PORTAL_SUBJECT_ACCESS_KEEP_DAYS after it was made,
then the privacy table goes."""

import datetime

from django.conf import settings
from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("privacy", "SubjectAccessExport")
    New = apps.get_model("files", "GeneratedFile")
    keep = datetime.timedelta(days=settings.PORTAL_SUBJECT_ACCESS_KEEP_DAYS)
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            organisation_id=old.organisation_id, kind="privacy.subject_access", created_by_id=old.requested_by_id,
            worker_id=old.worker_id, status="done", total=1, done=1, file=old.file.name, size=old.size,
            filename=f"inzage-{old.worker_id}-{old.created_at:%Y%m%d}.zip", finished_at=old.created_at,
            expires_at=old.created_at + keep)
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("files", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="SubjectAccessExport"),
    ]
