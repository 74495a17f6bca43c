"""Issued documents and batches without rendering (for permission and query-count tests)."""

import hashlib
import itertools
import secrets

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from lde_portal.documents.models import IssuedDocument
from lde_portal.files.models import FileStatus, GeneratedFile
from tests.files.factories import batch_file

_seq = itertools.count(1)


def make_document(worker, issued_by, **extra) -> IssuedDocument:
    # Above the organisation's numbers already issued (the demo data issues real ones).
    issued = IssuedDocument.objects.filter(organisation_id=worker.organisation_id, year=2026).aggregate(
        last=Max("sequence"))["last"] or 0
    n = max(next(_seq), issued + 1)
    data = b"%PDF-1.7 fake " + str(n).encode()
    fields = {"check_code": "ABCDEF", **extra}
    doc = IssuedDocument(
        organisation_id=worker.organisation_id, worker_id=worker.pk, worker_name=worker.full_name,
        worker_initials=worker.initials, kind="experience_attestation", kind_label="Ervaringsbewijs",
        number=f"T{worker.organisation_id}-2026-{n:06d}", year=2026, sequence=n,
        token=secrets.token_urlsafe(24), language="nl", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        issued_by=issued_by, issued_at=timezone.now(), **fields,
    )
    doc.file.save(f"{secrets.token_hex(8)}.pdf", ContentFile(data), save=False)
    doc.save()
    return doc


def make_batch(organisation, created_by, with_zip=True) -> GeneratedFile:
    return batch_file(organisation, created_by, status=FileStatus.DONE,
                      content=b"PK\x05\x06" + b"\0" * 18 if with_zip else None)
