"""Deadline providers for the alerts platform (docs/domain.md §4): advice validity expiring, the throughflow
track that must start within 3 months of a favourable decision, and the POP update due before a VDAB
evaluation visit. Each reads stored, indexed dates with one range query (docs/alerts.md)."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.alerts.registry import ASSIGNED_COACHES, AlertCandidate, dossier_path
from trajects.models import Trajectory

from .models import PLACING_TYPES, REGIMES_OF_TYPE, Advice, AdviceStatus, AdviceType, EvaluationRequest

ADVICE_EXPIRING = "advice_expiring"
TRACK_START = "throughflow_track_start"
POP_BEFORE_VISIT = "pop_update_before_vdab_visit"

RESOLVED_BY = {
    ADVICE_EXPIRING: gettext_lazy(
        "a new advice (it replaces this one), a later advice that places the worker (LDE, IMW, CMW), an open "
        "trajectory on a later DWSE decision (the IMW term on Traject), a VDAB evaluation requested from the "
        "first lead time on, the advice withdrawn or the worker's exit"),
    TRACK_START: gettext_lazy("the throughflow track opened on the decision, the decision replaced or withdrawn, "
                              "or the worker's exit"),
    POP_BEFORE_VISIT: gettext_lazy("VDAB's outcome recorded on the request, the visit date passed (the update can "
                                   "no longer come before it) or the worker's exit"),
}


def superseded_advice_q():
    """An advice that places the worker (LDE, IMW, CMW) is superseded by a later one of any placing type
    (an IMW attestation after the LDE advice), and by an open trajectory on a later DWSE decision that
    puts the worker in another regime or was taken after the advice ran out
    (models.superseded_by_trajectory): its validity no longer matters. SINE runs alongside and is only
    replaced by a new SINE advice (advice_create marks it)."""
    later_advice = Advice.objects.filter(worker=OuterRef("worker"), type__in=PLACING_TYPES,
                                         decision_date__gt=OuterRef("decision_date")).exclude(
        status=AdviceStatus.WITHDRAWN)
    later_decision = Trajectory.objects.filter(worker=OuterRef("worker"), closed_on__isnull=True,
                                               decision_date__gt=OuterRef("decision_date"))
    by_trajectory = Q()
    for advice_type, regimes in REGIMES_OF_TYPE.items():
        other_regime_or_ran_out = later_decision.filter(
            ~Q(regime__in=regimes) | Q(decision_date__gt=OuterRef("valid_until")))
        by_trajectory |= Q(type=advice_type) & Exists(other_regime_or_ran_out)
    return Exists(later_advice) | by_trajectory


def advice_expiring(organisation, today, settings):
    rows = (Advice.objects.filter(organisation=organisation, status=AdviceStatus.ACTIVE,
                                  valid_until__lte=settings.horizon(ADVICE_EXPIRING, today))
            .exclude(type=AdviceType.THROUGHFLOW_DECISION).exclude(worker__status="exited")
            .exclude(superseded_advice_q() & Q(type__in=PLACING_TYPES))
            .annotate(last_request=Subquery(EvaluationRequest.objects.filter(worker=OuterRef("worker"))
                                            .order_by("-requested_on").values("requested_on")[:1]))
            .values_list("pk", "worker_id", "valid_until", "last_request"))
    for pk, worker_id, due, last_request in rows:
        notify_from = settings.notify_from(ADVICE_EXPIRING, due)
        # What the alert asks for (a new indication or an evaluation) was requested in its window.
        if last_request and last_request >= notify_from:
            continue
        yield AlertCandidate(
            kind=ADVICE_EXPIRING, worker_id=worker_id, subject_key=f"advice:{pk}", due=due,
            notify_from=notify_from, recipients=(ASSIGNED_COACHES,),
            title=_("The advice expires: ask VDAB for a new indication or an evaluation"),
            url=dossier_path(organisation, worker_id, "indication"))


def track_start(organisation, today, settings):
    rows = (Advice.objects.filter(organisation=organisation, status=AdviceStatus.ACTIVE,
                                  track_start_due__lte=settings.horizon(TRACK_START, today),
                                  track_started_on__isnull=True)
            .exclude(worker__status="exited").values_list("pk", "worker_id", "track_start_due"))
    for pk, worker_id, due in rows:
        yield AlertCandidate(
            kind=TRACK_START, worker_id=worker_id, subject_key=f"advice:{pk}", due=due,
            notify_from=settings.notify_from(TRACK_START, due), recipients=(ASSIGNED_COACHES,),
            title=_("Start the throughflow track (favourable VDAB decision)"),
            url=dossier_path(organisation, worker_id, "indication"))


def pop_before_visit(organisation, today, settings):
    # A visit that has passed cannot be prepared any more: the to-do is moot, not overdue.
    rows = (EvaluationRequest.objects.filter(organisation=organisation, outcome="",
                                             pop_update_due__lte=settings.horizon(POP_BEFORE_VISIT, today))
            .exclude(planned_visit__lt=today)
            .exclude(worker__status="exited").values_list("pk", "worker_id", "pop_update_due", "planned_visit"))
    for pk, worker_id, due, visit in rows:
        yield AlertCandidate(
            kind=POP_BEFORE_VISIT, worker_id=worker_id, subject_key=f"evaluation:{pk}", due=due,
            notify_from=settings.notify_from(POP_BEFORE_VISIT, due), recipients=(ASSIGNED_COACHES,),
            title=_("Update the POP before the VDAB visit of %(date)s") % {"date": visit.strftime("%d/%m/%Y")},
            url=dossier_path(organisation, worker_id, "indication"))
