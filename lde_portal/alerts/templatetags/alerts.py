from dateutil.relativedelta import relativedelta
from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@register.filter
def due_phrase(due, today):
    """How far the due date is, in words with the right plural ("over 1 maand", "3 dagen te laat").
    Beyond eight weeks in months, as the trajectory reminders are set in months (12, 6, 3)."""
    days = (due - today).days
    if days < 0:
        return ngettext("%(count)s day overdue", "%(count)s days overdue", -days) % {"count": -days}
    if days == 0:
        return _("due today")
    if days <= 56:
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    delta = relativedelta(due, today)
    months = delta.years * 12 + delta.months + (1 if delta.days >= 15 else 0)
    return ngettext("in %(count)s month", "in %(count)s months", months) % {"count": months}
