from django.urls import path

from . import views

app_name = "throughflow"

W = "workers/<int:pk>/throughflow/"

urlpatterns = [
    path(W, views.tab, name="tab"),
    path(W + "exit/", views.exit_add, name="exit_add"),
    path(W + "followups/<int:followup_pk>/", views.followup_edit, name="followup_edit"),
]
urlpatterns += [path("throughflow/ratio/", views.ratio, name="ratio")]
