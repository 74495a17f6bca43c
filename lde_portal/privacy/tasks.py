import logging

from celery import shared_task
from django.utils import timezone

from lde_portal.accounts.models import Organisation

from .services import retention_run

logger = logging.getLogger(__name__)


@shared_task(name="lde_portal.privacy.tasks.apply_retention")
def apply_retention() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): per organisation, carry out what the retention dry run lists."""
    today = timezone.localdate()
    total = 0
    for organisation in Organisation.objects.order_by("pk"):
        done = retention_run(organisation, today)
        if done:
            logger.info("retention: %s item(s) carried out for %s", done, organisation.slug)
        total += done
    return total
