import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

REFRESH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds of inactivity (shared PCs, health data).

    Touching the session marks it modified, so Django saves it with a new expiry; doing that at most
    once a minute keeps the idle window rolling without a database write on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_touched", 0) >= REFRESH_EVERY_SECONDS:
                session["_touched"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response the portal builds, unless its view chose a header.

    Nearly every page and download carries personal data (names, INSZ numbers, health and social notes),
    and the portal is used on shared PCs: a stored copy is shown again by the back button or read from the
    browser's cache after the user logged out. no-store keeps it out of the cache (browsers also leave such
    pages out of the back-forward cache once the session cookie changes, as it does at logout); `private`
    keeps proxies out for clients that ignore no-store. The login, password-reset and two-factor pages get
    it too: they hold the e-mail address typed and a reset link's token.

    A header set by the view is its deliberate choice and is kept: downloads send `private, no-store`
    themselves, the public verify page is `never_cache` (which includes no-store), and the calendar feed is
    `private, max-age=900` (see `lde_portal.alerts.views.calendar_feed`). Two kinds of response never reach
    this middleware, by its place in MIDDLEWARE: `/healthz` (answered by HealthCheckMiddleware before it,
    with "ok" and nothing else) and static files (WhiteNoise; public and long-lived by design: CSS, JS and
    images, no data).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class HealthCheckMiddleware:
    """`/healthz` for the container health check, answered before host validation and the TLS
    redirect (the probe calls 127.0.0.1 over plain HTTP). It checks the database is reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language in the user menu (set_language's cookie).

    Django's LocaleMiddleware would also follow the browser's Accept-Language, so staff whose browser is
    in English would silently get the English interface; the portal is Dutch by default (docs/architecture.md)
    and English is an explicit choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
