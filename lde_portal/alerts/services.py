"""Every write of the alerts platform (except the scan, see scan.py). Keyword-only, audited."""

import contextvars
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal import dates
from lde_portal.accounts.models import Organisation
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version
from lde_portal.queue import enqueue_on_commit

from . import scan
from .models import Alert, AlertPreference, AlertSettings, AlertState, new_token
from .tasks import scan_organisation

NOT_SHOWN = object()


@transaction.atomic
def alert_snooze(*, alert: Alert, membership, until, reason: str, shown_until=NOT_SHOWN) -> Alert:
    """`shown_until`: the snooze date the page showed (None for an open alert). If someone else snoozed the alert
    since, their date and reason stand and this snooze is refused; NOT_SHOWN is code acting on its own."""
    dates.require(until=(dates.DUE, until))
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state not in (AlertState.OPEN, AlertState.SNOOZED):
        raise ValidationError(_("This alert has already been dealt with."))
    if shown_until is not NOT_SHOWN and locked.snoozed_until != shown_until:
        raise ValidationError(_("Someone else snoozed this alert in the meantime (until %(date)s, %(reason)s). "
                                "Nothing was changed: check it and snooze it again if needed.")
                              % {"date": locked.snoozed_until.strftime("%d/%m/%Y") if locked.snoozed_until else "—",
                                 "reason": locked.snooze_reason or "—"})
    today = timezone.localdate()
    errors = {}
    if until is None or until <= today:
        errors["until"] = [_("Choose a date after today.")]
    elif (until - today).days > 366:
        errors["until"] = [_("Snooze for at most a year.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the alert can wait.")]
    if errors:
        raise ValidationError(errors)
    fields = ["state", "snoozed_until", "snooze_reason"]
    before = snapshot(locked, fields)
    locked.state, locked.snoozed_until, locked.snooze_reason = AlertState.SNOOZED, until, reason.strip()
    locked.save(update_fields=["state", "snoozed_until", "snooze_reason"])
    audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes=diff(before, snapshot(locked, fields)))
    return locked


@transaction.atomic
def alert_mark_done(*, alert: Alert, membership) -> Alert:
    """Only task-like alerts are ticked off; the others resolve when the domain data changes."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if not locked.is_task:
        raise ValidationError(_("This alert disappears by itself once the deadline is met."))
    if locked.state in (AlertState.DONE, AlertState.RESOLVED):
        return locked
    before = locked.state
    locked.state, locked.resolved_at, locked.done_by, locked.snoozed_until = (
        AlertState.DONE, timezone.now(), membership, None)
    locked.save(update_fields=["state", "resolved_at", "done_by", "snoozed_until"])
    audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"state": [before, locked.state]})
    return locked


def settings_get(organisation) -> AlertSettings:
    return AlertSettings.objects.filter(organisation=organisation).first() or AlertSettings(organisation=organisation)


@transaction.atomic
def settings_update(*, organisation, actor, data: dict, expected_version=None) -> AlertSettings:
    AlertSettings.objects.get_or_create(organisation=organisation)
    locked = AlertSettings.objects.select_for_update().get(organisation=organisation)
    check_version(locked, expected_version)
    fields = ["lead_times", "feedback_grace_days", "escalation_delay_days", "default_digest"]
    before = {f: getattr(locked, f) for f in fields}
    for name in fields:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean(exclude=["organisation"])
    locked.version += 1
    locked.save()
    changes = diff(before, {f: getattr(locked, f) for f in fields})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changes)
    # New lead times or delays take effect at once; with the broker down the 06:00 run catches up.
    enqueue_on_commit(scan_organisation, organisation.pk)
    return locked


def preference_get(membership) -> AlertPreference:
    return AlertPreference.objects.filter(membership=membership).first() or AlertPreference(membership=membership)


@transaction.atomic
def preference_update(*, membership, digest: str) -> AlertPreference:
    preference, _created = AlertPreference.objects.get_or_create(membership=membership)
    preference.digest = digest
    preference.full_clean(exclude=["membership"])
    preference.save(update_fields=["digest"])
    return preference


@transaction.atomic
def calendar_token_regenerate(*, membership) -> AlertPreference:
    """A new private feed URL; the old one stops working at once (answers 404)."""
    preference, _created = AlertPreference.objects.get_or_create(membership=membership)
    preference.calendar_token = new_token()
    preference.save(update_fields=["calendar_token"])
    audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=preference,
                 organisation=membership.organisation, summary="calendar feed regenerated")
    return preference


@transaction.atomic
def calendar_token_revoke(*, membership) -> AlertPreference:
    preference, _created = AlertPreference.objects.get_or_create(membership=membership)
    preference.calendar_token = None
    preference.save(update_fields=["calendar_token"])
    audit_record(actor=membership.user, action=AuditAction.UPDATE, obj=preference,
                 organisation=membership.organisation, summary="calendar feed revoked")
    return preference


_refresh_deferred = contextvars.ContextVar("alerts_refresh_deferred", default=None)


@contextmanager
def refresh_deferred():
    """Bulk writers (the demo seed, imports) skip the per-change refresh and run one scan at the end. The block
    yields the set of the workers whose refresh it deferred: the ones to scan then."""
    pending: set = set()
    token = _refresh_deferred.set(pending)
    try:
        yield pending
    finally:
        _refresh_deferred.reset(token)


def alerts_refresh(*, organisation=None, organisation_id=None, worker_ids, kinds=None) -> None:
    """Re-run the providers for one worker right after a domain service changed what its alerts are
    about (an evaluation requested, a POP approved, feedback logged...), inside that service's
    transaction: the alert the user just dealt with is gone when the next page loads, and nothing is
    resolved if the change is rolled back. `kinds` limits the providers that run to the ones the change
    can affect. A failing provider is logged and leaves its alerts alone, as in the daily scan. Services
    may pass `organisation_id`: the organisation is then loaded only when the refresh is not deferred (a
    query per row of an import otherwise)."""
    pending = _refresh_deferred.get()
    if pending is not None:
        pending.update(worker_ids)
        return
    if organisation is None:
        organisation = Organisation.objects.get(pk=organisation_id)

    scan.scan_organisation(organisation=organisation, today=timezone.localdate(), worker_ids=set(worker_ids),
                           kinds=kinds)



def alerts_resolve(*, organisation_id, kind: str, until_by_worker: dict) -> int:
    """Resolve, in one UPDATE, each worker's open alerts of one kind whose subject key sorts on or before the
    key given for that worker (and shares its prefix up to the last ":"; keys that end in an ISO date sort by
    date).

    For writes on a screen whose query budget cannot take a provider run (the team feedback screen saves a
    whole team in one POST): the caller knows exactly which alerts its change answers. Raising what comes
    next is left to the daily scan."""
    if not until_by_worker:
        return 0
    match = Q()
    for worker_id, until in until_by_worker.items():
        prefix = until.rsplit(":", 1)[0] + ":"
        match |= Q(worker_id=worker_id, subject_key__startswith=prefix, subject_key__lte=until)
    return Alert.objects.filter(match, organisation_id=organisation_id, kind=kind,
                                state__in=[AlertState.OPEN, AlertState.SNOOZED]).update(
        state=AlertState.RESOLVED, resolved_at=timezone.now(), snoozed_until=None)
