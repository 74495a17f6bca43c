"""Alert providers of the throughflow app (contract: docs/alerts.md).

The coach assignments end with the exit, so the follow-ups go to the coordinators and to the coach kept on
the exit row (who makes the calls, docs/journeys.md); recording the contact (done_on) takes the row out of the
provider's query and the scan resolves the alert.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from lde_portal.accounts.models import Role
from lde_portal.alerts.registry import ASSIGNED_COACHES, COORDINATORS, DAYS, AlertCandidate, register_provider

from .models import Exit, FollowUp, Track

AFTERCARE_FOLLOWUP = "aftercare_followup"
PHASE_DUE = "throughflow_phase_due"
BUDGET_NEARLY_USED = "throughflow_budget_nearly_used"
EXIT_BY_COACH = "throughflow_exit_by_coach"
# How long the coordinators see an exit a coach recorded, unless ticked off earlier.
EXIT_BY_COACH_DAYS = 30

RESOLVED_BY = {
    AFTERCARE_FOLLOWUP: gettext_lazy("the contact recorded on the follow-up (its date of contact)"),
    PHASE_DUE: gettext_lazy("the track moving to its next phase (a new due date), paused, closed, or the worker's "
                            "exit"),
    BUDGET_NEARLY_USED: gettext_lazy("the track closed or the worker's exit; otherwise ticked off with Done once the "
                                     "remaining hours are planned"),
    EXIT_BY_COACH: gettext_lazy("ticked off with Done by a coordinator once the exit is checked; it goes by itself "
                                "30 days after the exit date"),
}


def aftercare_title(months: int) -> str:
    return ngettext("Aftercare: contact the former worker (%(months)s month after exit)",
                    "Aftercare: contact the former worker (%(months)s months after exit)", months) % {"months": months}


def aftercare_provider(organisation, today, settings):
    rows = (FollowUp.objects
            .filter(organisation=organisation, done_on__isnull=True,
                    due__lte=settings.horizon(AFTERCARE_FOLLOWUP, today))
            .values_list("pk", "worker_id", "due", "months", "exit__coach_id"))
    for pk, worker_id, due, months, coach_id in rows:
        yield AlertCandidate(
            kind=AFTERCARE_FOLLOWUP, worker_id=worker_id, subject_key=f"followup:{pk}", due=due,
            notify_from=settings.notify_from(AFTERCARE_FOLLOWUP, due),
            recipients=(COORDINATORS,) + ((coach_id,) if coach_id else ()),
            title=aftercare_title(months),
            # The follow-up's own form: the coach no longer sees the former worker's dossier tab.
            url=f"/{organisation.slug}/workers/{worker_id}/throughflow/followups/{pk}/",
        )


EXIT_BY_COACH_TITLE = gettext_noop("Exit recorded by the coach: check the exit")


def exit_by_coach_provider(organisation, today, settings):
    """An exit closes the trajectory and the employment, which the coordinators answer for: when a coach
    recorded it, the coordinators get a task to check it (the exit row keeps who recorded it)."""
    rows = (Exit.objects
            .filter(organisation=organisation, date__gt=today - timedelta(days=EXIT_BY_COACH_DAYS),
                    created_by__memberships__organisation=organisation,
                    created_by__memberships__role=Role.COACH, created_by__memberships__active=True)
            .values_list("pk", "worker_id", "date").distinct())
    title = _(EXIT_BY_COACH_TITLE)
    for pk, worker_id, date in rows:
        yield AlertCandidate(
            kind=EXIT_BY_COACH, worker_id=worker_id, subject_key=f"exit:{pk}", due=date, notify_from=date,
            recipients=(COORDINATORS,), title=title,
            url=f"/{organisation.slug}/workers/{worker_id}/throughflow/",
        )


PHASE_TITLE = gettext_noop("The current phase of the throughflow track reaches its maximum")


def phase_provider(organisation, today, settings):
    """One stored phase deadline per open track (trajects.rules.phase_due); a phase change moves it. A
    paused track's clock stands still, so it raises nothing until resumed (the resume moves the due date
    and the scan raises the new one)."""
    rows = (Track.objects
            .filter(organisation=organisation, closed_on__isnull=True, paused_since__isnull=True,
                    phase_due__lte=settings.horizon(PHASE_DUE, today))
            .exclude(worker__status="exited")
            .values_list("pk", "worker_id", "phase_due", "phase"))
    title = _(PHASE_TITLE)
    for pk, worker_id, due, phase in rows:
        yield AlertCandidate(
            kind=PHASE_DUE, worker_id=worker_id, subject_key=f"track:{pk}:{phase}", due=due,
            notify_from=settings.notify_from(PHASE_DUE, due), recipients=(ASSIGNED_COACHES, COORDINATORS),
            title=title, url=f"/{organisation.slug}/workers/{worker_id}/throughflow/",
        )


BUDGET_TITLE = gettext_noop("Coaching hours: %(used)s of the %(budget)s-hour budget used")
# A practice default, not law: warn when this share of the track's coaching budget (140 h, docs/domain.md §3.6)
# is logged, so the coach can plan the remaining phases with the throughflow coach.
BUDGET_WARNING_SHARE = Decimal("0.85")


def budget_provider(organisation, today, settings):
    """Open tracks whose logged hours reached the warning share of their budget. The alert is due on the
    day the latest hours were logged; it is a task for the coach (done once the rest is planned)."""
    rows = (Track.objects
            .filter(organisation=organisation, closed_on__isnull=True)
            .exclude(worker__status="exited")
            .annotate(used=Sum("hours__hours"), last_logged=Max("hours__date"))
            .filter(used__gte=F("budget_hours") * BUDGET_WARNING_SHARE)
            .values_list("pk", "worker_id", "used", "budget_hours", "last_logged"))
    for pk, worker_id, used, budget, last_logged in rows:
        yield AlertCandidate(
            kind=BUDGET_NEARLY_USED, worker_id=worker_id, subject_key=f"track:{pk}:budget", due=last_logged,
            notify_from=last_logged, recipients=(ASSIGNED_COACHES, COORDINATORS),
            title=_(BUDGET_TITLE) % {"used": f"{used:g}", "budget": budget},
            url=f"/{organisation.slug}/workers/{worker_id}/throughflow/",
        )


def register():
    register_provider(PHASE_DUE, phase_provider, label=gettext_lazy("Throughflow phase maximum"),
                      escalates=True, is_task=False, lead_times=(14,), lead_unit=DAYS, resolved_by=RESOLVED_BY[PHASE_DUE])
    register_provider(BUDGET_NEARLY_USED, budget_provider, label=gettext_lazy("Coaching budget nearly used"),
                      escalates=False, is_task=True, lead_times=(0,), lead_unit=DAYS,
                      resolved_by=RESOLVED_BY[BUDGET_NEARLY_USED])
    register_provider(EXIT_BY_COACH, exit_by_coach_provider, label=gettext_lazy("Exit recorded by a coach"),
                      escalates=False, is_task=True, lead_times=(0,), lead_unit=DAYS,
                      resolved_by=RESOLVED_BY[EXIT_BY_COACH])
    register_provider(AFTERCARE_FOLLOWUP, aftercare_provider, label=gettext_lazy("Aftercare follow-up"),
                      escalates=True, is_task=False, lead_times=(14,), lead_unit=DAYS,
                      resolved_by=RESOLVED_BY[AFTERCARE_FOLLOWUP], beyond_scope=True)
