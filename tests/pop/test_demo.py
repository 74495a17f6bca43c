"""The demo data carries the coordinator's yearly POP review (docs/journeys.md)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from lde_portal.accounts.models import Membership
from pop import selectors
from pop.models import PopStatus, PopVersion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [datetime.date(2026, 12, 2), datetime.date(2027, 6, 30)])
def test_koen_reviews_about_six_pops_due_in_60_days_and_one_overdue_each_with_a_coach(today):
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(9)), tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
        koen = Membership.objects.get(user__email="koen@stroom.demo")
        rows = list(selectors.review_list(koen, today=today))
    yearly = [r for r in rows if r.next_due_kind == "yearly_review"]
    due = [r for r in yearly if r.next_due >= today]
    overdue = [r for r in yearly if r.next_due < today]
    assert 5 <= len(due) <= 8 and len(overdue) == 1
    assert all(r.worker.current_assignments for r in rows), "every row names the worker's coach"
    # The overdue one has its new draft prepared from the year's feedback, waiting for the coordinator.
    assert PopVersion.objects.filter(pop__worker=overdue[0].worker, status=PopStatus.DRAFT).exists()
