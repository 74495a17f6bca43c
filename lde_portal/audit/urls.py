from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.organisation_trail, name="organisation_trail"),
    path("workers/<int:pk>/audit/", views.worker_trail, name="worker_trail"),
]
