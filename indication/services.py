"""Every write of the indication app. Keyword-only arguments, full_clean, one audit entry per change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lde_portal import dates, uploads
from lde_portal.alerts.services import alerts_refresh
from lde_portal.audit.confidential import confidential_read as audited_read
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic
from trajects import rules as trajectory_rules
from trajects.models import Trajectory
from trajects.selectors import ruleset
from trajects.services import trajectory_evaluation_requested

from . import selectors, trajectory_effect
from .alerts import RESOLVED_BY
from .models import (
    Advice,
    AdviceStatus,
    AdviceType,
    ComplementarityProfile,
    ContextProblem,
    EvaluationOutcome,
    EvaluationRequest,
    IcfItem,
    NeedsAssessment,
    NeedsScore,
    Referral,
)


def _alerts_refresh(worker_id, organisation_id):
    """The worker's indication alerts follow the change in the same request (a replaced advice, a track
    started, a request answered), not at the next morning's scan."""
    alerts_refresh(organisation_id=organisation_id, worker_ids=[worker_id], kinds=set(RESOLVED_BY))


def _sync_trajectory_evaluation(worker):
    """Tell the open trajectory the date of the latest VDAB evaluation requested while it is open: the
    trajectory's evaluation deadlines and its end alert are answered by it (trajects/alerts.py). The
    trajectory app owns those alerts and refreshes them."""
    trajectory = Trajectory.objects.filter(worker_id=worker.pk, closed_on__isnull=True).first()
    if trajectory is None:
        return
    latest = (EvaluationRequest.objects.filter(worker_id=worker.pk, requested_on__gte=trajectory.opened_on)
              .order_by("-requested_on").values_list("requested_on", flat=True).first())
    trajectory_evaluation_requested(trajectory=trajectory, requested_on=latest)

ADVICE_AUDIT_FIELDS = [
    "type", "issuing_body", "consultant_name", "consultant_contact", "referred_on", "decision_date", "valid_until",
    "destination",
    "wage_premium_percent", "guidance_premium", "favourable", "track_start_due", "track_started_on", "status", "note", "letter",
]


def _nl(d):
    return d.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- advices


def _attach_letter(advice, letter):
    if letter is None:
        return
    # The stored name is random, with the extension of the checked content: the original file name (often
    # the worker's name) never reaches the disk, and names cannot be guessed.
    accepted = uploads.accept_upload(letter, "letter", field="letter")
    advice.letter_name = (letter.name or f"brief{uploads.EXTENSIONS[accepted.kind]}")[-200:]
    advice.letter_content_type = accepted.content_type
    advice.letter = accepted


def _refresh_track_start_due(advice, rules):
    """A favourable throughflow decision starts the clock: the track must start within 3 months
    (trajects.rules.throughflow_track_start_due, rule GENERAL.throughflow_start_months)."""
    if (advice.type == AdviceType.THROUGHFLOW_DECISION and advice.favourable and advice.decision_date
            and advice.track_started_on is None):
        advice.track_start_due = trajectory_rules.throughflow_track_start_due(rules, advice.decision_date)
    else:
        advice.track_start_due = None


def _delete_file_on_commit(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@service_atomic
def advice_create(*, worker, actor, data: dict, letter=None, trajectory_action=None, rules=None) -> Advice:
    dates.require_fields(Advice, data)
    rules = rules or ruleset()
    advice = Advice(organisation_id=worker.organisation_id, worker=worker, created_by=actor, **data)
    _refresh_track_start_due(advice, rules)
    advice.full_clean(exclude=["organisation", "worker", "letter", "created_by"])
    _attach_letter(advice, letter)
    # A new advice of the same type replaces the one that was active (the history stays).
    for previous in Advice.objects.select_for_update().filter(worker=worker, type=advice.type,
                                                                status=AdviceStatus.ACTIVE):
        previous.status = AdviceStatus.REPLACED
        previous.version += 1
        previous.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=previous, worker_id=worker.pk,
                     changes={"status": [AdviceStatus.ACTIVE, AdviceStatus.REPLACED]})
    advice.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=advice, worker_id=worker.pk,
                 changes=diff({}, snapshot(advice, ADVICE_AUDIT_FIELDS)))
    if trajectory_action:
        trajectory_effect.apply(advice=advice, actor=actor, action=trajectory_action)
    _answer_open_request(advice, actor)
    _alerts_refresh(worker.pk, worker.organisation_id)
    return advice


def _answer_open_request(advice, actor):
    """A favourable throughflow decision is VDAB's answer to the open evaluation request (the one the
    readiness check asked for): record its outcome, so the request no longer shows "awaiting VDAB"."""
    if not (advice.type == AdviceType.THROUGHFLOW_DECISION and advice.favourable and advice.decision_date):
        return
    request = (EvaluationRequest.objects.select_for_update()
               .filter(worker_id=advice.worker_id, outcome="", requested_on__lte=advice.decision_date)
               .order_by("-requested_on", "-id").first())
    if request is None:
        return
    request.outcome, request.decision_date = EvaluationOutcome.THROUGHFLOW_TRACK, advice.decision_date
    request.version += 1
    request.save(update_fields=["outcome", "decision_date", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=request, worker_id=request.worker_id,
                 changes={"outcome": ["", EvaluationOutcome.THROUGHFLOW_TRACK],
                          "decision_date": [None, advice.decision_date.isoformat()]})


@service_atomic
def advice_track_started(*, advice, actor, start) -> Advice:
    """The throughflow track was opened on this decision: the 3-month start deadline is met, so its stored
    due date goes and the next alert scan resolves the "track to start" alert."""
    dates.require_model(Advice, track_started_on=start)
    locked = Advice.objects.select_for_update().get(pk=advice.pk)
    fields = ["track_started_on", "track_start_due"]
    before = snapshot(locked, fields)
    locked.track_started_on = start
    _refresh_track_start_due(locked, None)
    locked.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id,
                 changes=diff(before, snapshot(locked, fields)))
    _alerts_refresh(locked.worker_id, locked.organisation_id)
    return locked


@service_atomic
def advice_update(*, advice, actor, data: dict, letter=None, expected_version=None, trajectory_action=None,
                  rules=None) -> Advice:
    dates.require_fields(Advice, data)
    rules = rules or ruleset()
    locked = Advice.objects.select_for_update().get(pk=advice.pk)
    check_version(locked, expected_version)
    before = snapshot(locked, ADVICE_AUDIT_FIELDS)
    old_file = locked.letter.name if letter is not None else ""
    for name, value in data.items():
        setattr(locked, name, value)
    _refresh_track_start_due(locked, rules)
    locked.full_clean(exclude=["organisation", "worker", "letter", "created_by"])
    storage = locked.letter.storage
    _attach_letter(locked, letter)
    locked.version += 1
    locked.save()
    _delete_file_on_commit(storage, old_file)
    changes = diff(before, snapshot(locked, ADVICE_AUDIT_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id, changes=changes)
    if trajectory_action:
        trajectory_effect.apply(advice=locked, actor=actor, action=trajectory_action)
    _alerts_refresh(locked.worker_id, locked.organisation_id)
    return locked


# --------------------------------------------------------------------------- evaluation requests

EVALUATION_FIELDS = ["reason", "requested_on", "earliest_allowed", "exception_reason", "planned_visit",
                     "pop_update_due", "outcome", "decision_date", "note"]


def _check_earliest(request, basis, rules):
    """Refuse a request before the earliest date the rules allow, unless an exception reason is given."""
    request.earliest_allowed = basis.earliest_for(request.reason)
    if request.earliest_allowed and request.requested_on and request.requested_on < request.earliest_allowed \
            and not request.exception_reason.strip():
        raise ValidationError({"requested_on": [
            _("An evaluation can be requested on %(date)s at the earliest (%(regime)s, employment since "
              "%(start)s). Give an exception reason to request it anyway.")
            % {"date": _nl(request.earliest_allowed), "regime": basis.regime, "start": _nl(basis.start)}
        ]})
    # POP update at least 10 days before the VDAB visit (trajects.rules.pop_update_due).
    request.pop_update_due = (trajectory_rules.pop_update_due(rules, request.planned_visit)
                              if request.planned_visit else None)


@service_atomic
def evaluation_request_create(*, worker, actor, data: dict, rules=None) -> EvaluationRequest:
    dates.require_fields(EvaluationRequest, data)
    rules = rules or ruleset()
    basis = selectors.worker_evaluation_basis(worker, list(worker.advices.all()), rules)
    request = EvaluationRequest(organisation_id=worker.organisation_id, worker=worker, created_by=actor, **data)
    request.full_clean(exclude=["organisation", "worker", "created_by"])
    _check_earliest(request, basis, rules)
    request.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=request, worker_id=worker.pk,
                 changes=diff({}, snapshot(request, EVALUATION_FIELDS)))
    _sync_trajectory_evaluation(worker)
    _alerts_refresh(worker.pk, worker.organisation_id)
    return request


@service_atomic
def evaluation_request_update(*, request, actor, data: dict, expected_version=None, rules=None):
    dates.require_fields(EvaluationRequest, data)
    rules = rules or ruleset()
    locked = EvaluationRequest.objects.select_for_update().select_related("worker").get(pk=request.pk)
    check_version(locked, expected_version)
    before = snapshot(locked, EVALUATION_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["organisation", "worker", "created_by"])
    basis = selectors.worker_evaluation_basis(locked.worker, list(locked.worker.advices.all()), rules)
    _check_earliest(locked, basis, rules)
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked, EVALUATION_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, worker_id=locked.worker_id, changes=changes)
    _sync_trajectory_evaluation(locked.worker)
    _alerts_refresh(locked.worker_id, locked.organisation_id)
    return locked


# --------------------------------------------------------------------------- ICF catalogue


@service_atomic
def icf_item_create(*, organisation, actor, data: dict) -> IcfItem:
    data = {k: v for k, v in data.items() if k != "version"}
    item = IcfItem(organisation=organisation, **data)
    item.full_clean(exclude=["organisation"])
    if IcfItem.objects.filter(organisation=organisation, component=item.component, label=item.label).exists():
        raise ValidationError({"label": [_("This component already has an item with this label.")]})
    item.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, organisation=organisation,
                 changes=diff({}, snapshot(item, ["code", "component", "label"])))
    return item


@service_atomic
def icf_item_update(*, item, actor, data: dict, expected_version=None) -> IcfItem:
    """The organisation's own catalogue items are shared by the guidance staff: a stale form raises
    ConflictError (lde_portal/concurrency.py)."""
    item = IcfItem.objects.select_for_update().get(pk=item.pk)
    check_version(item, expected_version)
    before = snapshot(item, ["code", "component", "label", "order", "active"])
    for name, value in data.items():
        if name != "version":
            setattr(item, name, value)
    item.version += 1
    item.full_clean(exclude=["organisation"])
    if IcfItem.objects.filter(organisation=item.organisation, component=item.component,
                              label=item.label).exclude(pk=item.pk).exists():
        raise ValidationError({"label": [_("This component already has an item with this label.")]})
    item.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, organisation=item.organisation,
                 changes=diff(before, snapshot(item, ["code", "component", "label", "order", "active"])))
    return item


# --------------------------------------------------------------------------- confidential section


def confidential_read(*, reader, worker, what: str, request=None) -> None:
    """docs/domain.md §7: every read of the confidential section is logged (who, when, which worker), through
    the platform's one audited path (lde_portal/audit/confidential.py)."""
    audited_read(reader=reader, worker=worker, what=what, request=request)


@service_atomic
def needs_assessment_create(*, worker, actor, date, note="", scores: list[dict]) -> NeedsAssessment:
    """`scores`: [{item, qualifier, facilitator, note}]; items left empty are not stored."""
    dates.require_model(NeedsAssessment, date=date)
    assessment = NeedsAssessment(organisation_id=worker.organisation_id, worker=worker, date=date, author=actor,
                                 note=note)
    assessment.full_clean(exclude=["organisation", "worker", "author"])
    rows = [s for s in scores if s.get("qualifier") is not None or s.get("facilitator") or s.get("note")]
    if not rows:
        raise ValidationError(_("Score at least one item."))
    allowed = set(selectors.icf_items(worker.organisation).values_list("pk", flat=True))
    for s in rows:
        if s["item"].pk not in allowed:
            raise ValidationError(_("Unknown ICF item."))
        if s.get("facilitator") and s["item"].component != "e":
            raise ValidationError(_("Only environmental factors can be facilitators."))
    assessment.save()
    NeedsScore.objects.bulk_create([
        NeedsScore(assessment=assessment, item=s["item"], qualifier=s.get("qualifier"),
                   facilitator=s.get("facilitator") or None, note=s.get("note", "")) for s in rows
    ])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assessment, worker_id=worker.pk,
                 summary=_("Needs assessment of %(date)s (%(n)s items)") % {"date": _nl(date), "n": len(rows)})
    return assessment


PROFILE_FIELDS = ["working_hours", "mobility", "physical_capacity", "learning_ability", "self_confidence",
                  "autonomy", "poverty_experience", "interests", "languages", "note"]


@service_atomic
def complementarity_save(*, worker, actor, data: dict, expected_version=None) -> ComplementarityProfile:
    profile = ComplementarityProfile.objects.select_for_update().filter(worker=worker).first()
    if profile is None:
        profile = ComplementarityProfile(organisation_id=worker.organisation_id, worker=worker)
        before = {}
    else:
        check_version(profile, expected_version)
        before = snapshot(profile, PROFILE_FIELDS)
        profile.version += 1
    for name, value in data.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.full_clean(exclude=["organisation", "worker", "updated_by"])
    profile.save()
    _audit_saved(profile, before, PROFILE_FIELDS, actor=actor)
    return profile


def _audit_saved(record, before, fields, *, actor):
    """The audit entry of a saved confidential record: created, or updated with the names of the fields that
    changed; names only, because the audit trail is readable by more people than the confidential section."""
    changes = diff(before or {}, snapshot(record, fields))
    audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=record,
                 worker_id=record.worker_id, summary=", ".join(sorted(changes)))


def _for_save(record, *, new, expected_version, fields, data):
    """`new` when there is no record yet, else `record` locked, checked against the version the form was
    loaded with and given the next one; `data` applied either way. Returns it with a snapshot of `fields`
    before the edit (None when new)."""
    if record is None:
        target, before = new, None
    else:
        target = type(record).objects.select_for_update().get(pk=record.pk)
        check_version(target, expected_version)
        before = snapshot(target, fields)
        target.version += 1
    for name, value in data.items():
        setattr(target, name, value)
    return target, before


PROBLEM_FIELDS = ["kind", "description", "noted_on", "resolved_on"]


@service_atomic
def context_problem_save(*, worker, actor, data: dict, problem=None, expected_version=None) -> ContextProblem:
    dates.require_fields(ContextProblem, data)
    problem, before = _for_save(
        problem, new=ContextProblem(organisation_id=worker.organisation_id, worker=worker, created_by=actor),
        expected_version=expected_version, fields=PROBLEM_FIELDS, data=data)
    problem.full_clean(exclude=["organisation", "worker", "created_by"])
    problem.save()
    _audit_saved(problem, before, PROBLEM_FIELDS, actor=actor)
    return problem


REFERRAL_FIELDS = ["service", "service_name", "referred_on", "status", "follow_up_on", "note"]


@service_atomic
def referral_save(*, problem, actor, data: dict, referral=None, expected_version=None) -> Referral:
    dates.require_fields(Referral, data)
    referral, before = _for_save(
        referral, new=Referral(organisation_id=problem.organisation_id, worker_id=problem.worker_id, problem=problem),
        expected_version=expected_version, fields=REFERRAL_FIELDS, data=data)
    referral.full_clean(exclude=["organisation", "worker", "problem"])
    if referral.referred_on < problem.noted_on:
        raise ValidationError({"referred_on": [_("The referral lies before the problem was noted (%(date)s).")
                                               % {"date": _nl(problem.noted_on)}]})
    referral.save()
    _audit_saved(referral, before, REFERRAL_FIELDS, actor=actor)
    return referral
