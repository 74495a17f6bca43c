"""403 and 404 are pages of the portal: Dutch, within its layout, saying what the user can do instead."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_403_is_dutch_inside_the_organisations_navigation(personas, login):
    response = login(personas.coach).get(reverse("org_admin:member_list", kwargs={"org_slug": personas.org.slug}))
    assert response.status_code == 403
    html = response.content.decode()
    assert "U hebt geen toegang tot deze pagina" in html
    assert "vraag dan de beheerder van uw organisatie" in html
    assert 'aria-label="Hoofdnavigatie"' in html or "navbar" in html
    assert personas.org.name in html  # the organisation's navigation is still there
    assert reverse("trajects:home", kwargs={"org_slug": personas.org.slug}) in html


def test_404_is_dutch_inside_the_layout(personas, login):
    response = login(personas.coach).get(reverse("trajects:worker_detail", kwargs={
        "org_slug": personas.org.slug, "pk": personas.foreign_worker.pk}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet (meer)" in html
    assert "Naar de startpagina" in html
    assert "navbar" in html


def test_500_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Er ging bij ons iets mis" in html
