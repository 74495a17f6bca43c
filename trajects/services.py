"""Every write of the worker register. Keyword-only arguments, one audit entry per meaningful change."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version

from .models import CoachAssignment, Employment, StatusChange, Worker, WorkerStatus


def _duplicate_insz_error():
    return ValidationError({"insz": [_("A worker with this INSZ number already exists in this organisation.")]})


def suggested_fte(weekly_hours) -> Decimal:
    """FTE fraction of a contract: weekly hours ÷ full-time hours (PORTAL_FULL_TIME_HOURS)."""
    fte = Decimal(str(weekly_hours)) / Decimal(str(settings.PORTAL_FULL_TIME_HOURS))
    return min(Decimal("1"), fte.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


@transaction.atomic
def worker_create(*, organisation, actor, data: dict, status: str, status_date, employment: dict | None = None,
                  coach=None, coach_role=None) -> Worker:
    worker = Worker(organisation=organisation, status=status, status_since=status_date, **data)
    worker.full_clean(exclude=["organisation"])
    if Worker.objects.filter(organisation=organisation, insz=worker.insz).exists():
        raise _duplicate_insz_error()
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        # Two coordinators registering the same person at once: the unique constraint decides.
        raise _duplicate_insz_error() from None
    StatusChange.objects.create(
        organisation=organisation, worker=worker, status=status, date=status_date, created_by=actor
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=worker, worker_id=worker.pk,
                 changes=diff({}, snapshot(worker, ["first_name", "last_name", "status"])))
    if employment:
        employment_add(worker=worker, actor=actor, data=employment)
    if coach is not None:
        coach_assign(worker=worker, actor=actor, coach=coach, role=coach_role or "job_coach", start=status_date)
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, actor, data: dict, expected_version=None) -> Worker:
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(locked, expected_version)
    before = snapshot(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["organisation"])
    if Worker.objects.filter(organisation_id=locked.organisation_id, insz=locked.insz).exclude(pk=locked.pk).exists():
        raise _duplicate_insz_error()
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked))
    changes.pop("version", None)
    changes.pop("updated_at", None)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.pk, changes=changes)
    return locked


@transaction.atomic
def worker_change_status(*, worker: Worker, actor, status: str, date, note: str = "") -> StatusChange:
    if status not in WorkerStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    last = worker.status_changes.order_by("-date", "-id").first()
    if last and date < last.date:
        raise ValidationError(
            {"date": [_("The date is before the previous status change (%(date)s).") % {"date": last.date.strftime("%d/%m/%Y")}]}
        )
    change = StatusChange.objects.create(
        organisation_id=worker.organisation_id, worker=worker, status=status, date=date, note=note, created_by=actor
    )
    before = worker.status
    Worker.objects.filter(pk=worker.pk).update(status=status, status_since=date, version=worker.version + 1)
    worker.status, worker.status_since, worker.version = status, date, worker.version + 1
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=worker, worker_id=worker.pk,
                 changes={"status": [before, status]}, summary=note)
    return change


@transaction.atomic
def employment_add(*, worker: Worker, actor, data: dict) -> Employment:
    data = dict(data)
    if not data.get("fte") and data.get("weekly_hours"):
        data["fte"] = suggested_fte(data["weekly_hours"])
    employment = Employment(organisation_id=worker.organisation_id, worker=worker, **data)
    employment.full_clean(exclude=["organisation", "worker"])
    if employment.activity.organisation_id != worker.organisation_id:
        raise ValidationError({"activity": [_("This activity does not belong to this organisation.")]})
    employment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=employment, worker_id=worker.pk,
                 changes=diff({}, snapshot(employment, ["activity_id", "contract_start", "contract_end", "weekly_hours", "fte"])))
    return employment


@transaction.atomic
def employment_update(*, employment: Employment, actor, data: dict) -> Employment:
    locked = Employment.objects.select_for_update().get(pk=employment.pk)
    before = snapshot(locked)
    data = dict(data)
    if not data.get("fte") and data.get("weekly_hours"):
        data["fte"] = suggested_fte(data["weekly_hours"])
    for field, value in data.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["organisation", "worker"])
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes=diff(before, snapshot(locked)))
    return locked


@transaction.atomic
def coach_assign(*, worker: Worker, actor, coach, role: str, start, end=None) -> CoachAssignment:
    if coach.organisation_id != worker.organisation_id or not coach.active:
        raise ValidationError({"coach": [_("Choose an active member of this organisation.")]})
    overlapping = CoachAssignment.objects.filter(worker=worker, coach=coach, role=role).exclude(end__lt=start)
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        raise ValidationError({"coach": [_("This coach is already assigned with this role in that period.")]})
    assignment = CoachAssignment(
        organisation_id=worker.organisation_id, worker=worker, coach=coach, role=role, start=start, end=end
    )
    assignment.full_clean(exclude=["organisation", "worker"])
    assignment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assignment, worker_id=worker.pk,
                 summary=f"{coach.user} ({role})")
    return assignment


@transaction.atomic
def coach_unassign(*, assignment: CoachAssignment, actor, end) -> CoachAssignment:
    if end < assignment.start:
        raise ValidationError({"end": [_("The end date is before the start date of the assignment.")]})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=assignment, worker_id=assignment.worker_id,
                 changes={"end": [None, end.isoformat()]})
    return assignment
