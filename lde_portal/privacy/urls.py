from django.urls import include, path

from . import views

app_name = "privacy"

urlpatterns = [
    path("workers/<int:pk>/privacy/", include([
        path("", views.worker_privacy, name="worker_privacy"),
        path("subject-access/", views.subject_access_create, name="subject_access_create"),
        path("erasure/", views.erasure_request, name="erasure_request"),
    ])),
    path("privacy/retention/", views.retention_settings, name="retention"),
    path("privacy/retention/dry-run/", views.retention_dry_run, name="retention_dry_run"),
    path("privacy/erasures/", views.erasure_list, name="erasure_list"),
    path("privacy/erasures/<int:pk>/decide/", views.erasure_decide, name="erasure_decide"),
]
