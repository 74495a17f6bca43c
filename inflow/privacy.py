"""Candidates in subject access and retention (docs/domain.md §7, issue #20).

A candidate who was not hired is pseudonymised `InflowSettings.retention_months` after the last step of their
path (or after the reserve-list period they consented to): names and contact details go, the applications
stay so the funnel counts remain. The worker record made at the referral goes with them when it never got a
contract (it holds the INSZ and VDAB's advice)."""

from django.db import transaction
from django.utils.translation import gettext as _

from lde_portal.privacy.retention import RetentionItem
from trajects.models import Employment, Worker, WorkerStatus
from trajects.privacy import _generic_record

from . import rules
from .models import Application, Candidate, InflowSettings, Stage

CANDIDATE = "inflow.candidate"


def subject_data(worker):
    candidates = Candidate.objects.filter(worker=worker)
    applications = Application.objects.filter(candidate__worker=worker).select_related("vacancy")
    return [(_("Candidate"), [_generic_record(c) for c in candidates]),
            (_("Applications to vacancies"), [_generic_record(a) for a in applications])]


def find_expired_candidates(organisation, today, policy):
    settings = InflowSettings.objects.filter(organisation=organisation).first() or InflowSettings()
    hired = Application.objects.filter(stage=Stage.HIRED).values("candidate_id")
    rows = (Candidate.objects.filter(organisation=organisation, pseudonymised=False, last_step_on__isnull=False)
            .exclude(pk__in=hired).order_by("last_step_on", "id")
            .values_list("pk", "last_step_on", "reserve_until"))
    items = []
    for pk, last_step, reserve_until in rows:
        due = rules.retention_due(last_step, settings.retention_months, reserve_until)
        if due <= today:
            items.append(RetentionItem(
                object_type=CANDIDATE, object_id=str(pk), action="pseudonymise", due=due,
                description=_("Candidate #%(id)s (last step %(date)s): name and contact details replaced by a "
                              "pseudonym") % {"id": pk, "date": last_step.strftime("%d/%m/%Y")}))
    return items


def _pseudonymise(ids):
    for pk in ids:
        Candidate.objects.filter(pk=pk).update(
            first_name=_("Candidate"), last_name=f"#{pk}", phone="", email="", postal_code="", municipality="",
            referrer_detail="", other_needs="", needs_interpreter=False, needs_childcare=False, reserve_until=None,
            worker=None, pseudonymised=True)


@transaction.atomic
def apply_expired_candidates(items):
    ids = [int(i.object_id) for i in items if i.object_type == CANDIDATE]
    workers = list(Candidate.objects.filter(pk__in=ids, worker__status=WorkerStatus.RECRUITMENT)
                   .values_list("worker_id", flat=True))
    _pseudonymise(ids)
    # A worker record that never got a contract existed for the referral alone.
    Worker.objects.filter(pk__in=workers, status=WorkerStatus.RECRUITMENT).exclude(
        pk__in=Employment.objects.values("worker_id")).delete()


def erase_worker(worker):
    """An erasure of the worker takes their candidate record along: it holds the same name and contact details."""
    _pseudonymise(list(Candidate.objects.filter(worker=worker).values_list("pk", flat=True)))
