from django.urls import include, path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.start, name="start"),
    path("import/template.xlsx", views.template, name="template"),
    path("import/export.xlsx", views.export, name="export"),
    path("import/history/", views.history, name="history"),
    path("import/<int:pk>/", include([
        path("", views.run_detail, name="run"),
        path("mapping/", views.mapping, name="mapping"),
        path("confirm/", views.confirm, name="confirm"),
        path("errors/", views.error_file, name="error_file"),
        path("undo/", views.undo, name="undo"),
    ])),
]
