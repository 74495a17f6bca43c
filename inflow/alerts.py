"""Alert providers of the inflow path (contract: docs/alerts.md).

The platform files every alert under a worker record, which a candidate gets at the referral to VDAB
(services.application_refer): the wait for VDAB's advice is the inflow deadline that has one.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lde_portal.alerts.registry import COORDINATORS, AlertCandidate

from .models import Application, Stage

ADVICE_WAITING = "inflow_advice_waiting"

RESOLVED_BY = {
    ADVICE_WAITING: gettext_lazy("the advice recorded for the application, or the candidate's drop-out"),
}

ADVICE_WAITING_TITLE = gettext_noop("Referred to VDAB: no advice yet")


def advice_waiting(organisation, today, settings):
    rows = (Application.objects
            .filter(organisation=organisation, stage=Stage.REFERRED, advice__isnull=True,
                    advice_due__lte=settings.horizon(ADVICE_WAITING, today), candidate__worker__isnull=False)
            .values_list("pk", "candidate__worker_id", "advice_due", "vacancy_id"))
    title = _(ADVICE_WAITING_TITLE)
    for pk, worker_id, due, vacancy_id in rows:
        yield AlertCandidate(
            kind=ADVICE_WAITING, worker_id=worker_id, subject_key=f"application:{pk}", due=due,
            notify_from=settings.notify_from(ADVICE_WAITING, due), recipients=(COORDINATORS,), title=title,
            url=f"/{organisation.slug}/inflow/vacancies/{vacancy_id}/",
        )
