"""The throughflow track: opened on the VDAB decision, its phases, coaching hours and pauses."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from indication.services import advice_track_started
from lde_portal import dates
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic
from trajects import rules
from trajects.models import WorkerStatus
from trajects.selectors import ruleset as trajects_ruleset

from .. import rules as tf_rules
from ..models import CoachingHours, Track, TrackPause, TrackPhase
from .common import _alerts_refresh, _d


def decision_reference(advice) -> str:
    """The track's reference to the decision recorded on the Indicering tab: issuer and consultant (the date
    is stored beside it)."""
    parts = [advice.get_issuing_body_display(), advice.consultant_name]
    return " · ".join(p for p in parts if p)[:100]


@service_atomic
def track_open(*, worker, actor, data: dict, today=None, rule_set=None):
    """Open the track. It must start within GENERAL.throughflow_start_months (3) of the favourable
    decision (trajects.rules.throughflow_track_start_due); a later start needs a documented reason."""
    dates.require_fields("throughflow.Track", data)
    today = today or timezone.localdate()
    rule_set = rule_set or trajects_ruleset()
    advice = data.get("decision_advice")
    if advice is not None:
        # The decision recorded on the Indicering tab is the source: its date and reference win over
        # whatever the form carried.
        if advice.worker_id != worker.pk or advice.type != "throughflow_decision" or not advice.favourable:
            raise ValidationError(_("This is not a favourable throughflow decision of this worker."))
        data = {**data, "decision_date": advice.decision_date, "decision_reference": decision_reference(advice)}
    decision, start = data["decision_date"], data["start"]
    reason = (data.get("late_start_reason") or "").strip()
    errors = {}
    if worker.status == WorkerStatus.EXITED:
        raise ValidationError(_("This worker has exited."))
    if Track.objects.filter(worker=worker, closed_on__isnull=True).exists():
        raise ValidationError(_("This worker already has an open throughflow track."))
    if decision > today:
        errors["decision_date"] = [_("The decision date cannot be in the future.")]
    if start < decision:
        errors["start"] = [_("The track cannot start before the decision (%(date)s).") % {"date": _d(decision)}]
    else:
        due = rules.throughflow_track_start_due(rule_set, decision)
        if start > due and not reason:
            errors["late_start_reason"] = [
                _("The track starts more than 3 months after the decision (at the latest %(date)s): "
                  "document the reason.") % {"date": _d(due)}]
    if errors:
        raise ValidationError(errors)
    track = Track(organisation_id=worker.organisation_id, worker=worker, decision_date=decision,
                  decision_reference=data.get("decision_reference", ""), start=start, late_start_reason=reason,
                  coach_name=data.get("coach_name", ""), coach_organisation=data.get("coach_organisation", ""),
                  coach_contact=data.get("coach_contact", ""),
                  decision_advice=advice,
                  budget_hours=rules.coaching_budget_hours(rule_set, start), phase=TrackPhase.PREPARATION,
                  phase_start=start, phase_due=rules.phase_due(rule_set, TrackPhase.PREPARATION, start))
    track.full_clean(exclude=["organisation", "worker", "decision_advice"])
    track.save()
    if advice is not None:
        advice_track_started(advice=advice, actor=actor, start=start)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=track, worker_id=worker.pk,
                 summary=f"{_d(decision)} {track.decision_reference}".strip())
    _alerts_refresh(worker.organisation_id, worker.pk, throughflow_only=True)
    return track


def _lock(track, expected_version):
    """The track locked for the change and checked against the version the form was loaded with."""
    locked = Track.objects.select_for_update().get(pk=track.pk)
    check_version(locked, expected_version)
    return locked


@service_atomic
def track_change_phase(*, track, actor, phase: str, since, expected_version=None, rule_set=None):
    dates.require(since=(dates.GUIDANCE, since))
    locked = _lock(track, expected_version)
    if locked.paused_since is not None:
        raise ValidationError(_("The track is paused since %(date)s: resume it before changing the phase.")
                              % {"date": _d(locked.paused_since)})
    if phase not in TrackPhase.values:
        raise ValidationError({"phase": [_("Choose a phase.")]})
    if since < locked.phase_start:
        raise ValidationError({"since": [_("The new phase cannot start before the current one (%(date)s).")
                                         % {"date": _d(locked.phase_start)}]})
    before = [locked.phase, locked.phase_start.isoformat()]
    rule_set = rule_set or trajects_ruleset()
    locked.phase, locked.phase_start = phase, since
    locked.phase_due = rules.phase_due(rule_set, phase, since)
    locked.version += 1
    locked.save(update_fields=["phase", "phase_start", "phase_due", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"phase": [before[0], phase], "phase_start": [before[1], since.isoformat()]})
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return locked


@service_atomic
def hours_log(*, track, actor, data: dict, today=None):
    """Log coaching hours. Hours beyond the budget are accepted (the tab flags them), never capped."""
    dates.require_fields("throughflow.CoachingHours", data)
    today = today or timezone.localdate()
    if data["date"] < track.start:
        raise ValidationError({"date": [_("The date lies before the start of the track (%(date)s).")
                                        % {"date": _d(track.start)}]})
    if data["date"] > today:
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    entry = CoachingHours(organisation_id=track.organisation_id, track=track, date=data["date"],
                          hours=data["hours"], note=data.get("note", ""),
                          created_by=actor if getattr(actor, "pk", None) else None)
    entry.full_clean(exclude=["organisation", "track", "created_by"])
    entry.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, worker_id=track.worker_id,
                 summary=f"{entry.hours} h")
    _alerts_refresh(track.organisation_id, track.worker_id, throughflow_only=True)
    return entry


def _pause_dates_errors(field, day, today, track):
    if day > today:
        return {field: [_("The date cannot be in the future.")]}
    if day < track.phase_start:
        return {field: [_("The date lies before the start of the current phase (%(date)s).")
                        % {"date": _d(track.phase_start)}]}
    return {}


@service_atomic
def track_pause(*, track, actor, data: dict, expected_version=None, today=None):
    """Pause the track from data["paused_from"] with a reason; the phase-maximum alert stops until resumed."""
    dates.require_fields("throughflow.TrackPause", data)
    today = today or timezone.localdate()
    locked = _lock(track, expected_version)
    if locked.closed_on is not None:
        raise ValidationError(_("The track is closed; a closed track cannot be paused."))
    if locked.paused_since is not None:
        raise ValidationError(_("The track is already paused since %(date)s.") % {"date": _d(locked.paused_since)})
    day, reason = data["paused_from"], (data.get("reason") or "").strip()
    errors = _pause_dates_errors("paused_from", day, today, locked)
    last = locked.pauses.exclude(resumed_on__isnull=True).order_by("-resumed_on").first()
    if not errors and last and day < last.resumed_on:
        errors["paused_from"] = [_("This pause overlaps the previous one (%(start)s to %(end)s).")
                                 % {"start": _d(last.paused_from), "end": _d(last.resumed_on)}]
    if not reason:
        errors["reason"] = [_("Give the reason for the pause.")]
    if errors:
        raise ValidationError(errors)
    pause = TrackPause(organisation_id=locked.organisation_id, track=locked, paused_from=day, reason=reason,
                       phase=locked.phase, phase_due_before=locked.phase_due,
                       created_by=actor if getattr(actor, "pk", None) else None)
    pause.full_clean(exclude=["organisation", "track", "created_by", "resumed_by"])
    pause.save()
    locked.paused_since = day
    locked.version += 1
    locked.save(update_fields=["paused_since", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"paused_since": [None, day.isoformat()]}, summary=reason[:200])
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return pause


@service_atomic
def track_resume(*, track, actor, data: dict, expected_version=None, today=None):
    """Resume on data["resumed_on"]: the current phase's last day moves by the paused days
    (throughflow.rules.phase_due_after_pause)."""
    dates.require_fields("throughflow.TrackPause", data)
    today = today or timezone.localdate()
    locked = _lock(track, expected_version)
    if locked.closed_on is not None:
        raise ValidationError(_("The track is closed; a closed track cannot be resumed."))
    pause = locked.pauses.filter(resumed_on__isnull=True).order_by("-paused_from").first()
    if locked.paused_since is None or pause is None:
        raise ValidationError(_("The track is not paused."))
    day = data["resumed_on"]
    if day > today:
        raise ValidationError({"resumed_on": [_("The date cannot be in the future.")]})
    if day < pause.paused_from:
        raise ValidationError({"resumed_on": [_("The track cannot resume before the pause started (%(date)s).")
                                              % {"date": _d(pause.paused_from)}]})
    before = locked.phase_due
    locked.phase_due = tf_rules.phase_due_after_pause(locked.phase_due, pause.paused_from, day)
    locked.paused_since = None
    locked.version += 1
    locked.save(update_fields=["phase_due", "paused_since", "version"])
    pause.resumed_on, pause.phase_due_after = day, locked.phase_due
    pause.resume_note = (data.get("note") or "").strip()
    pause.resumed_by = actor if getattr(actor, "pk", None) else None
    pause.full_clean(exclude=["organisation", "track", "created_by", "resumed_by"])
    pause.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes={"paused_since": [pause.paused_from.isoformat(), None],
                          "phase_due": [before.isoformat(), locked.phase_due.isoformat()]})
    _alerts_refresh(locked.organisation_id, locked.worker_id, throughflow_only=True)
    return pause
