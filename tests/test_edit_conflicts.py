"""Two people open the same edit form of a shared record and both save: the second gets the conflict view (what
is stored next to what they typed, their text still in the form, the new version offered) and nothing of the
first save is overwritten. The contract, the follow-up and the POP have their own tests in their apps."""

import datetime
import re

import pytest
from django.urls import reverse

from lde_portal.accounts.models import Activity, Organisation, Role
from tests.conftest import VerifiedClient
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
REFUSED = "Iemand anders heeft"


def _as_the_page_posts_it(form):
    """What the browser sends back for an unbound form, untouched."""
    data = {}
    for bound in form:
        value = bound.value()
        if value in (None, False, "", []):
            continue
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[bound.html_name] = "on" if value is True else value
    return data


def _activity(p):
    activity = p.activity
    return (reverse("org_admin:activity_edit", kwargs={"org_slug": p.org.slug, "pk": activity.pk}),
            "municipality", lambda: Activity.objects.get(pk=activity.pk).municipality)


def _organisation(p):
    return (reverse("org_admin:organisation_edit", kwargs={"org_slug": p.org.slug}),
            "municipality", lambda: Organisation.objects.get(pk=p.org.pk).municipality)


def _training(p):
    from pop.models import Training
    from tests.pop.helpers import make_training

    training = make_training(p.org, participants=[p.worker], certificate=False)
    return (reverse("pop:training_edit", kwargs={"org_slug": p.org.slug, "training_pk": training.pk}),
            "provider", lambda: Training.objects.get(pk=training.pk).provider)


def _icf_item(p):
    from indication.models import IcfItem

    item = IcfItem.objects.create(organisation=p.org, component="d", code="d999", label="Eigen item")
    return (reverse("indication:icf_item_edit", kwargs={"org_slug": p.org.slug, "item_pk": item.pk}),
            "label", lambda: IcfItem.objects.get(pk=item.pk).label)


def _vacancy(p):
    from inflow.models import Vacancy
    from tests.inflow.helpers import vacancy

    record = vacancy(p.org, activity=p.activity)
    return (reverse("inflow:vacancy_edit", kwargs={"org_slug": p.org.slug, "vacancy_pk": record.pk}),
            "title", lambda: Vacancy.objects.get(pk=record.pk).title)


def _candidate(p):
    from inflow.models import Candidate
    from tests.inflow.helpers import candidate, vacancy

    record = candidate(vacancy(p.org, activity=p.activity)).candidate
    return (reverse("inflow:candidate_edit", kwargs={"org_slug": p.org.slug, "candidate_pk": record.pk}),
            "other_needs", lambda: Candidate.objects.get(pk=record.pk).other_needs)


@pytest.mark.parametrize(("record", "role"), [
    (_activity, Role.ORG_ADMIN),
    (_vacancy, Role.COORDINATOR),
    (_candidate, Role.COORDINATOR),
    (_organisation, Role.ORG_ADMIN),
    (_training, Role.COORDINATOR),
    (_icf_item, Role.COORDINATOR),
])
def test_the_second_of_two_saves_gets_the_conflict_view_and_overwrites_nothing(personas, record, role):
    url, field, stored = record(personas)
    first, second = VerifiedClient(), VerifiedClient()
    first.force_login(MembershipFactory(organisation=personas.org, role=role).user)
    second.force_login(MembershipFactory(organisation=personas.org, role=role).user)
    # Both open the form before either saves.
    seen_first = _as_the_page_posts_it(first.get(url).context["form"])
    seen_second = _as_the_page_posts_it(second.get(url).context["form"])
    response = first.post(url, {**seen_first, field: "Eerst bewaard"})
    assert response.status_code == 302, response.context["form"].errors
    response = second.post(url, {**seen_second, field: "Daarna getypt"})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html
    assert "Eerst bewaard" in html and 'value="Daarna getypt"' in html
    assert stored() == "Eerst bewaard"
    # Saving again, knowingly, on the version now offered wins.
    offered = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert second.post(url, {**seen_second, field: "Daarna getypt", "version": offered}).status_code == 302
    assert stored() == "Daarna getypt"


def test_two_admins_editing_the_phase_model_the_second_gets_the_conflict(personas):
    from trajects.models import PhaseDefinition

    url = reverse("trajects:phase_settings", kwargs={"org_slug": personas.org.slug})
    first, second = VerifiedClient(), VerifiedClient()
    first.force_login(personas.org_admin.user)
    second.force_login(MembershipFactory(organisation=personas.org, role=Role.ORG_ADMIN).user)

    def page_post(client):
        formset = client.get(url).context["formset"]
        data = {f"form-{k}": v for k, v in formset.management_form.initial.items()}
        for form in formset.forms:
            data.update(_as_the_page_posts_it(form))
        return data

    seen_first, seen_second = page_post(first), page_post(second)
    response = first.post(url, {**seen_first, "form-0-name": "Eerst bewaard"})
    assert response.status_code == 302
    response = second.post(url, {**seen_second, "form-0-name": "Daarna getypt"})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and "Eerst bewaard" in html and 'value="Daarna getypt"' in html
    phase = PhaseDefinition.objects.filter(organisation=personas.org).first()
    assert phase.name == "Eerst bewaard"
    offered = re.search(r'name="form-0-version" value="(\d+)"', html).group(1)
    response = second.post(url, {**seen_second, "form-0-name": "Daarna getypt", "form-0-version": offered})
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.name == "Daarna getypt"
