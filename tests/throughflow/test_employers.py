"""The employer directory: validated enterprise numbers, hires across the organisation, fixed queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.concurrency import ConflictError
from tests.factories import EmploymentFactory, WorkerFactory, valid_enterprise_number
from throughflow import services
from throughflow.models import Employer

pytestmark = pytest.mark.django_db
D = datetime.date


def _employer(org, name="Bakkerij Peeters", number=""):
    return services.employer_create(organisation=org, actor=None, data={"name": name, "enterprise_number": number})


def _hire(org, activity, employer, day=None):
    worker = WorkerFactory(organisation=org)
    EmploymentFactory(worker=worker, activity=activity)
    return services.exit_record(worker=worker, actor=None, today=D(2025, 6, 1),
                                data={"date": day or D(2025, 5, 1), "reason": "external", "employer": employer})


@pytest.mark.parametrize(("number", "stored"), [
    ("0123.456.749", "0123456749"), ("BE 0123 456 749", "0123456749"), ("", ""),
])
def test_enterprise_number_is_normalised(personas, number, stored):
    assert _employer(personas.org, number=number).enterprise_number == stored


@pytest.mark.parametrize("number", ["0123.456.748", "12345", "abc"])
def test_invalid_enterprise_number_is_refused(personas, number):
    with pytest.raises(ValidationError) as exc:
        _employer(personas.org, number=number)
    assert "enterprise_number" in exc.value.message_dict
    assert not Employer.objects.exists()


def test_duplicate_enterprise_number_in_the_organisation_is_refused(personas):
    _employer(personas.org, number=valid_enterprise_number(7))
    with pytest.raises(ValidationError):
        _employer(personas.org, "Other name", number=valid_enterprise_number(7))
    _employer(personas.other_org, number=valid_enterprise_number(7))  # another organisation's directory


def test_stale_edit_raises_conflict(personas):
    employer = _employer(personas.org)
    services.employer_update(employer=employer, actor=None, data={"name": "Peeters NV"}, expected_version=1)
    with pytest.raises(ConflictError):
        services.employer_update(employer=employer, actor=None, data={"name": "Bakkerij P."}, expected_version=1)
    assert Employer.objects.get().name == "Peeters NV"


def test_exit_to_a_directory_employer_is_a_hire_in_its_history(personas, login):
    employer = _employer(personas.org)
    exit_ = _hire(personas.org, personas.activity, employer)
    assert exit_.destination_employer == "Bakkerij Peeters"
    client = login(personas.coordinator)
    body = client.get(reverse("throughflow:employer_detail",
                              kwargs={"org_slug": personas.org.slug, "employer_pk": employer.pk})).content.decode()
    assert exit_.worker.full_name in body
    coach_body = login(personas.coach).get(reverse(
        "throughflow:employer_detail", kwargs={"org_slug": personas.org.slug, "employer_pk": employer.pk})).content.decode()
    assert exit_.worker.full_name not in coach_body  # coaches see the history without other workers' names


def test_employer_form_keeps_input_on_error(personas, login):
    client = login(personas.coordinator)
    response = client.post(reverse("throughflow:employer_add", kwargs={"org_slug": personas.org.slug}),
                           {"name": "Colruyt", "enterprise_number": "0123.456.748", "sector": "Retail"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Colruyt" in body and "Retail" in body and "ondernemingsnummer" in body
    assert not Employer.objects.exists()


def test_employer_directory_query_count_is_fixed(personas, login, django_assert_num_queries):
    client = login(personas.coach)
    url = reverse("throughflow:employer_list", kwargs={"org_slug": personas.org.slug})
    _hire(personas.org, personas.activity, _employer(personas.org, "E0"))
    client.get(url)
    with django_assert_num_queries(5) as one:
        client.get(url)
    for i in range(1, 50):
        _hire(personas.org, personas.activity, _employer(personas.org, f"E{i}"))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["employers"]) == 50 and response.context["employers"][0].n_hires == 1
