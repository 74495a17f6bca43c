from django.urls import path

from . import views

app_name = "indication"

urlpatterns = [
    path("indication/", views.due_list, name="due_list"),
    path("indication/lead-time/", views.lead_time, name="lead_time"),
    path("indication/icf/", views.icf_catalogue, name="icf_catalogue"),
    path("indication/icf/<int:item_pk>/", views.icf_item_edit, name="icf_item_edit"),
    path("workers/<int:pk>/indication/", views.worker_indication, name="worker_indication"),
    path("workers/<int:pk>/indication/advices/new/", views.advice_form, name="advice_add"),
    path("workers/<int:pk>/indication/advices/<int:advice_pk>/", views.advice_form, name="advice_edit"),
    path("workers/<int:pk>/indication/advices/<int:advice_pk>/letter/", views.advice_letter, name="advice_letter"),
    path("workers/<int:pk>/indication/evaluations/new/", views.evaluation_form, name="evaluation_add"),
    path("workers/<int:pk>/indication/evaluations/<int:evaluation_pk>/", views.evaluation_form,
         name="evaluation_edit"),
    path("workers/<int:pk>/confidential/", views.confidential_tab, name="confidential"),
    path("workers/<int:pk>/confidential/assessments/new/", views.assessment_add, name="assessment_add"),
    path("workers/<int:pk>/confidential/complementarity/", views.complementarity_edit, name="complementarity_edit"),
    path("workers/<int:pk>/confidential/problems/new/", views.problem_form, name="problem_add"),
    path("workers/<int:pk>/confidential/problems/<int:problem_pk>/", views.problem_form, name="problem_edit"),
    path("workers/<int:pk>/confidential/problems/<int:problem_pk>/referrals/new/", views.referral_form,
         name="referral_add"),
    path("workers/<int:pk>/confidential/problems/<int:problem_pk>/referrals/<int:referral_pk>/",
         views.referral_form, name="referral_edit"),
    path("workers/<int:pk>/confidential/log/", views.access_log, name="access_log"),
]
