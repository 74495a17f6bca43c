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
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

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


def _collect(organisation, today: date, config: AlertConfig, result: ScanResult, kinds=None) -> tuple[dict, list]:
    """Candidates of every provider that ran, keyed by the alert identity; and the kinds that ran.

    A provider that raises is logged and skipped, and its existing alerts are left alone (a crash must
    never look like "every condition is gone")."""
    candidates: dict[tuple, AlertCandidate] = {}
    ran = []
    for kind, spec in list(PROVIDERS.items()):
        if kinds is not None and kind not in kinds:
            continue
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
def scan_organisation(*, organisation, today: date | None = None, worker_ids=None, kinds=None) -> ScanResult:
    """The daily scan; with `worker_ids` (and optionally `kinds`) it only raises and resolves the alerts of
    those workers, which is what a service runs right after the task was done (the alert must go in the
    same request, not at 06:00 the next day). Escalation is left to the daily run."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = ScanResult()
    config = config_for(organisation)
    # Titles are stored in the portal's language whoever triggers the run (a refresh inside an English
    # user's request must not rewrite the Dutch titles the nightly run wrote).
    with translation.override(settings.LANGUAGE_CODE):
        candidates, ran = _collect(organisation, today, config, result, kinds=kinds)
    if worker_ids is not None:
        worker_ids = set(worker_ids)
        candidates = {key: c for key, c in candidates.items() if c.worker_id in worker_ids}
    candidates = _own_workers(organisation, candidates)
    scope = Q(worker_id__in=worker_ids) if worker_ids is not None else Q()

    # A snooze ends on its date: the alert is open again (and may escalate below).
    Alert.objects.filter(scope, organisation=organisation, state=AlertState.SNOOZED,
                         snoozed_until__lte=today).update(state=AlertState.OPEN, snoozed_until=None)

    subject_keys = {key[1] for key in candidates}
    closed = [AlertState.RESOLVED, AlertState.DONE]
    known, shown = {}, {}
    for alert_id, kind, subject_key, due, state, title, url in (
            Alert.objects.filter(scope, organisation=organisation, kind__in=ran)
            .filter(Q(state__in=ACTIVE_STATES) | Q(state__in=closed, subject_key__in=subject_keys))
            .values_list("id", "kind", "subject_key", "due", "state", "title", "url")):
        known[(kind, subject_key, due)] = (alert_id, state)
        shown[alert_id] = (title, url)
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
    # A provider may change what an alert says or where "Openen" leads (a better page for the task):
    # open alerts follow, in one statement.
    changed = [Alert(pk=alert_id, title=c.title[:200], url=c.url[:300]) for alert_id, c in current.items()
               if alert_id in shown and shown[alert_id] != (c.title[:200], c.url[:300])]
    if changed:
        Alert.objects.bulk_update(changed, ["title", "url"])

    if worker_ids is None:
        _deescalate(organisation, today)
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

    if worker_ids is None:
        result.escalated = _escalate(organisation, today, now, config, coordinators)
    # The refresh after a single change runs on every save: only the daily run is worth an INFO line.
    logger.log(logging.INFO if worker_ids is None else logging.DEBUG, "Alert scan %s on %s: %s", organisation.slug,
               today, result)
    return result


def _escalation_horizon(today):
    return today - timedelta(days=settings.PORTAL_ALERT_ESCALATION_HORIZON_DAYS)


def _deescalate(organisation, today) -> None:
    """Past the escalation horizon the escalation is taken back. Runs before the recipients are synced,
    which then removes the coordinators who only had the alert as an escalation (those the kind addresses
    anyway are kept)."""
    stale = Alert.objects.filter(organisation=organisation, escalated_at__isnull=False,
                                 due__lt=_escalation_horizon(today), state__in=ACTIVE_STATES)
    AlertRecipient.objects.filter(alert__in=stale, escalation=True).update(escalation=False)
    stale.update(escalated_at=None)


def _escalate(organisation, today, now, config: AlertConfig, coordinators: set) -> int:
    """Open alerts overdue by the escalation delay go to the organisation's coordinators too, until they
    are overdue by more than PORTAL_ALERT_ESCALATION_HORIZON_DAYS: then the escalation is taken back
    (the coordinators' list must show this week's emergencies, not a deadline missed years ago; the
    assigned coaches keep the alert)."""
    kinds = [kind for kind, spec in PROVIDERS.items() if spec.escalates]
    limit = today - timedelta(days=config.escalation_delay_days)
    horizon = _escalation_horizon(today)
    ids = list(Alert.objects.filter(organisation=organisation, kind__in=kinds, state=AlertState.OPEN,
                                    escalated_at__isnull=True, due__lte=limit, due__gte=horizon)
               .values_list("pk", flat=True))
    if not ids:
        return 0
    Alert.objects.filter(pk__in=ids).update(escalated_at=now)
    AlertRecipient.objects.filter(alert_id__in=ids, membership_id__in=coordinators).update(escalation=True)
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert_id=a, membership_id=m, escalation=True) for a in ids for m in coordinators],
        ignore_conflicts=True)
    return len(ids)
