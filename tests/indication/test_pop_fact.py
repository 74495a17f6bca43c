"""The Indicering tab shows when the POP was last updated; the date comes from the pop app through the
dossier fact "pop.updated_on" (indication does not import pop, tests/test_dependencies.py)."""

import datetime

import pytest

from indication.selectors import indication_tab
from pop.models import PopStatus
from tests.pop.helpers import ensure_catalogue, make_version

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_tab_reads_the_last_pop_update_from_the_pop_app(personas):
    ensure_catalogue()
    assert indication_tab(personas.coordinator, personas.worker.pk, D(2026, 6, 1)).pop_updated_on is None
    make_version(personas.worker, status=PopStatus.APPROVED, approved_on=D(2026, 2, 5), registered_on=D(2026, 2, 20))
    assert indication_tab(personas.coordinator, personas.worker.pk, D(2026, 6, 1)).pop_updated_on == D(2026, 2, 20)
