from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/exports/", views.export_list, name="exports"),
    path("reports/exports/<slug:key>/", views.export_download, name="export"),
]
