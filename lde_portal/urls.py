from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lde_portal.accounts import urls as accounts_urls
from lde_portal.accounts.views import root
from lde_portal.alerts.views import calendar_feed
from lde_portal.offline import service_worker, web_manifest

# Every organisation-scoped page lives under /<org_slug>/: the access policy resolves it once.
org_patterns = [
    path("", include("trajects.urls")),
    path("", include("indication.urls")),
    path("", include("pop.urls")),
    path("", include("inflow.urls")),
    path("", include("throughflow.urls")),
    path("", include((accounts_urls.org_urlpatterns, "org_admin"))),
    path("", include("lde_portal.documents.urls")),
    path("", include("lde_portal.alerts.urls")),
    path("", include("lde_portal.audit.urls")),
    path("", include("lde_portal.privacy.urls")),
    path("", include("lde_portal.reports.urls")),
    path("", include("lde_portal.files.urls")),
    path("", include("lde_portal.imports.urls")),
]

urlpatterns = [
    path("", root, name="home"),
    path("accounts/", include("lde_portal.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # The service worker must be served from the root to control the organisations' pages (lde_portal/offline.py).
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("django-admin/", admin.site.urls),
    # Public check page of issued documents ("verify" is a reserved organisation slug).
    path("verify/", include(("lde_portal.documents.public_urls", "verify"))),
    # A member's private deadline feed for their own agenda: the token is the credential (no login).
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("<slug:org_slug>/", include(org_patterns)),
]
