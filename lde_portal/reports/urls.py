from django.urls import path

from . import views, views_async

app_name = "reports"

urlpatterns = [
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("reports/yearly-report/", views.yearly_report, name="yearly_report"),
    path("reports/exports/", views.export_list, name="exports"),
    path("reports/lists/<slug:key>/", views.figure_list, name="figure_list"),
    path("reports/exports/<slug:key>/", views.export_download, name="export"),
    path("reports/files/<int:pk>/", views_async.file_detail, name="file"),
    path("reports/files/<int:pk>/retry/", views_async.file_retry, name="file_retry"),
]
