from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/<int:pk>/snooze/", views.alert_snooze, name="snooze"),
    path("alerts/<int:pk>/done/", views.alert_done, name="done"),
    path("alerts/preferences/", views.preferences, name="preferences"),
    path("alerts/preferences/calendar/", views.calendar_token, name="calendar_token"),
    path("alerts/settings/", views.alert_settings, name="settings"),
]
