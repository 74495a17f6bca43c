from django.urls import path

from . import views

app_name = "trajects"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/history/", views.worker_history, name="worker_history"),
    path("workers/<int:pk>/status/", views.status_change, name="status_change"),
    path("workers/<int:pk>/employments/new/", views.employment_form, name="employment_add"),
    path("workers/<int:pk>/employments/<int:employment_pk>/", views.employment_form, name="employment_edit"),
    path("workers/<int:pk>/coaches/new/", views.assignment_add, name="assignment_add"),
    path("workers/<int:pk>/coaches/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
]
