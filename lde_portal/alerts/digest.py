"""E-mail digests: one e-mail per member and period, at most once, listing only workers they may see."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from lde_portal.accounts.models import Membership

from . import selectors
from .config import config_from
from .models import AlertPreference, AlertRecipient, AlertSettings, DigestFrequency, DigestLog

logger = logging.getLogger(__name__)


def period_for(frequency: str, today: date) -> str | None:
    """The period key of a digest sent today, or None when this frequency sends nothing today."""
    if frequency == DigestFrequency.DAILY:
        return today.isoformat()
    if frequency == DigestFrequency.WEEKLY and today.weekday() == 0:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def due_digests(today: date) -> list[tuple[int, str]]:
    """(membership id, period) of every active member whose digest goes out today. Three queries."""
    defaults = {s.organisation_id: config_from(s).default_digest for s in AlertSettings.objects.all()}
    prefs = dict(AlertPreference.objects.exclude(digest="").values_list("membership_id", "digest"))
    out = []
    for pk, org_id in Membership.objects.filter(active=True, user__is_active=True).values_list("pk", "organisation_id"):
        frequency = prefs.get(pk) or defaults.get(org_id, DigestFrequency.WEEKLY)
        period = period_for(frequency, today)
        if period:
            out.append((pk, period))
    return out


def _render(membership, items, today):
    base = settings.PORTAL_BASE_URL.rstrip("/")
    org = membership.organisation
    rows = [{
        "kind": item.alert.kind_label, "title": item.alert.title, "worker": item.worker_name, "due": item.alert.due,
        "overdue": item.alert.due < today, "escalated": bool(item.alert.escalated_at),
        "url": base + (item.alert.url or reverse("alerts:list", kwargs={"org_slug": org.slug})),
    } for item in items]
    context = {
        "membership": membership, "organisation": org, "rows": rows, "today": today,
        "list_url": base + reverse("alerts:list", kwargs={"org_slug": org.slug}),
        "preferences_url": base + reverse("alerts:preferences", kwargs={"org_slug": org.slug}),
    }
    subject = ngettext("%(org)s: %(n)d deadline needs your attention",
                       "%(org)s: %(n)d deadlines need your attention", len(rows)) % {"org": org.name, "n": len(rows)}
    return (subject, render_to_string("alerts/email/digest.txt", context),
            render_to_string("alerts/email/digest.html", context))


def send_digest(*, membership_id: int, period: str, today: date | None = None) -> str:
    """Claim the (member, period) row with a conditional UPDATE, then send. A retried or duplicated task
    finds the row claimed and sends nothing. A failed send releases the claim so the retry can send."""
    today = today or timezone.localdate()
    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is None or not membership.active or not membership.user.is_active:
        return "inactive"
    log, _created = DigestLog.objects.get_or_create(membership=membership, period=period)
    claimed = DigestLog.objects.filter(pk=log.pk, claimed_at__isnull=True).update(claimed_at=timezone.now())
    if not claimed:
        return "already-claimed"
    try:
        with translation.override(settings.LANGUAGE_CODE):
            items = selectors.digest_items(membership, today)
            if items:
                subject, text, html = _render(membership, items, today)
                message = EmailMultiAlternatives(subject, text, to=[membership.user.email])
                message.attach_alternative(html, "text/html")
                message.send()
    except Exception:
        DigestLog.objects.filter(pk=log.pk, sent_at__isnull=True).update(claimed_at=None)
        raise
    now = timezone.now()
    with transaction.atomic():
        for item in items:
            AlertRecipient.objects.filter(pk=item.recipient_id, notified_stage__lt=item.stage).update(
                notified_stage=item.stage, notified_at=now)
        DigestLog.objects.filter(pk=log.pk).update(sent_at=now, alert_count=len(items))
    return f"sent:{len(items)}" if items else "nothing-new"


