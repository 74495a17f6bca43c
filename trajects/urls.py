from django.urls import include, path

from . import trajectory_views as tv
from . import views

app_name = "trajects"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", include([
        path("", views.worker_detail, name="worker_detail"),
        path("edit/", views.worker_edit, name="worker_edit"),
        path("history/", views.worker_history, name="worker_history"),
        path("status/", views.status_change, name="status_change"),
        path("employments/new/", views.employment_form, name="employment_add"),
        path("employments/<int:employment_pk>/", views.employment_form, name="employment_edit"),
        path("coaches/new/", views.assignment_add, name="assignment_add"),
        path("coaches/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
        path("trajectory/", include([
            path("", tv.trajectory, name="trajectory"),
            path("start/", tv.trajectory_start, name="trajectory_start"),
            path("suspensions/new/", tv.suspension_add, name="suspension_add"),
            path("extensions/new/", tv.extension_add, name="extension_add"),
            path("extensions/<int:extension_pk>/document/", tv.extension_document, name="extension_document"),
            path("phase/", tv.phase_change, name="phase_change"),
            path("regime/", tv.regime_change, name="regime_change"),
            path("milestones/new/", tv.milestone_add, name="milestone_add"),
            path("sine/new/", tv.sine_add, name="sine_add"),
        ])),
    ])),
    path("trajectory-ends/", tv.trajectory_ends, name="trajectory_ends"),
    path("rules/", tv.regime_rules, name="regime_rules"),
    path("settings/phases/", tv.phase_settings, name="phase_settings"),
]
