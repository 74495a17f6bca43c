from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("alerts/_this_week.html", takes_context=True)
def alerts_this_week(context):
    """The "Deze week" card of the home page and dashboards: the member's overdue and this week's alerts."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    today = timezone.localdate()
    return {
        "alerts": selectors.this_week(membership, today) if membership else [],
        "today": today, "current_org": context.get("current_org"),
    }


@register.filter
def days_until(due, today):
    return (due - today).days


@register.filter
def absolute(value):
    return abs(value)
