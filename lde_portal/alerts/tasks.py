"""Thin Celery wrappers: take ids, load, call the service. Idempotent by construction."""

import logging
from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from lde_portal.accounts.models import Organisation
from lde_portal.queue import enqueue

from . import digest, scan

logger = logging.getLogger(__name__)


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(name="alerts.scan_all")
def scan_all(today: str | None = None) -> int:
    """Beat, 06:00: one task per organisation, so one organisation's failure never stops the others."""
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for org_id in ids:
        try:
            enqueue(scan_organisation, org_id, today)
        except Exception:
            # Eager mode (no broker) runs the task inline: its exception must not stop the loop.
            logger.exception("Alert scan of organisation %s failed", org_id)
    return len(ids)


@shared_task(name="alerts.scan_organisation", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def scan_organisation(org_id: int, today: str | None = None) -> dict:
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        return {}
    return vars(scan.scan_organisation(organisation=organisation, today=_day(today)))


@shared_task(name="alerts.send_digests")
def send_digests(today: str | None = None) -> int:
    """Beat, 07:00 (after the scan): one task per member whose digest goes out today."""
    due = digest.due_digests(_day(today))
    for membership_id, period in due:
        try:
            enqueue(send_digest, membership_id, period, today)
        except Exception:
            logger.exception("Digest of membership %s failed", membership_id)
    return len(due)


@shared_task(name="alerts.send_digest", bind=True, max_retries=5, default_retry_delay=300)
def send_digest(self, membership_id: int, period: str, today: str | None = None) -> str:
    try:
        return digest.send_digest(membership_id=membership_id, period=period, today=_day(today))
    except OSError as exc:  # SMTP down: try again later; the claim was released
        raise self.retry(exc=exc) from exc
