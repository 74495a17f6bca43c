"""The phone offline (issue #21, lde_portal/offline.py): the service worker keeps a page only when its view
marked the response, so what the phone can hold is exactly the pages below, and none of them carries INSZ, the
confidential section or health data."""

import datetime
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indication.models import ContextProblem, ProblemKind
from lde_portal.offline import OFFLINE_HEADER

KEPT = {"trajects:home", "pop:team_feedback", "pop:worker_card"}
SECRET = "Diabetes, spuit insuline om 12u"


def _names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_only_the_offline_pages_are_marked_for_the_device():
    marked = {name for name, view in _names() if getattr(view, "offline_page", False)}
    assert marked == KEPT


def test_the_service_worker_keeps_only_marked_pages_and_never_a_post():
    from django.contrib.staticfiles import finders

    source = open(finders.find("js/sw.js"), encoding="utf-8").read()
    assert 'headers.get(MARK) === "cache"' in source and f'var MARK = "{OFFLINE_HEADER}"' in source
    assert 'request.method !== "GET"' in source
    assert "importScripts" not in source  # nothing but this file runs in the worker


@pytest.mark.django_db
def test_the_service_worker_and_manifest_are_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-store"
    assert b"X-Portal-Offline" in response.content
    manifest = json.loads(client.get(reverse("web_manifest"), HTTP_ACCEPT_LANGUAGE="nl").content)
    assert manifest["name"] == "LDE-portaal" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.django_db
def test_the_kept_pages_hold_no_insz_confidential_or_health_data(personas, login):
    worker = personas.worker
    ContextProblem.objects.create(organisation=personas.org, worker=worker, kind=ProblemKind.HEALTH,
                                  description=SECRET, noted_on=datetime.date(2026, 1, 5))
    client = login(personas.coach)
    org = personas.org.slug
    kept = [reverse("trajects:home", kwargs={"org_slug": org}), reverse("pop:team_feedback", kwargs={"org_slug": org}),
            reverse("pop:worker_card", kwargs={"org_slug": org, "pk": worker.pk})]
    for url in kept:
        response = client.get(url)
        page = response.content.decode()
        assert response[OFFLINE_HEADER] == "cache", url
        assert worker.full_name in page, url
        for secret in (worker.insz, worker.insz_display, SECRET, "Gezondheid", "Vertrouwelijk"):
            assert secret not in page, (url, secret)
    for name in ("indication:confidential", "trajects:worker_detail"):
        response = client.get(reverse(name, kwargs={"org_slug": org, "pk": worker.pk}))
        assert response.status_code == 200 and OFFLINE_HEADER not in response, name
    assert SECRET in client.get(reverse("indication:confidential", kwargs={"org_slug": org, "pk": worker.pk})
                                ).content.decode()
