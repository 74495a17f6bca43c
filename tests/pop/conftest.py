import pytest


@pytest.fixture(autouse=True)
def catalogue(db):
    from tests.pop.helpers import ensure_catalogue

    ensure_catalogue()
