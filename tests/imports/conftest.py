import pytest

from lde_portal.imports import registry

from .sheets import ActivitySheet, ProbeSheet


@pytest.fixture(autouse=True)
def test_sheets(monkeypatch):
    """Only the test sheets are registered while these tests run."""
    monkeypatch.setattr(registry, "SHEETS", {})
    registry.register_sheet(ActivitySheet)
    registry.register_sheet(ProbeSheet)
    return registry.SHEETS
