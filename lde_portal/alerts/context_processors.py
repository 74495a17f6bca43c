from django.utils import timezone
from django.utils.functional import cached_property

from . import selectors


class AlertBell:
    """The bell's count, computed on first use only (one query), whatever the number of alerts."""

    def __init__(self, membership):
        self.membership = membership

    @cached_property
    def count(self) -> int:
        return selectors.bell_count(self.membership, timezone.localdate())


def alerts(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {"alert_bell": AlertBell(membership)}
