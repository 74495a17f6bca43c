from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.verify_form, name="form"),
    path("<str:token>/", public_views.verify_token, name="token"),
]
