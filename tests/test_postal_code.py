"""A Belgian postal code is four digits, 1000 to 9999: "nan" (a spreadsheet's empty cell) and other shapes are
refused at the field of the worker and the organisation, through the form and full_clean() alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.accounts.models import Organisation
from lde_portal.accounts.validators import normalise_postal_code
from tests.factories import new_worker_post
from trajects.models import Worker

pytestmark = pytest.mark.django_db

REFUSED = ["nan", "NaN", "0999", "900", "10000", "B-9000", "9 000", "９０００", "abcd", "-100"]


@pytest.mark.parametrize("value", REFUSED)
def test_normalise_refuses_what_is_not_four_digits(value):
    with pytest.raises(ValidationError, match="vier cijfers"):
        normalise_postal_code(value)


@pytest.mark.parametrize(("value", "stored"), [("1000", "1000"), ("9999", "9999"), (" 9000 ", "9000"), ("", "")])
def test_normalise_keeps_a_postal_code_or_a_blank(value, stored):
    assert normalise_postal_code(value) == stored


@pytest.mark.parametrize("value", ["nan", "0999", "900", "B900", "９０００"])  # full-width digits pass isdigit()
def test_worker_form_refuses_a_postal_code_that_is_not_four_digits(personas, login, value):
    client = login(personas.coordinator)
    before = Worker.objects.count()
    response = client.post(reverse("trajects:worker_create", kwargs={"org_slug": personas.org.slug}),
                           new_worker_post(postal_code=value))
    assert response.status_code == 200
    assert response.context["form"].errors["postal_code"] == [
        "Een Belgische postcode bestaat uit vier cijfers, van 1000 tot 9999."]
    assert Worker.objects.count() == before


def test_worker_form_stores_the_four_digits(personas, login):
    client = login(personas.coordinator)
    url = reverse("trajects:worker_create", kwargs={"org_slug": personas.org.slug})
    assert client.post(url, new_worker_post(postal_code=" 9000 ")).status_code == 302
    assert Worker.objects.get(last_name="Benali").postal_code == "9000"


@pytest.mark.parametrize("value", ["nan", "0999", "abcd"])
def test_organisation_postal_code_is_four_digits(personas, value):
    org = Organisation.objects.get(pk=personas.org.pk)
    org.postal_code = value
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "postal_code" in exc.value.message_dict


@pytest.mark.parametrize("value", ["nan", "12"])
def test_worker_full_clean_refuses_it_too(personas, value):
    worker = Worker.objects.get(pk=personas.worker.pk)
    worker.postal_code = value
    with pytest.raises(ValidationError) as exc:
        worker.full_clean(exclude=["organisation"])
    assert "postal_code" in exc.value.message_dict
