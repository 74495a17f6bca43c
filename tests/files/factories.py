"""Generated files (lde_portal.files) of each kind, as the tests need them."""

import datetime

from django.core.files.base import ContentFile

from lde_portal.files.models import FileStatus, GeneratedFile

FAR = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def export_file(organisation, membership, *, exporter="workers", fmt="csv", filename="w.csv", total=1,
                content=None, **fields) -> GeneratedFile:
    generated = GeneratedFile.objects.create(
        organisation=organisation, kind="reports.export", created_by=membership.user, filename=filename,
        params={"exporter": exporter, "format": fmt, "filters": {}}, total=total,
        expires_at=fields.pop("expires_at", FAR), **fields)
    if content is not None:
        generated.status = FileStatus.DONE
        generated.file.save(filename, ContentFile(content))
    return generated


def batch_file(organisation, user, *, kind="experience_attestation", language="nl", worker_ids=(),
               content=None, **fields) -> GeneratedFile:
    generated = GeneratedFile.objects.create(
        organisation=organisation, kind="documents.batch", created_by=user, filename=f"{kind}-batch.zip",
        params={"kind": kind, "language": language, "form_data": {"language": language},
                "worker_ids": list(worker_ids)},
        expires_at=fields.pop("expires_at", FAR), **fields)
    if content is not None:
        generated.file.save("t.zip", ContentFile(content))
    return generated


def subject_access_file(organisation, worker_id, user=None, content=b"PK\x03\x04test") -> GeneratedFile:
    generated = GeneratedFile.objects.create(
        organisation=organisation, kind="privacy.subject_access", created_by=user, worker_id=worker_id,
        filename=f"inzage-{worker_id}.zip", status=FileStatus.DONE, total=1, done=1, expires_at=FAR)
    generated.file.save("x.zip", ContentFile(content))
    return generated
