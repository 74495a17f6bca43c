from django.urls import include, path

from . import views

app_name = "indication"

urlpatterns = [
    path("indication/", views.due_list, name="due_list"),
    path("indication/lead-time/", views.lead_time, name="lead_time"),
    path("indication/icf/", views.icf_catalogue, name="icf_catalogue"),
    path("indication/icf/<int:item_pk>/", views.icf_item_edit, name="icf_item_edit"),
    path("workers/<int:pk>/", include([
        path("indication/", include([
            path("", views.worker_indication, name="worker_indication"),
            path("advices/new/", views.advice_form, name="advice_add"),
            path("advices/<int:advice_pk>/", views.advice_form, name="advice_edit"),
            path("advices/<int:advice_pk>/letter/", views.advice_letter, name="advice_letter"),
            path("evaluations/new/", views.evaluation_form, name="evaluation_add"),
            path("evaluations/<int:evaluation_pk>/", views.evaluation_form, name="evaluation_edit"),
        ])),
        path("confidential/", include([
            path("", views.confidential_tab, name="confidential"),
            path("assessments/new/", views.assessment_add, name="assessment_add"),
            path("complementarity/", views.complementarity_edit, name="complementarity_edit"),
            path("problems/new/", views.problem_form, name="problem_add"),
            path("problems/<int:problem_pk>/", include([
                path("", views.problem_form, name="problem_edit"),
                path("referrals/new/", views.referral_form, name="referral_add"),
                path("referrals/<int:referral_pk>/", views.referral_form, name="referral_edit"),
            ])),
            path("log/", views.access_log, name="access_log"),
        ])),
    ])),
]
