from django.urls import path

from . import views

app_name = "throughflow"

W = "workers/<int:pk>/throughflow/"

urlpatterns = [
    path(W, views.tab, name="tab"),
    path(W + "exit/", views.exit_add, name="exit_add"),
    path(W + "followups/<int:followup_pk>/", views.followup_edit, name="followup_edit"),
]
urlpatterns += [path("throughflow/ratio/", views.ratio, name="ratio")]
urlpatterns += [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_add, name="employer_add"),
    path("employers/<int:employer_pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:employer_pk>/edit/", views.employer_edit, name="employer_edit"),
]
urlpatterns += [
    path(W + "track/", views.track_open, name="track_open"),
    path(W + "track/phase/", views.track_phase, name="track_phase"),
    path(W + "track/hours/", views.track_hours, name="track_hours"),
]
urlpatterns += [
    path(W + "readiness/new/", views.readiness_add, name="readiness_add"),
    path(W + "readiness/<int:check_pk>/", views.readiness_detail, name="readiness_detail"),
    path(W + "readiness/<int:check_pk>/edit/", views.readiness_edit, name="readiness_edit"),
    path(W + "track/pause/", views.track_pause, name="track_pause"),
    path(W + "track/resume/", views.track_resume, name="track_resume"),
    path("throughflow/settings/", views.throughflow_settings, name="settings"),
]
