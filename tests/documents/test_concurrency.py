"""Concurrent issuers never get the same number (PostgreSQL: real row locks between connections)."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from lde_portal.documents.models import DocumentCounter
from lde_portal.documents.services import allocate_sequence
from tests.factories import OrganisationFactory


@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_are_unique_and_gap_free():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (DATABASE_URL=postgres://...)")
    org = OrganisationFactory()
    results, errors = [], []

    def worker():
        try:
            for _ in range(10):
                with transaction.atomic():
                    results.append(allocate_sequence(org, 2026))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 41))
    assert DocumentCounter.objects.get(organisation=org, year=2026).last == 40
