"""Reads of the audit trail, scoped to the acting member's organisation."""

import datetime

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from lde_portal.accounts.models import User

from .models import AuditEntry


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def worker_trail(membership, worker):
    return AuditEntry.objects.filter(organisation_id=membership.organisation_id,
                                     worker_id=worker.pk).select_related("actor")


def trail_users(membership):
    """Everyone who is or was a member: the trail keeps the actions of those who left."""
    return User.objects.filter(memberships__organisation_id=membership.organisation_id).order_by(
        "first_name", "last_name", "email")


def trail_object_types(membership) -> list[str]:
    return list(AuditEntry.objects.filter(organisation_id=membership.organisation_id).order_by("object_type")
                .values_list("object_type", flat=True).distinct())


def organisation_trail(membership, filters: dict):
    """The organisation's trail, newest first, narrowed by the filter form's cleaned data (empty: all)."""
    org_id = membership.organisation_id
    entries = AuditEntry.objects.filter(organisation_id=org_id).select_related("actor")
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    if filters.get("worker"):
        term = filters["worker"].strip().lstrip("#")
        if term.isdigit():
            entries = entries.filter(worker_id=int(term))
        else:
            name_q = Q()
            for part in term.split():
                name_q &= Q(first_name__icontains=part) | Q(last_name__icontains=part)
            workers = apps.get_model("trajects", "Worker").objects.filter(name_q, organisation_id=org_id)
            entries = entries.filter(worker_id__in=workers.values("pk"))
    if filters.get("date_from"):
        entries = entries.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    return entries


def worker_names(membership, worker_ids) -> dict[int, str]:
    """"First Last" of the organisation's workers among `worker_ids` (the platform does not import trajects)."""
    if not worker_ids:
        return {}
    workers = apps.get_model("trajects", "Worker").objects.filter(organisation_id=membership.organisation_id,
                                                                   pk__in=worker_ids)
    return {pk: f"{first} {last}" for pk, first, last in workers.values_list("pk", "first_name", "last_name")}
