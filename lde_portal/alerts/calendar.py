"""The private iCalendar feed of one member's deadlines (icalendar library)."""

from datetime import date, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone, translation

from . import selectors


def feed(membership, today: date) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//LDE-portaal//Deadlines//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"LDE · {membership.organisation.name}")
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for alert in selectors.calendar_alerts(membership, today):
            event = icalendar.Event()
            event.add("uid", f"alert-{alert.pk}@lde-portaal")
            event.add("dtstamp", stamp)
            # All-day: DTSTART is a date and DTEND the next day (RFC 5545 §3.6.1).
            event.add("dtstart", alert.due)
            event.add("dtend", alert.due + timedelta(days=1))
            initials = selectors.initials(alert.worker_first_name, alert.worker_last_name)
            event.add("summary", f"{alert.kind_label} · {initials}")
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
