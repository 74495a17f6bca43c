"""Deadline providers for the alerts platform (domain.md §4): advice validity expiring, the throughflow
track that must start within 3 months of a favourable decision, and the POP update due before a VDAB
evaluation visit. Each reads stored, indexed dates with one range query (docs/alerts.md)."""

from django.utils.translation import gettext as _

from lde_portal.alerts.registry import ASSIGNED_COACHES, AlertCandidate

from .models import Advice, AdviceStatus, AdviceType, EvaluationRequest

ADVICE_EXPIRING = "advice_expiring"
TRACK_START = "throughflow_track_start"
POP_BEFORE_VISIT = "pop_update_before_vdab_visit"


def _url(organisation, worker_id):
    return f"/{organisation.slug}/workers/{worker_id}/indication/"


def advice_expiring(organisation, today, settings):
    rows = (Advice.objects.filter(organisation=organisation, status=AdviceStatus.ACTIVE,
                                  valid_until__lte=settings.horizon(ADVICE_EXPIRING, today))
            .exclude(type=AdviceType.THROUGHFLOW_DECISION).exclude(worker__status="exited")
            .values_list("pk", "worker_id", "valid_until"))
    for pk, worker_id, due in rows:
        yield AlertCandidate(
            kind=ADVICE_EXPIRING, worker_id=worker_id, subject_key=f"advice:{pk}", due=due,
            notify_from=settings.notify_from(ADVICE_EXPIRING, due), recipients=(ASSIGNED_COACHES,),
            title=_("The advice expires: ask VDAB for a new indication or an evaluation"),
            url=_url(organisation, worker_id))


def track_start(organisation, today, settings):
    rows = (Advice.objects.filter(organisation=organisation, status=AdviceStatus.ACTIVE,
                                  track_start_due__lte=settings.horizon(TRACK_START, today))
            .exclude(worker__status="exited").values_list("pk", "worker_id", "track_start_due"))
    for pk, worker_id, due in rows:
        yield AlertCandidate(
            kind=TRACK_START, worker_id=worker_id, subject_key=f"advice:{pk}", due=due,
            notify_from=settings.notify_from(TRACK_START, due), recipients=(ASSIGNED_COACHES,),
            title=_("Start the throughflow track (favourable VDAB decision)"), url=_url(organisation, worker_id))


def pop_before_visit(organisation, today, settings):
    rows = (EvaluationRequest.objects.filter(organisation=organisation, outcome="",
                                             pop_update_due__lte=settings.horizon(POP_BEFORE_VISIT, today))
            .exclude(worker__status="exited").values_list("pk", "worker_id", "pop_update_due", "planned_visit"))
    for pk, worker_id, due, visit in rows:
        yield AlertCandidate(
            kind=POP_BEFORE_VISIT, worker_id=worker_id, subject_key=f"evaluation:{pk}", due=due,
            notify_from=settings.notify_from(POP_BEFORE_VISIT, due), recipients=(ASSIGNED_COACHES,),
            title=_("Update the POP before the VDAB visit of %(date)s") % {"date": visit.strftime("%d/%m/%Y")},
            url=_url(organisation, worker_id))
