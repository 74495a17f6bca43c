from django.urls import path

from . import views

app_name = "inflow"

urlpatterns = [
    path("inflow/", views.board, name="board"),
    path("inflow/lead-time/", views.lead_time, name="lead_time"),
    path("inflow/settings/", views.settings_edit, name="settings"),
    path("inflow/vacancies/new/", views.vacancy_add, name="vacancy_add"),
    path("inflow/vacancies/<int:vacancy_pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("inflow/vacancies/<int:vacancy_pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("inflow/vacancies/<int:vacancy_pk>/candidates/new/", views.candidate_add, name="candidate_add"),
    path("inflow/vacancies/<int:vacancy_pk>/sessions/new/", views.session_add, name="session_add"),
    path("inflow/vacancies/<int:vacancy_pk>/rounds/new/", views.round_add, name="round_add"),
    path("inflow/vacancies/<int:vacancy_pk>/ranking/", views.ranking, name="ranking"),
    path("inflow/sessions/<int:session_pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("inflow/candidates/<int:candidate_pk>/", views.candidate_detail, name="candidate_detail"),
    path("inflow/candidates/<int:candidate_pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("inflow/applications/<int:application_pk>/contacted/", views.contacted, name="contacted"),
    path("inflow/applications/<int:application_pk>/referral/", views.refer, name="refer"),
    path("inflow/applications/<int:application_pk>/advice/", views.advice, name="advice"),
    path("inflow/applications/<int:application_pk>/hire/", views.hire, name="hire"),
    path("inflow/applications/<int:application_pk>/drop-out/", views.drop, name="drop"),
]
