import time

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from lde_portal.accounts.access import PERMISSIONS, OrgPermissionMixin, has_perm, workers_visible_to

pytestmark = pytest.mark.django_db


class MembersOnly(OrgPermissionMixin, View):
    permission = "members.manage"

    def get(self, request):
        return HttpResponse(f"ok {self.organisation.slug} {self.membership.role}")


def _call(user, slug):
    request = RequestFactory().get(f"/{slug}/x/")
    request.user = user
    return MembersOnly.as_view()(request, org_slug=slug)


def test_mixin_applies_the_same_policy_as_the_decorator(personas):
    assert _call(AnonymousUser(), personas.org.slug).status_code == 302
    with pytest.raises(Http404):
        _call(personas.outsider.user, personas.org.slug)
    with pytest.raises(PermissionDenied):
        _call(personas.coordinator.user, personas.org.slug)
    assert _call(personas.org_admin.user, personas.org.slug).content == b"ok stroom org_admin"


def test_unknown_permission_is_a_programming_error(personas):
    with pytest.raises(KeyError):
        has_perm(personas.coach, "worker.fly")
    assert set(PERMISSIONS["confidential.view"]) == {"coach", "coordinator"}


def test_scoping_querysets(personas):
    assert list(workers_visible_to(personas.coach)) == [personas.worker]
    assert list(workers_visible_to(personas.other_coach)) == []
    assert list(workers_visible_to(personas.manager)) == [personas.worker]
    assert personas.foreign_worker not in workers_visible_to(personas.org_admin)


def test_single_membership_goes_straight_to_its_organisation(personas, client):
    client.force_login(personas.manager.user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == f"/{personas.org.slug}/"


def _stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_expiry_rolls_forward_with_activity_at_most_once_a_minute(personas, client, settings):
    client.force_login(personas.coach.user)
    url = reverse("trajects:home", kwargs={"org_slug": personas.org.slug})
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.get(url)
        first = _stored_expiry(client)
        traveller.shift(30)
        client.get(url)
        assert _stored_expiry(client) == first
        traveller.shift(61)
        client.get(url)
        assert _stored_expiry(client) > first
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        assert client.get(url).status_code == 302  # idle too long: back to the login page
