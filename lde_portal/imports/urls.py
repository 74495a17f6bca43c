from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.start, name="start"),
    path("import/template.xlsx", views.template, name="template"),
    path("import/export.xlsx", views.export, name="export"),
    path("import/history/", views.history, name="history"),
    path("import/<int:pk>/", views.run_detail, name="run"),
    path("import/<int:pk>/mapping/", views.mapping, name="mapping"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("import/<int:pk>/errors/", views.error_file, name="error_file"),
    path("import/<int:pk>/undo/", views.undo, name="undo"),
]
