from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path("files/<int:pk>/download/", views.download, name="download"),
]
