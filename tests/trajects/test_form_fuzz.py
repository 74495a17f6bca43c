"""Hypothesis fuzzes the worker, employment and status forms through the views (issue #11): whatever is
posted, never a server error, and when the form is refused nothing is saved (no row, no audit entry)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lde_portal.audit.models import AuditEntry
from tests.factories import valid_insz
from trajects.models import CoachAssignment, Employment, StatusChange, Worker

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

junk = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e9", "31/02/2025", "2025-13-01", "<script>alert(1)</script>",
                     "=cmd|' /C calc'!A0", "\x00", "9" * 40, "85.07.30-033.28", "0,8", "38", "active", "exited"]),
)
dates = st.one_of(st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")), junk)
insz = st.one_of(st.integers(1, 997).map(valid_insz), junk)


def _counts():
    return (Worker.objects.count(), Employment.objects.count(), StatusChange.objects.count(),
            CoachAssignment.objects.count(), AuditEntry.objects.exclude(action="login").count())


def _post(client, url, data):
    before = _counts()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert _counts() == before, "a refused form saved something"
    return response


WORKER_FIELDS = {
    "first_name": junk, "last_name": junk, "insz": insz, "birth_date": dates,
    "gender": st.sampled_from(["", "F", "M", "X", "Q"]), "postal_code": junk, "email": junk, "phone": junk,
    "preferred_language": st.sampled_from(["nl", "fr", "xx", ""]),
    "education_level": st.sampled_from(["unknown", "higher", "bogus"]),
    "status": st.sampled_from(["active", "recruitment", "exited", ""]), "status_date": dates,
    "employment-activity": st.one_of(st.just(""), junk), "employment-contract_start": dates,
    "employment-weekly_hours": junk, "employment-fte": junk, "coach-coach": junk, "coach-role": junk,
}


def _fields(personas, form):
    """What is posted to each form: field name -> strategy."""
    return {
        "worker_create": WORKER_FIELDS,
        "worker_edit": {**WORKER_FIELDS, "version": st.one_of(st.just(""), junk)},
        "employment_add": {
            "activity": st.one_of(st.just(str(personas.activity.pk)), junk), "contract_start": dates,
            "contract_end": dates, "contract_type": st.sampled_from(["open_ended", "fixed_term", "x", ""]),
            "weekly_hours": junk, "fte": junk,
        },
        "status_change": {
            "status": st.sampled_from(["active", "suspended", "exited", "recruitment", "bogus", ""]),
            "date": dates, "note": junk,
        },
    }[form]


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["worker_create", "worker_edit", "employment_add", "status_change"])
def test_fuzz(personas, login, form):
    client = login(personas.coordinator)
    kwargs = {"org_slug": personas.org.slug} if form == "worker_create" else {
        "org_slug": personas.org.slug, "pk": personas.worker.pk}
    url = reverse(f"trajects:{form}", kwargs=kwargs)

    @FUZZ
    @given(data=st.fixed_dictionaries(_fields(personas, form)))
    def run(data):
        _post(client, url, data)

    run()
