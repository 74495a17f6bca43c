"""Thin Celery wrappers around the pop services. Idempotent: a refresh recomputes from the database."""

from celery import shared_task

from lde_portal.accounts.models import Organisation

from .services import pop_schedule_refresh_all


@shared_task(name="pop.refresh_due")
def refresh_due(organisation_id: int | None = None) -> int:
    """Beat, 05:30: recompute the stored POP due dates before the 06:00 alert scan reads them (new hires
    and status changes are made in trajects, which does not know about POPs)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    return pop_schedule_refresh_all(organisation=organisation)
