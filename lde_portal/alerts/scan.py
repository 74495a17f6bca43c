"""The daily scan of one organisation: run every provider, raise, resolve, re-open and escalate.

Everything derives from the database state, so a run can be repeated, or skipped and caught up by the
next one, without duplicates: raising is an insert on the unique key (kind, subject_key, due) with
conflicts ignored. The number of queries is the same for 5 or 500 workers (one per provider plus a
fixed number of bulk statements).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lde_portal.accounts.access import current_assignment_q
from lde_portal.accounts.models import Membership, Role

from .config import AlertConfig, config_for
from .models import ACTIVE_STATES, Alert, AlertRecipient, AlertState
from .registry import ASSIGNED_COACHES, COORDINATORS, PROVIDERS, AlertCandidate

logger = logging.getLogger(__name__)


@dataclass
class ScanResult:
    raised: int = 0
    resolved: int = 0
    reopened: int = 0
    escalated: int = 0
    failed_kinds: list = field(default_factory=list)


def _collect(organisation, today: date, config: AlertConfig, result: ScanResult) -> tuple[dict, list]:
    """Candidates of every provider that ran, keyed by the alert identity; and the kinds that ran.

    A provider that raises is logged and skipped, and its existing alerts are left alone (a crash must
    never look like "every condition is gone")."""
    candidates: dict[tuple, AlertCandidate] = {}
    ran = []
    for kind, spec in list(PROVIDERS.items()):
        try:
            # A savepoint: a failing query in one provider must not break the others on PostgreSQL.
            with transaction.atomic():
                found = list(spec.provider(organisation, today, config))
        except Exception:
            logger.exception("Alert provider %r failed for organisation %s", kind, organisation.slug)
            result.failed_kinds.append(kind)
            continue
        ran.append(kind)
        for candidate in found:
            if candidate.kind != kind:
                logger.warning("Provider %r returned a candidate of kind %r: ignored", kind, candidate.kind)
                continue
            if candidate.notify_from <= today:
                candidates[(candidate.kind, candidate.subject_key, candidate.due)] = candidate
    return candidates, ran


def _own_workers(organisation, candidates: dict) -> dict:
    """Drop candidates naming a worker of another organisation (a provider bug must not leak alerts)."""
    if not candidates:
        return candidates
    worker_model = apps.get_model("trajects", "Worker")
    ids = set(worker_model.objects.filter(
        organisation=organisation, pk__in={c.worker_id for c in candidates.values()}
    ).values_list("pk", flat=True))
    return {key: c for key, c in candidates.items() if c.worker_id in ids}


def _recipient_resolver(organisation, candidates, today):
    """Resolve recipient rules with two queries for the whole organisation."""
    worker_ids = {c.worker_id for c in candidates}
    coaches: dict[int, set] = {}
    if worker_ids:
        assignment_model = apps.get_model("trajects", "CoachAssignment")
        for worker_id, coach_id in assignment_model.objects.filter(
            current_assignment_q(on=today), worker_id__in=worker_ids, coach__active=True,
            coach__organisation=organisation,
        ).values_list("worker_id", "coach_id"):
            coaches.setdefault(worker_id, set()).add(coach_id)
    coordinators = set(Membership.objects.filter(
        organisation=organisation, role=Role.COORDINATOR, active=True, user__is_active=True
    ).values_list("pk", flat=True))
    members = None

    def resolve(candidate: AlertCandidate) -> set:
        nonlocal members
        ids = set()
        for rule in candidate.recipients:
            if rule == ASSIGNED_COACHES:
                ids |= coaches.get(candidate.worker_id, set())
            elif rule == COORDINATORS:
                ids |= coordinators
            elif isinstance(rule, int):
                if members is None:
                    members = set(Membership.objects.filter(organisation=organisation, active=True)
                                  .values_list("pk", flat=True))
                if rule in members:
                    ids.add(rule)
            else:
                logger.warning("Unknown recipient rule %r for alert kind %r", rule, candidate.kind)
        # Nobody to tell (no coach assigned yet): the coordinators watch the team's deadlines.
        return ids or coordinators

    return resolve, coordinators


@transaction.atomic
def scan_organisation(*, organisation, today: date | None = None) -> ScanResult:
    today = today or timezone.localdate()
    now = timezone.now()
    result = ScanResult()
    config = config_for(organisation)
    candidates, ran = _collect(organisation, today, config, result)
    candidates = _own_workers(organisation, candidates)

    # A snooze ends on its date: the alert is open again (and may escalate below).
    Alert.objects.filter(organisation=organisation, state=AlertState.SNOOZED, snoozed_until__lte=today).update(
        state=AlertState.OPEN, snoozed_until=None)

    subject_keys = {key[1] for key in candidates}
    closed = [AlertState.RESOLVED, AlertState.DONE]
    known = {
        (kind, subject_key, due): (alert_id, state)
        for alert_id, kind, subject_key, due, state in Alert.objects.filter(organisation=organisation, kind__in=ran)
        .filter(Q(state__in=ACTIVE_STATES) | Q(state__in=closed, subject_key__in=subject_keys))
        .values_list("id", "kind", "subject_key", "due", "state")
    }
    new = [c for key, c in candidates.items() if key not in known]
    # ignore_conflicts: a concurrent run (a retried task) may have inserted the same key a moment ago.
    Alert.objects.bulk_create([
        Alert(organisation=organisation, kind=c.kind, worker_id=c.worker_id, subject_key=c.subject_key[:100],
              due=c.due, notify_from=c.notify_from, title=c.title[:200], url=c.url[:300])
        for c in new
    ], ignore_conflicts=True)
    current = {}
    if new:
        for alert_id, kind, subject_key, due in Alert.objects.filter(
            organisation=organisation, state=AlertState.OPEN, subject_key__in={c.subject_key for c in new},
            kind__in={c.kind for c in new},
        ).values_list("id", "kind", "subject_key", "due"):
            if (kind, subject_key, due) in candidates and (kind, subject_key, due) not in known:
                current[alert_id] = candidates[(kind, subject_key, due)]
        result.raised = len(current)

    to_resolve, to_reopen = [], []
    for key, (alert_id, state) in known.items():
        if key not in candidates:
            if state in ACTIVE_STATES:
                to_resolve.append(alert_id)
            continue
        if state == AlertState.DONE:
            continue
        if state == AlertState.RESOLVED:
            to_reopen.append(alert_id)
        current[alert_id] = candidates[key]
    if to_resolve:
        result.resolved = Alert.objects.filter(pk__in=to_resolve).update(state=AlertState.RESOLVED, resolved_at=now,
                                                                          snoozed_until=None)
    if to_reopen:
        result.reopened = Alert.objects.filter(pk__in=to_reopen).update(state=AlertState.OPEN, resolved_at=None)

    resolve, coordinators = _recipient_resolver(organisation, current.values(), today)
    wanted = {(alert_id, m) for alert_id, c in current.items() for m in resolve(c)}
    existing = {(a, m): (pk, esc) for pk, a, m, esc in AlertRecipient.objects.filter(alert_id__in=current)
                .values_list("id", "alert_id", "membership_id", "escalation")}
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert_id=a, membership_id=m) for a, m in wanted - set(existing)], ignore_conflicts=True)
    # A coach who is no longer assigned stops receiving the alert; escalation recipients stay.
    stale = [pk for key, (pk, esc) in existing.items() if key not in wanted and not esc]
    if stale:
        AlertRecipient.objects.filter(pk__in=stale).delete()

    result.escalated = _escalate(organisation, today, now, config, coordinators)
    logger.info("Alert scan %s on %s: %s", organisation.slug, today, result)
    return result


def _escalate(organisation, today, now, config: AlertConfig, coordinators: set) -> int:
    """Open alerts overdue by the escalation delay go to the organisation's coordinators too."""
    kinds = [kind for kind, spec in PROVIDERS.items() if spec.escalates]
    limit = today - timedelta(days=config.escalation_delay_days)
    ids = list(Alert.objects.filter(organisation=organisation, kind__in=kinds, state=AlertState.OPEN,
                                    escalated_at__isnull=True, due__lte=limit).values_list("pk", flat=True))
    if not ids:
        return 0
    Alert.objects.filter(pk__in=ids).update(escalated_at=now)
    AlertRecipient.objects.filter(alert_id__in=ids, membership_id__in=coordinators).update(escalation=True)
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert_id=a, membership_id=m, escalation=True) for a in ids for m in coordinators],
        ignore_conflicts=True)
    return len(ids)
