"""Every write of the inflow path. The worker, the advice, the contract, the coach assignment and the
trajectory are written by their own apps' services (trajects, indication): inflow only links to them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indication import services as indication_services
from lde_portal import dates
from lde_portal.alerts.services import alerts_refresh
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version
from trajects import services as trajects_services
from trajects.models import WorkerStatus

from . import rules
from .alerts import ADVICE_WAITING
from .models import (
    Application,
    Candidate,
    InflowSettings,
    InfoSession,
    Invitation,
    Outcome,
    RoundOutcome,
    SelectionRound,
    Stage,
    Vacancy,
    VacancyStatus,
)

VACANCY_FIELDS = ["activity", "title", "places", "weekly_hours", "schedule", "wanted_hours", "wanted_mobility",
                  "wanted_physical", "wanted_languages", "wanted_interests", "opens_on", "closes_on", "status"]
CANDIDATE_FIELDS = ["first_name", "last_name", "phone", "email", "postal_code", "municipality",
                    "preferred_language", "referrer", "referrer_detail", "needs_interpreter", "needs_childcare",
                    "other_needs", "reserve_until"]
SETTINGS_FIELDS = ["advice_wait_days", "contact_days", "retention_months"]


def settings_for(organisation) -> InflowSettings:
    return InflowSettings.objects.filter(organisation=organisation).first() or InflowSettings(organisation=organisation)


@transaction.atomic
def settings_save(*, organisation, actor, data: dict, expected_version=None) -> InflowSettings:
    current = InflowSettings.objects.select_for_update().filter(organisation=organisation).first()
    if current is None:
        current = InflowSettings(organisation=organisation)
    else:
        check_version(current, expected_version)
        current.version += 1
    before = snapshot(current, SETTINGS_FIELDS)
    for field in SETTINGS_FIELDS:
        setattr(current, field, data[field])
    current.full_clean(exclude=["organisation"])
    current.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, organisation=organisation,
                 changes=diff(before, snapshot(current, SETTINGS_FIELDS)))
    # The stored due dates follow the new limits.
    for application in Application.objects.filter(organisation=organisation, stage__in=[Stage.RANKED,
                                                                                         Stage.REFERRED]):
        _refresh_due(application, current)
        application.save(update_fields=["advice_due", "contact_due"])
    return current


# --------------------------------------------------------------------------- vacancies


def _vacancy_check(vacancy):
    vacancy.full_clean(exclude=["organisation"])
    if vacancy.activity.organisation_id != vacancy.organisation_id:
        raise ValidationError({"activity": [_("Choose an activity of this organisation.")]})


def _set_many(vacancy, data):
    if "entry_competences" in data:
        vacancy.entry_competences.set(data["entry_competences"])
    if "team" in data:
        if any(m.organisation_id != vacancy.organisation_id for m in data["team"]):
            raise ValidationError({"team": [_("Choose members of this organisation.")]})
        vacancy.team.set(data["team"])


@transaction.atomic
def vacancy_create(*, organisation, actor, data: dict) -> Vacancy:
    dates.require_fields(Vacancy, data)
    vacancy = Vacancy(organisation=organisation, **{k: data[k] for k in VACANCY_FIELDS if k in data})
    _vacancy_check(vacancy)
    vacancy.save()
    _set_many(vacancy, data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=vacancy, summary=vacancy.title)
    return vacancy


def _update(instance, fields, *, actor, data, expected_version, check, after=None):
    """A versioned edit of a shared record: lock, compare, set the posted fields, check, save, audit."""
    model = type(instance)
    dates.require_fields(model, data)
    locked = model.objects.select_for_update().get(pk=instance.pk)
    check_version(locked, expected_version)
    before = snapshot(locked, fields)
    for field in fields:
        if field in data:
            setattr(locked, field, data[field])
    check(locked)
    locked.version += 1
    locked.save()
    if after is not None:
        after(locked, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=diff(before, snapshot(locked, fields)))
    return locked


@transaction.atomic
def vacancy_update(*, vacancy, actor, data: dict, expected_version=None) -> Vacancy:
    return _update(vacancy, VACANCY_FIELDS, actor=actor, data=data, expected_version=expected_version,
                   check=_vacancy_check, after=_set_many)


# --------------------------------------------------------------------------- candidates


def _touch(candidate, *days):
    """Retention counts from the latest step of any of the candidate's applications."""
    latest = rules.last_step(candidate.last_step_on, *days)
    if latest != candidate.last_step_on:
        Candidate.objects.filter(pk=candidate.pk).update(last_step_on=latest)
        candidate.last_step_on = latest


@transaction.atomic
def candidate_create(*, vacancy, actor, data: dict, applied_on) -> Candidate:
    dates.require_fields(Candidate, data)
    candidate = Candidate(organisation_id=vacancy.organisation_id, **{k: data[k] for k in CANDIDATE_FIELDS
                                                                       if k in data})
    candidate.full_clean(exclude=["organisation"])
    candidate.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=candidate, summary=candidate.full_name)
    application_create(vacancy=vacancy, candidate=candidate, actor=actor, applied_on=applied_on)
    return candidate


@transaction.atomic
def candidate_update(*, candidate, actor, data: dict, expected_version=None) -> Candidate:
    return _update(candidate, CANDIDATE_FIELDS, actor=actor, data=data, expected_version=expected_version,
                   check=lambda c: c.full_clean(exclude=["organisation"]))


@transaction.atomic
def application_create(*, vacancy, candidate, actor, applied_on) -> Application:
    dates.require_model(Application, applied_on=applied_on)
    if candidate.organisation_id != vacancy.organisation_id:
        raise ValidationError({"vacancy": [_("Choose a vacancy of this organisation.")]})
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError({"vacancy": [_("This vacancy is no longer open.")]})
    if Application.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise ValidationError({"vacancy": [_("The candidate already applied to this vacancy.")]})
    application = Application.objects.create(organisation_id=vacancy.organisation_id, vacancy=vacancy,
                                             candidate=candidate, applied_on=applied_on)
    _touch(candidate, applied_on)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=application, summary=str(application))
    return application


# --------------------------------------------------------------------------- the path


def _lock(application, expected_version=None) -> Application:
    locked = Application.objects.select_for_update().select_related("candidate", "vacancy").get(pk=application.pk)
    check_version(locked, expected_version)
    return locked


def _refuse_closed(application):
    if not application.active:
        raise ValidationError(_("This candidate is no longer on the path of this vacancy (%(stage)s).")
                              % {"stage": application.get_stage_display()})


def _refresh_due(application, settings):
    waiting = application.stage == Stage.REFERRED and application.advice_id is None
    application.advice_due = rules.advice_due(application.referred_on, settings.advice_wait_days) if waiting else None
    uncontacted = application.stage == Stage.RANKED and application.contacted_on is None
    application.contact_due = (rules.contact_due(application.ranked_on, settings.contact_days)
                               if uncontacted else None)


def _save_step(application, actor, before, fields):
    _refresh_due(application, settings_for(application.vacancy.organisation))
    application.version += 1
    application.full_clean(exclude=["organisation", "vacancy", "candidate", "advice", "employment"])
    application.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=application,
                 worker_id=application.candidate.worker_id,
                 changes=diff(before, snapshot(application, fields)))


STEP_FIELDS = ["stage", "session_on", "rank", "ranked_on", "contacted_on", "referred_on", "advice_on", "hired_on",
               "dropped_on", "dropout_reason"]


@transaction.atomic
def session_plan(*, vacancy, actor, data: dict) -> InfoSession:
    """Plan an information session; every candidate still on the path of the vacancy is invited."""
    dates.require_fields(InfoSession, data)
    session = InfoSession(organisation_id=vacancy.organisation_id, vacancy=vacancy, **data)
    session.full_clean(exclude=["organisation", "vacancy"])
    session.save()
    invited = [a for a in vacancy.applications.all() if a.active]
    Invitation.objects.bulk_create([Invitation(organisation_id=vacancy.organisation_id, session=session,
                                               application=a) for a in invited])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session,
                 summary=_("%(n)s candidates invited") % {"n": len(invited)})
    return session


@transaction.atomic
def attendance_record(*, session, actor, attended_ids, expected_version=None) -> InfoSession:
    """The attendance list of a session: who came moves on to the selection."""
    session = InfoSession.objects.select_for_update().get(pk=session.pk)
    check_version(session, expected_version)
    attended_ids = set(attended_ids)
    for invitation in session.invitations.select_related("application__candidate", "application__vacancy"):
        came = invitation.application_id in attended_ids
        invitation.attended = came
        invitation.save(update_fields=["attended"])
        application = invitation.application
        if came and application.stage == Stage.APPLIED:
            before = snapshot(application, STEP_FIELDS)
            application.stage, application.session_on = Stage.SESSION, session.date
            _save_step(application, actor, before, STEP_FIELDS)
            _touch(application.candidate, session.date)
    session.attendance_recorded = True
    session.version += 1
    session.save(update_fields=["attendance_recorded", "version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=session,
                 summary=_("%(n)s present") % {"n": len(attended_ids)})
    return session


@transaction.atomic
def round_record(*, vacancy, actor, data: dict, outcomes: dict) -> SelectionRound:
    """A selection round with the criteria used and each candidate's outcome (`outcomes`: application id →
    Outcome). A candidate who did not pass drops out with the reason "not selected" on the round's date."""
    dates.require_fields(SelectionRound, data)
    selection = SelectionRound(organisation_id=vacancy.organisation_id, vacancy=vacancy, created_by=actor, **data)
    selection.full_clean(exclude=["organisation", "vacancy", "created_by"])
    if not outcomes:
        raise ValidationError(_("Give the outcome of at least one candidate."))
    selection.save()
    applications = {a.pk: a for a in vacancy.applications.select_related("candidate", "vacancy")}
    for application_id, outcome in outcomes.items():
        application = applications.get(application_id)
        if application is None or not application.active:
            raise ValidationError(_("A candidate of this round is no longer on the path."))
        RoundOutcome.objects.create(organisation_id=vacancy.organisation_id, round=selection,
                                    application=application, outcome=outcome)
        _touch(application.candidate, selection.date)
        if outcome == Outcome.NOT_PASSED:
            application_drop(application=application, actor=actor, reason="not_selected", on=selection.date)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=selection, summary=selection.name)
    return selection


@transaction.atomic
def ranking_save(*, vacancy, actor, ranks: dict, on, expected_version=None) -> None:
    """The ranking of the vacancy (`ranks`: application id → rank or None); a ranked candidate is to be
    contacted within the organisation's contact period. The ranking is the vacancy's: its version guards it."""
    dates.require_model(Application, ranked_on=on)
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    check_version(locked, expected_version)
    Vacancy.objects.filter(pk=vacancy.pk).update(version=locked.version + 1)
    for application in vacancy.applications.select_related("candidate", "vacancy").select_for_update():
        if application.pk not in ranks or not application.active:
            continue
        rank = ranks[application.pk]
        if rank == application.rank:
            continue
        before = snapshot(application, STEP_FIELDS)
        application.rank = rank
        application.ranked_on = on if rank else None
        if application.stage in (Stage.APPLIED, Stage.SESSION, Stage.RANKED):
            application.stage = Stage.RANKED if rank else (Stage.SESSION if application.session_on else Stage.APPLIED)
        _save_step(application, actor, before, STEP_FIELDS)
        _touch(application.candidate, on)


@transaction.atomic
def application_contacted(*, application, actor, on, expected_version=None) -> Application:
    dates.require_model(Application, contacted_on=on)
    locked = _lock(application, expected_version)
    _refuse_closed(locked)
    before = snapshot(locked, STEP_FIELDS)
    locked.contacted_on = on
    _save_step(locked, actor, before, STEP_FIELDS)
    _touch(locked.candidate, on)
    return locked


@transaction.atomic
def application_refer(*, application, actor, referred_on, worker_data: dict, expected_version=None) -> Application:
    """The referral to VDAB for indication. VDAB needs the national register number: the candidate gets their
    worker record now (status "in recruitment"), so the advice is recorded on the record the worker keeps."""
    dates.require_model(Application, referred_on=referred_on)
    locked = _lock(application, expected_version)
    _refuse_closed(locked)
    if locked.referred_on:
        raise ValidationError({"referred_on": [_("This candidate was already referred on %(date)s.")
                                               % {"date": locked.referred_on.strftime("%d/%m/%Y")}]})
    if referred_on < locked.applied_on:
        raise ValidationError({"referred_on": [_("The referral lies before the application (%(date)s).")
                                               % {"date": locked.applied_on.strftime("%d/%m/%Y")}]})
    candidate = locked.candidate
    if candidate.worker_id is None:
        data = {"first_name": candidate.first_name, "last_name": candidate.last_name, "phone": candidate.phone,
                "email": candidate.email, "postal_code": candidate.postal_code,
                "municipality": candidate.municipality, "preferred_language": candidate.preferred_language,
                "interpreter_needed": candidate.needs_interpreter, **worker_data}
        worker = trajects_services.worker_create(organisation=candidate.organisation, actor=actor, data=data,
                                                 status=WorkerStatus.RECRUITMENT, status_date=referred_on)
        Candidate.objects.filter(pk=candidate.pk).update(worker=worker)
        candidate.worker = worker
    before = snapshot(locked, STEP_FIELDS)
    locked.referred_on, locked.stage = referred_on, Stage.REFERRED
    _save_step(locked, actor, before, STEP_FIELDS)
    _touch(candidate, referred_on)
    _alerts(locked)
    return locked


@transaction.atomic
def application_advice(*, application, actor, data: dict, letter=None, expected_version=None) -> Application:
    """VDAB's advice, recorded through indication's service on the candidate's worker record, with the referral
    date of this application (the recruitment lead time counts from it)."""
    locked = _lock(application, expected_version)
    _refuse_closed(locked)
    if locked.referred_on is None or locked.candidate.worker_id is None:
        raise ValidationError(_("Refer the candidate to VDAB first."))
    if locked.advice_id:
        raise ValidationError(_("The advice for this application is already recorded."))
    advice = indication_services.advice_create(worker=locked.candidate.worker, actor=actor, letter=letter,
                                               data={**data, "referred_on": locked.referred_on})
    before = snapshot(locked, STEP_FIELDS)
    locked.advice, locked.advice_on, locked.stage = advice, advice.decision_date, Stage.ADVICE
    _save_step(locked, actor, before, STEP_FIELDS)
    _touch(locked.candidate, advice.decision_date)
    _alerts(locked)
    return locked


@transaction.atomic
def application_hire(*, application, actor, contract: dict, coach, coach_role, regime, worker_data: dict,
                     expected_version=None):
    """The hire: one action writing the contract, the worker's active status, the coach assignment and the
    trajectory in the regime the advice points at (or the one chosen), through trajects' services, from the
    data the candidate already gave. Returns the worker."""
    locked = _lock(application, expected_version)
    _refuse_closed(locked)
    candidate, vacancy = locked.candidate, locked.vacancy
    start = contract["contract_start"]
    if locked.advice_id is None:
        raise ValidationError(_("Record VDAB's advice first: the contract needs it."))
    if start < locked.advice_on:
        raise ValidationError({"contract_start": [_("The contract starts before the advice (%(date)s).")
                                                  % {"date": locked.advice_on.strftime("%d/%m/%Y")}]})
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError(_("This vacancy is no longer open."))
    worker = candidate.worker
    if worker_data:
        worker = trajects_services.worker_update(worker=worker, actor=actor, data=worker_data)
    employment = trajects_services.employment_add(worker=worker, actor=actor,
                                                  data={**contract, "activity": vacancy.activity})
    trajects_services.worker_change_status(worker=worker, actor=actor, status=WorkerStatus.ACTIVE, date=start,
                                           note=_("Hired for vacancy %(title)s") % {"title": vacancy.title})
    trajects_services.coach_assign(worker=worker, actor=actor, coach=coach, role=coach_role, start=start)
    if regime:
        try:
            trajects_services.trajectory_start(worker=worker, actor=actor, regime=regime, start=start,
                                               decision_date=locked.advice_on)
        except ValidationError as error:
            raise ValidationError({"regime": error.messages}) from None
    before = snapshot(locked, STEP_FIELDS)
    locked.employment, locked.hired_on, locked.stage = employment, start, Stage.HIRED
    _save_step(locked, actor, before, STEP_FIELDS)
    _touch(candidate, start)
    hired = Application.objects.filter(vacancy=vacancy, stage=Stage.HIRED).count()
    if hired >= vacancy.places:
        Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.FILLED, version=vacancy.version + 1)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=vacancy,
                     changes={"status": [VacancyStatus.OPEN, VacancyStatus.FILLED]})
    return worker


@transaction.atomic
def application_drop(*, application, actor, reason: str, on, expected_version=None) -> Application:
    """A candidate leaves the path. Not an exit: no worker status changes (the throughflow ratio counts
    workers' exits only, docs/journeys.md "things that must never happen")."""
    dates.require_model(Application, dropped_on=on)
    locked = _lock(application, expected_version)
    _refuse_closed(locked)
    if on < locked.applied_on:
        raise ValidationError({"on": [_("The date lies before the application (%(date)s).")
                                      % {"date": locked.applied_on.strftime("%d/%m/%Y")}]})
    before = snapshot(locked, STEP_FIELDS)
    locked.stage, locked.dropped_on, locked.dropout_reason = Stage.DROPPED, on, reason
    _save_step(locked, actor, before, STEP_FIELDS)
    _touch(locked.candidate, on)
    _alerts(locked)
    return locked


def _alerts(application):
    if application.candidate.worker_id:
        alerts_refresh(organisation_id=application.organisation_id, worker_ids=[application.candidate.worker_id],
                       kinds={ADVICE_WAITING})
