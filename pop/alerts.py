"""POP and feedback deadlines for the alerts platform (docs/alerts.md: the provider contract).

Each provider reads stored dates with one range query: `PopSchedule.next_due` (refreshed by the pop
services and `pop_refresh_due`), `ImprovementAction.due_date`, and the last feedback week per worker.
"""

import datetime

from django.db.models import Exists, Max, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.alerts.registry import ASSIGNED_COACHES, COORDINATORS, AlertCandidate, dossier_path, register_provider
from trajects.models import Worker, WorkerStatus

from .models import OPEN_STATUSES, ActionStatus, DueKind, ImprovementAction, PopSchedule, PopStatus
from .rules import monday_of

FIRST_POP = "pop_first_registration"
YEARLY_REVIEW = "pop_yearly_review"
ACTION_DUE = "pop_action_due"
FEEDBACK_MISSING = "feedback_missing"
ACTIVE = (WorkerStatus.ACTIVE, WorkerStatus.SUSPENDED)

RESOLVED_BY = {
    FIRST_POP: gettext_lazy("the first POP registered with VDAB, or the worker suspended or exited"),
    YEARLY_REVIEW: gettext_lazy("a new POP version approved (the review date moves a year on), or the worker "
                                "suspended or exited"),
    ACTION_DUE: gettext_lazy("the action marked done or dropped, in the plan in force or in the draft that will "
                             "replace it; a newly approved plan without it; or the worker's exit"),
    FEEDBACK_MISSING: gettext_lazy("feedback logged for the week (the next empty week is a new alert), or the "
                                   "worker suspended or exited"),
}


def _schedule_provider(kind, due_kind, title, recipients):
    def provider(organisation, today, settings):
        rows = (PopSchedule.objects
                .filter(organisation=organisation, next_due_kind=due_kind,
                        next_due__lte=settings.horizon(kind, today), worker__status__in=ACTIVE)
                .values_list("worker_id", "next_due"))
        for worker_id, due in rows:
            yield AlertCandidate(kind=kind, worker_id=worker_id, subject_key=f"pop-worker:{worker_id}", due=due,
                                 notify_from=settings.notify_from(kind, due), recipients=recipients,
                                 title=str(title()), url=dossier_path(organisation, worker_id, "pop"))
    return provider


first_registration = _schedule_provider(
    FIRST_POP, DueKind.FIRST_REGISTRATION,
    lambda: _("Register the first POP with VDAB (within one month of hiring)"), (ASSIGNED_COACHES,))
yearly_review = _schedule_provider(
    YEARLY_REVIEW, DueKind.YEARLY_REVIEW, lambda: _("Yearly POP review due"), (ASSIGNED_COACHES, COORDINATORS))


def action_due(organisation, today, settings):
    """Open improvement actions of the plan in force (the approved version) past or near their date."""
    # A coach ticks an action off by editing the approved plan, which makes a new draft: that answers the
    # action already, the alert must not wait for the coordinator's approval.
    answered = ImprovementAction.objects.filter(
        version__pop=OuterRef("version__pop"), version__status__in=OPEN_STATUSES, what=OuterRef("what"),
        status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
    rows = (ImprovementAction.objects
            .filter(version__organisation=organisation, version__status=PopStatus.APPROVED,
                    status=ActionStatus.OPEN, due_date__isnull=False,
                    due_date__lte=settings.horizon(ACTION_DUE, today), version__pop__worker__status__in=ACTIVE)
            .exclude(Exists(answered))
            .values_list("pk", "version__pop__worker_id", "due_date", "what"))
    for pk, worker_id, due, what in rows:
        yield AlertCandidate(kind=ACTION_DUE, worker_id=worker_id, subject_key=f"pop-action:{pk}", due=due,
                             notify_from=settings.notify_from(ACTION_DUE, due), recipients=(ASSIGNED_COACHES,),
                             title=_("Improvement action: %(what)s") % {"what": what[:80]},
                             url=dossier_path(organisation, worker_id, "pop"))


def feedback_subject(worker_id, week_start):
    """The subject names the expected week, so the feedback service resolves the alerts about the weeks it
    logged (lde_portal.alerts.services.alerts_resolve) without running this provider."""
    return f"feedback:{worker_id}:{week_start.isoformat()}"


def feedback_missing(organisation, today, settings):
    """The next week without feedback must be filled in by its Sunday + the organisation's grace period
    (AlertSettings.feedback_grace_days). Counted from the last week with feedback, else from the hire week."""
    joined = monday_of(timezone.localdate(organisation.created_at)) if organisation.created_at else datetime.date.min
    rows = (Worker.objects.filter(organisation=organisation, status=WorkerStatus.ACTIVE)
            .annotate(last_week=Max("weekly_feedback__week_start"), hired=Min("employments__contract_start"))
            .values_list("pk", "last_week", "hired"))
    for worker_id, last_week, hired in rows:
        if hired is None:
            continue
        # Without any feedback yet, counting starts at the hire week, but not before the organisation came
        # to the portal: weeks before that cannot be logged here (a 2014 hire is not 600 weeks behind).
        expected = last_week + datetime.timedelta(weeks=1) if last_week else max(monday_of(hired), joined)
        due = expected + datetime.timedelta(days=6 + settings.feedback_grace_days)
        # Shown from the Monday after the empty week (docs/journeys.md: on Monday the coach sees who has no
        # feedback for last week), due at the end of the grace period; a lead time can show it earlier.
        notify_from = min(settings.notify_from(FEEDBACK_MISSING, due), expected + datetime.timedelta(days=7))
        if notify_from > today:
            continue
        yield AlertCandidate(kind=FEEDBACK_MISSING, worker_id=worker_id, subject_key=feedback_subject(worker_id, expected),
                             due=due, notify_from=notify_from,
                             recipients=(ASSIGNED_COACHES,), title=_("No weekly feedback since %(date)s") % {
                                 "date": expected.strftime("%d/%m/%Y")},
                             url=f"/{organisation.slug}/feedback/?week={expected.isocalendar()[0]}-W"
                                 f"{expected.isocalendar()[1]:02d}")


def register():
    register_provider(FIRST_POP, first_registration, label=gettext_lazy("First POP to VDAB"), lead_times=(14, 3),
                      resolved_by=RESOLVED_BY[FIRST_POP])
    register_provider(YEARLY_REVIEW, yearly_review, label=gettext_lazy("Yearly POP review"), lead_times=(60, 14),
                      resolved_by=RESOLVED_BY[YEARLY_REVIEW])
    # The journey's three things for the coach's week (docs/journeys.md): the trajectory end without an
    # evaluation request (trajects, priority 10), feedback missing and overdue improvement actions.
    register_provider(ACTION_DUE, action_due, label=gettext_lazy("Improvement action due"), lead_times=(7,),
                      resolved_by=RESOLVED_BY[ACTION_DUE], priority=30)
    register_provider(FEEDBACK_MISSING, feedback_missing, label=gettext_lazy("Weekly feedback missing"),
                      lead_times=(0,), resolved_by=RESOLVED_BY[FEEDBACK_MISSING], priority=20,
                      week_when_shown=True)
