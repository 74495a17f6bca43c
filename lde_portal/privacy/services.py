"""Writes of the privacy app: subject-access exports, retention runs and erasure on request."""

import datetime
import io
import json
import zipfile

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import _plain, audit_record, diff, snapshot
from lde_portal.concurrency import check_version
from lde_portal.files import services as files
from lde_portal.files.models import GeneratedFile

from . import registry, retention
from .models import ErasureRequest, Pseudonymisation, RetentionPolicy


def policy_for(organisation) -> RetentionPolicy:
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    return policy or RetentionPolicy(organisation=organisation)


@transaction.atomic
def policy_update(*, organisation, actor, data: dict, expected_version=None) -> RetentionPolicy:
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    check_version(policy, expected_version)
    fields = ["confidential_months", "pseudonymise_months", "subsidy_years"]
    before = snapshot(policy, fields)
    for name in fields:
        setattr(policy, name, data[name])
    policy.full_clean(exclude=["organisation"])
    policy.version += 1
    policy.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=policy, organisation=organisation,
                 changes=diff(before, snapshot(policy, fields)))
    return policy


# Subject access -------------------------------------------------------------------------------------

def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    value = _plain(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _readable(value):
    """How a value reads in the PDF: Belgian date format, yes/no, names rather than ids."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    return str(value)


def subject_sections(worker, *, readable=False) -> list[dict]:
    convert = _readable if readable else _jsonable
    return [
        {"title": str(title), "records": [{str(k): convert(v) for k, v in record.items()} for record in records]}
        for title, records in registry.collect(worker)
    ]


def build_subject_access_zip(worker, *, generated_at) -> bytes:
    # Importing WeasyPrint loads Pango and fontconfig (seconds of start-up); only the PDF paths pay for it.
    from weasyprint import HTML  # noqa: PLC0415

    sections = subject_sections(worker)
    document = {
        "worker_id": worker.pk,
        "organisation": worker.organisation.name,
        "generated_at": generated_at.isoformat(),
        "sections": sections,
    }
    html = render_to_string("privacy/subject_access.html", {
        "worker": worker, "sections": subject_sections(worker, readable=True), "generated_at": generated_at,
    })
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inzage.pdf", pdf)
        archive.writestr("inzage.json", json.dumps(document, ensure_ascii=False, indent=2))
    return buffer.getvalue()


SUBJECT_ACCESS = "privacy.subject_access"  # the generated-file kind of a subject-access file (lde_portal.files)


@transaction.atomic
def subject_access_create(*, worker, actor) -> GeneratedFile:
    """A worker's complete file as a ZIP (readable PDF + machine-readable JSON), a generated file built at
    once, downloadable by the organisation's coordinators only (GDPR art. 15) for
    PORTAL_SUBJECT_ACCESS_KEEP_DAYS."""
    now = timezone.now()
    content = build_subject_access_zip(worker, generated_at=now)
    export = files.generated_file_create(
        kind=SUBJECT_ACCESS, organisation_id=worker.organisation_id, owner=actor, worker_id=worker.pk, total=1,
        filename=f"inzage-{worker.pk}-{now:%Y%m%d}.zip")
    export = files.generated_file_store(export, content, done=1)
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=export, organisation=worker.organisation,
                 worker_id=worker.pk, summary=_("Subject-access request (PDF and JSON)"))
    return export


def find_expired_exports(organisation, today, policy):
    limit = timezone.make_aware(datetime.datetime.combine(
        today - datetime.timedelta(days=settings.PORTAL_SUBJECT_ACCESS_KEEP_DAYS), datetime.time.min))
    return [
        retention.RetentionItem(
            object_type="files.generatedfile", object_id=str(e.pk), action="delete", worker_id=e.worker_id,
            description=_("Subject-access export of %(date)s") % {"date": timezone.localtime(e.created_at).strftime("%d/%m/%Y")},
            due=timezone.localdate(e.created_at) + datetime.timedelta(days=settings.PORTAL_SUBJECT_ACCESS_KEEP_DAYS),
        )
        for e in GeneratedFile.objects.filter(organisation=organisation, kind=SUBJECT_ACCESS, created_at__lt=limit)
    ]


def delete_exports(items):
    for export in GeneratedFile.objects.filter(kind=SUBJECT_ACCESS, pk__in=[int(i.object_id) for i in items]):
        export.file.delete(save=False)
        export.delete()


# Retention -----------------------------------------------------------------------------------------

def retention_plan(organisation, today=None):
    today = today or timezone.localdate()
    return retention.plan(organisation, today, policy_for(organisation))


@transaction.atomic
def retention_run(organisation, today=None) -> int:
    """Carry out what the dry run lists, handler by handler; one audit entry per item."""
    done = 0
    for section in retention_plan(organisation, today):
        if not section.items:
            continue
        section.handler.apply(section.items)
        for item in section.items:
            audit_record(actor=None, action=AuditAction.DELETE, organisation=organisation, worker_id=item.worker_id,
                         object_type=item.object_type, object_id=item.object_id,
                         summary=f"{_('Retention')}: {item.action} ({section.handler.key})")
        done += len(section.items)
    return done


def mark_pseudonymised(*, organisation_id, worker_id, reason):
    Pseudonymisation.objects.get_or_create(worker_id=worker_id,
                                           defaults={"organisation_id": organisation_id, "reason": reason})


# Erasure on request --------------------------------------------------------------------------------

@transaction.atomic
def erasure_request(*, worker, actor, reason: str) -> ErasureRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the erasure (for example the worker's written request).")]})
    if Pseudonymisation.objects.filter(worker_id=worker.pk).exists():
        raise ValidationError({"reason": [_("This worker's data has already been erased.")]})
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                organisation_id=worker.organisation_id, worker_id=worker.pk, worker_label=worker.full_name,
                reason=reason, requested_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"reason": [_("An erasure request for this worker is already awaiting approval.")]}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=request, worker_id=worker.pk,
                 summary=_("Erasure requested"))
    return request


@transaction.atomic
def erasure_decide(*, request: ErasureRequest, actor, approve: bool, note: str = "") -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if locked.requested_by_id == actor.pk:
        raise ValidationError(_("Another person than the one who asked must approve an erasure (four-eyes principle)."))
    locked.status = ErasureRequest.Status.APPROVED if approve else ErasureRequest.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note[:500]
    if approve:
        worker = apps.get_model("trajects", "Worker").objects.get(pk=locked.worker_id, organisation_id=locked.organisation_id)
        for handler in sorted(retention.HANDLERS.values(), key=lambda h: h.key):
            if handler.erase is not None:
                handler.erase(worker)
        mark_pseudonymised(organisation_id=locked.organisation_id, worker_id=worker.pk,
                           reason=Pseudonymisation.Reason.ERASURE)
        locked.worker_label = f"#{worker.pk}"
    locked.save()
    audit_record(actor=actor, action=AuditAction.DELETE if approve else AuditAction.UPDATE, obj=locked,
                 worker_id=locked.worker_id,
                 summary=_("Erasure approved and carried out") if approve else _("Erasure rejected"))
    return locked
