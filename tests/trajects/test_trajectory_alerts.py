"""The trajectory deadlines reach the alerts platform through trajects.alerts (docs/alerts.md contract)."""

import datetime

import pytest

from lde_portal.alerts.config import AlertConfig
from lde_portal.alerts.models import Alert
from lde_portal.alerts.registry import PROVIDERS
from lde_portal.alerts.scan import scan_organisation
from trajects import services
from trajects.alerts import KINDS

pytestmark = pytest.mark.django_db
D = datetime.date


def test_every_provider_kind_is_a_rules_kind_and_registered():
    from trajects.timeline import DEADLINE_LABELS

    assert set(KINDS) <= set(DEADLINE_LABELS)
    assert set(KINDS) <= set(PROVIDERS)
    assert PROVIDERS["trajectory_end"].lead_times == (12, 6, 3)


def test_trajectory_end_alert_is_raised_moves_with_a_suspension_and_resolves_on_close(personas):
    # Transition regime, hired 01/02/2021: ends 31/01/2026; evaluation request due 31/07/2025.
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="TRANSITION",
                                           start=D(2021, 2, 1), today=D(2025, 5, 1))
    scan_organisation(organisation=personas.org, today=D(2025, 5, 1))
    # Other apps' kinds (e.g. pop's feedback_missing) may be raised for the same worker; only ours count here.
    alerts = {a.kind: a for a in Alert.objects.filter(state="open", kind__in=KINDS)}
    assert set(alerts) == {"trajectory_end", "transition_evaluation_request_due"}
    end = alerts["trajectory_end"]
    assert (end.due, end.notify_from, end.worker_id) == (D(2026, 1, 31), D(2025, 1, 31), personas.worker.pk)
    # "Openen" goes where the task is done: the evaluation request on Indicering.
    assert end.url == f"/{personas.org.slug}/workers/{personas.worker.pk}/indication/evaluations/new/"
    assert end.title.startswith("Het traject loopt af en er is geen VDAB-evaluatie aangevraagd")

    services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2025, 4, 1),
                                end=D(2025, 4, 30), today=D(2025, 5, 2))
    scan_organisation(organisation=personas.org, today=D(2025, 5, 2))
    open_end = Alert.objects.get(kind="trajectory_end", state="open")
    assert open_end.due == D(2026, 3, 2)  # +30 suspended days; the old alert is resolved

    services.trajectory_close(trajectory=trajectory, actor=None, closed_on=D(2025, 6, 30), reason="exit")
    scan_organisation(organisation=personas.org, today=D(2025, 7, 1))
    assert not Alert.objects.filter(state="open", kind__in=KINDS).exists()


def test_provider_reads_only_its_horizon_in_one_query(personas, django_assert_num_queries):
    services.trajectory_start(worker=personas.worker, actor=None, regime="LDE", start=D(2021, 3, 1))
    provider = PROVIDERS["trajectory_end"].provider
    with django_assert_num_queries(1):
        assert list(provider(personas.org, D(2024, 1, 1), AlertConfig())) == []  # 28/02/2026 is > 12 months away
    with django_assert_num_queries(1):
        [candidate] = provider(personas.org, D(2025, 3, 1), AlertConfig())
    assert candidate.subject_key.startswith("trajectory:") and candidate.due == D(2026, 2, 28)
