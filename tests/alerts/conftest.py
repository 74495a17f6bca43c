"""A fake domain provider registered the way a domain app does it in `AppConfig.ready()`.

It reads a stored date of the foundation (Employment.contract_end) with one range query, like the real
providers will read TrajectoryDeadline.due or POP.next_due.
"""

import datetime

import pytest

from lde_portal.alerts.registry import (
    ASSIGNED_COACHES,
    PROVIDERS,
    AlertCandidate,
    register_provider,
    unregister_provider,
)
from trajects.models import Employment

KIND = "test_contract_end"
TASK_KIND = "test_contract_task"


def contract_end_provider(organisation, today, settings, kind=KIND):
    horizon = settings.horizon(kind, today)
    rows = (Employment.objects.filter(organisation=organisation, contract_end__isnull=False,
                                      contract_end__lte=horizon)
            .exclude(worker__status="exited").values_list("pk", "worker_id", "contract_end"))
    for pk, worker_id, due in rows:
        yield AlertCandidate(
            kind=kind, worker_id=worker_id, subject_key=f"employment:{pk}", due=due,
            notify_from=settings.notify_from(kind, due), recipients=(ASSIGNED_COACHES,),
            title="Contract ends: renew or plan the exit", url=f"/{organisation.slug}/workers/{worker_id}/",
        )


@pytest.fixture(autouse=True)
def _only_fake_providers():
    """The platform is tested against the fake providers below only; the domain apps' real providers
    (e.g. trajects.alerts) are tested with their apps and would add settings fields and alerts here."""
    registered = dict(PROVIDERS)
    PROVIDERS.clear()
    yield
    PROVIDERS.clear()
    PROVIDERS.update(registered)


@pytest.fixture
def provider():
    """The fake provider: 30 and 7 days lead time, escalating."""
    register_provider(KIND, contract_end_provider, label="Contract end", lead_times=(30, 7))
    yield KIND
    unregister_provider(KIND)


@pytest.fixture
def task_provider():
    register_provider(TASK_KIND, lambda o, t, s: contract_end_provider(o, t, s, kind=TASK_KIND),
                      label="Plan the exit talk", lead_times=(14,), is_task=True, escalates=False)
    yield TASK_KIND
    unregister_provider(TASK_KIND)


def end_contract(personas, due: datetime.date):
    personas.employment.contract_end = due
    personas.employment.save(update_fields=["contract_end"])
    return personas.employment
