"""Aftercare follow-up moments per organisation (issue #6 part 5)."""

import datetime

import pytest
from django.urls import reverse

from throughflow import services
from throughflow.models import FollowUp, ThroughflowSettings

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 6, 1)


def _exit(worker):
    return services.exit_record(worker=worker, actor=None, today=TODAY,
                                data={"date": D(2025, 5, 31), "reason": "external", "destination_employer": "X"})


@pytest.mark.parametrize(("months", "expected"), [
    (None, [1, 3, 6, 12]),          # nothing stored: the rule table
    ([6, 2, 24], [2, 6, 24]),
])
def test_exits_use_the_organisations_months(personas, months, expected):
    if months:
        services.throughflow_settings_save(organisation=personas.org, actor=None, followup_months=months)
    _exit(personas.worker)
    assert list(FollowUp.objects.values_list("months", flat=True).order_by("months")) == expected
    assert FollowUp.objects.get(months=6).due == D(2025, 11, 30)


def test_settings_page_forbids_removing_six_months_and_saves_nothing(personas, login):
    client = login(personas.org_admin)
    url = reverse("throughflow:settings", kwargs={"org_slug": personas.org.slug})
    page = client.get(url).content.decode()
    assert "kan niet worden verwijderd" in page
    body = client.post(url, {"followup_months": ["1", "3", "12"]}).content.decode()
    assert "zonder die opvolging heeft dat cijfer geen gegevens" in body
    assert not ThroughflowSettings.objects.exists()
    body = client.post(url, {}).content.decode()
    assert "Kies minstens één opvolgmoment" in body
    response = client.post(url, {"followup_months": ["1", "6", "18"]})
    assert response.status_code == 302
    assert ThroughflowSettings.objects.get().followup_months == [1, 6, 18]
    # A stale form does not overwrite silently.
    client.post(url, {"version": "1", "followup_months": ["3", "6"]})
    body = client.post(url, {"version": "1", "followup_months": ["6"]}).content.decode()
    assert "intussen" in body
    assert ThroughflowSettings.objects.get().followup_months == [3, 6]
