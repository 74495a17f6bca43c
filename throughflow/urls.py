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
urlpatterns += [path("throughflow/exits/", views.exit_list, name="exit_list")]
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
    path(W + "job-target/", views.job_target_edit, name="job_target_edit"),
    path(W + "applications/new/", views.application_add, name="application_add"),
    path(W + "applications/<int:application_pk>/", views.application_add, name="application_edit"),
    path(W + "internships/new/", views.internship_add, name="internship_add"),
    path(W + "internships/<int:internship_pk>/", views.internship_add, name="internship_edit"),
    path(W + "handover/", views.handover_edit, name="handover_edit"),
    path(W + "consents/new/", views.consent_add, name="consent_add"),
    path(W + "consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(W + "readiness/new/", views.readiness_add, name="readiness_add"),
    path(W + "readiness/<int:check_pk>/", views.readiness_detail, name="readiness_detail"),
    path(W + "readiness/<int:check_pk>/edit/", views.readiness_edit, name="readiness_edit"),
    path(W + "track/pause/", views.track_pause, name="track_pause"),
    path(W + "track/resume/", views.track_resume, name="track_resume"),
    path("throughflow/settings/", views.throughflow_settings, name="settings"),
]
