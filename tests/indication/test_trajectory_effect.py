"""'Traject aanpassen': a new advice starts, changes or extends the trajectory in the same transaction."""

import datetime

import pytest

from indication.models import Advice
from tests.indication.helpers import indication_url
from trajects import services as trajectory_services
from trajects.models import Extension, Trajectory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)


BASE = {"issuing_body": "vdab", "favourable_choice": "", "consultant_name": "An Verbeke"}


def test_form_offers_start_when_there_is_no_trajectory(personas, login):
    url = indication_url(personas, "advice_add", pk=personas.worker.pk)
    form = login(personas.coordinator).get(url).context["form"]
    assert [c for c, _l in form.fields["trajectory_action"].choices] == ["", "start"]


def test_imw_attestation_starts_an_imw_trajectory(personas, login):
    personas.employment.contract_start = D(2024, 1, 1)
    personas.employment.save()
    response = login(personas.coordinator).post(indication_url(personas, "advice_add", pk=personas.worker.pk), {
        **BASE, "type": "imw_attestation", "decision_date": "15/02/2024", "valid_until": "31/12/2028",
        "wage_premium_percent": "40", "trajectory_action": "start"})
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(worker=personas.worker)
    assert trajectory.regime == "IMW_5Y" and trajectory.start == D(2024, 1, 1)
    assert trajectory.decision_date == D(2024, 2, 15)
    assert Advice.objects.count() == 1


def _lde_trajectory(p):
    p.employment.contract_start = D(2021, 3, 1)
    p.employment.save()
    return trajectory_services.trajectory_start(worker=p.worker, actor=p.coordinator.user, regime="LDE",
                                                start=D(2021, 3, 1))


def test_new_decision_changes_the_regime(personas, login):
    old = _lde_trajectory(personas)
    client = login(personas.coordinator)
    form = client.get(indication_url(personas, "advice_add", pk=personas.worker.pk)).context["form"]
    assert [c for c, _l in form.fields["trajectory_action"].choices] == ["", "change_regime", "extend"]
    response = client.post(indication_url(personas, "advice_add", pk=personas.worker.pk), {
        **BASE, "type": "imw_attestation", "decision_date": "01/10/2026", "valid_until": "30/09/2031",
        "wage_premium_percent": "55", "trajectory_action": "change_regime", "trajectory_regime": "IMW_5Y"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.closed_on == D(2026, 9, 30)
    new = Trajectory.objects.get(worker=personas.worker, closed_on__isnull=True)
    assert new.regime == "IMW_5Y" and new.opened_on == D(2026, 10, 1) and new.previous_id == old.pk


def test_new_advice_extends_the_trajectory(personas, login):
    trajectory = _lde_trajectory(personas)
    before = trajectory.planned_end
    response = login(personas.coordinator).post(indication_url(personas, "advice_add", pk=personas.worker.pk), {
        **BASE, "type": "lde_advice", "decision_date": "01/10/2025", "valid_until": "28/02/2027",
        "trajectory_action": "extend", "extension_reason": "SIXTH_YEAR", "extension_months": "12"})
    assert response.status_code == 302, response.context["form"].errors
    trajectory.refresh_from_db()
    assert Extension.objects.get(trajectory=trajectory).months == 12
    assert trajectory.planned_end > before


def test_a_refused_trajectory_change_saves_nothing(personas, login):
    trajectory = _lde_trajectory(personas)
    response = login(personas.coordinator).post(indication_url(personas, "advice_add", pk=personas.worker.pk), {
        **BASE, "type": "lde_advice", "decision_date": "01/01/2020", "valid_until": "",
        "trajectory_action": "change_regime", "trajectory_regime": "IMW_5Y"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors.get("trajectory_date") or errors.get("trajectory_regime") or errors.get("trajectory_action")
    assert not Advice.objects.exists()
    assert Trajectory.objects.get().pk == trajectory.pk and trajectory.closed_on is None


def test_extension_needs_reason_and_months(personas, login):
    _lde_trajectory(personas)
    response = login(personas.coordinator).post(indication_url(personas, "advice_add", pk=personas.worker.pk), {
        **BASE, "type": "lde_advice", "decision_date": "01/10/2025", "trajectory_action": "extend"})
    assert set(response.context["form"].errors) >= {"extension_reason", "extension_months"}
    assert not Advice.objects.exists()


def test_evaluation_basis_uses_the_open_trajectory(personas, login):
    personas.employment.contract_start = D(2024, 6, 1)
    personas.employment.save()
    trajectory = trajectory_services.trajectory_start(worker=personas.worker, actor=personas.coordinator.user,
                                                      regime="CMW", start=D(2025, 5, 25))
    trajectory_services.trajectory_suspend(trajectory=trajectory, actor=personas.coordinator.user, reason="illness",
                                           start=D(2025, 6, 1), end=D(2025, 6, 10))
    tab = login(personas.coach).get(indication_url(personas, "worker_indication", pk=personas.worker.pk)).context["tab"]
    assert tab.basis.regime == "CMW" and tab.basis.start == D(2025, 5, 25)
    assert tab.basis.regular == D(2027, 5, 25)
    assert tab.basis.medical == D(2025, 7, 30)  # 56 worked days + 10 suspended days
