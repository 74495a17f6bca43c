from django.urls import include, path

from . import views

app_name = "throughflow"

urlpatterns = [
    path("workers/<int:pk>/throughflow/", include([
        path("", views.tab, name="tab"),
        path("exit/", views.exit_add, name="exit_add"),
        path("followups/<int:followup_pk>/", views.followup_edit, name="followup_edit"),
        path("track/", include([
            path("", views.track_open, name="track_open"),
            path("phase/", views.track_phase, name="track_phase"),
            path("hours/", views.track_hours, name="track_hours"),
            path("pause/", views.track_pause, name="track_pause"),
            path("resume/", views.track_resume, name="track_resume"),
        ])),
        path("job-target/", views.job_target_edit, name="job_target_edit"),
        path("applications/new/", views.application_add, name="application_add"),
        path("applications/<int:application_pk>/", views.application_add, name="application_edit"),
        path("internships/new/", views.internship_add, name="internship_add"),
        path("internships/<int:internship_pk>/", views.internship_add, name="internship_edit"),
        path("handover/", views.handover_edit, name="handover_edit"),
        path("consents/new/", views.consent_add, name="consent_add"),
        path("consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
        path("readiness/", include([
            path("new/", views.readiness_add, name="readiness_add"),
            path("<int:check_pk>/", views.readiness_detail, name="readiness_detail"),
            path("<int:check_pk>/edit/", views.readiness_edit, name="readiness_edit"),
        ])),
    ])),
    path("throughflow/ratio/", views.ratio, name="ratio"),
    path("throughflow/exits/", views.exit_list, name="exit_list"),
    path("throughflow/settings/", views.throughflow_settings, name="settings"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_add, name="employer_add"),
    path("employers/<int:employer_pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:employer_pk>/edit/", views.employer_edit, name="employer_edit"),
]
