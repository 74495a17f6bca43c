from celery import shared_task
from django.db import transaction

from . import selectors, services
from .models import Trajectory


@shared_task(name="trajects.refresh_deadlines")
def refresh_deadlines() -> int:
    """Roll every open trajectory's `next_due` forward and apply an edited rule table (daily, before the
    alert scan). Idempotent: it recomputes from the stored facts."""
    rule_set = selectors.ruleset()
    count = 0
    for trajectory in Trajectory.objects.filter(closed_on__isnull=True).select_related("worker").iterator():
        with transaction.atomic():
            services.deadlines_refresh(trajectory=trajectory, rule_set=rule_set)
        count += 1
    return count
