"""The phone offline (issue #21): which pages a device may keep, and the service worker that keeps them.

A page is kept on the device only when its view opts in with `offline_page`, which marks the response with
OFFLINE_HEADER; the service worker (static/js/sw.js) caches nothing else, whatever the URL. The pages that opt in
show no confidential section, INSZ or health data (tests/test_offline.py reads what they answer). What is typed
offline waits in the device's IndexedDB (static/js/offline.js) and is sent to the page's own endpoint, which
applies it through the same service and version check as the online form.
"""

import functools

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

OFFLINE_HEADER = "X-Portal-Offline"
SERVICE_WORKER = "js/sw.js"


def offline_page(view):
    """Let a device keep this page for offline use (only a plain 200: no redirect, refusal or error)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            response[OFFLINE_HEADER] = "cache"
        return response

    # Read by tests/test_offline.py, which lists every page a device may keep.
    wrapped.offline_page = True
    return wrapped


@require_safe
def service_worker(request):
    """static/js/sw.js from the site's root: a worker controls only the pages under the path it is served from,
    and the organisations' pages are under /<org_slug>/."""
    path = finders.find(SERVICE_WORKER)
    if path is None:  # pragma: no cover — the file is part of the repository
        raise Http404
    with open(path, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # A new worker must reach the phones at their next visit, not after a day of a cached copy; no-store as on
    # every other public page (the browser keeps the registered worker in its own store, not in the HTTP cache).
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def web_manifest(request):
    """What a phone needs to install the portal: its name (in the visitor's language, Dutch by default) and
    icons. Served by the portal rather than as a static file for the translated name and the static URLs."""
    icons = [{"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
             {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
             {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
              "purpose": "maskable"}]
    return JsonResponse({
        "name": _("LDE portal"), "short_name": _("LDE portal"), "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1f5f5b", "icons": icons,
    }, content_type="application/manifest+json")
