from django.urls import include, path

from . import views

app_name = "pop"

urlpatterns = [
    path("competences/", views.competence_list, name="competence_list"),
    path("competences/new/", views.competence_add, name="competence_add"),
    path("workers/<int:pk>/pop/", include([
        path("", views.pop_tab, name="pop_tab"),
        path("new/", views.pop_start, name="pop_start"),
        path("history/", views.pop_history, name="pop_history"),
        path("<int:version_pk>/", include([
            path("edit/", views.pop_edit, name="pop_edit"),
            path("submit/", views.pop_submit, name="pop_submit"),
            path("approve/", views.pop_approve, name="pop_approve"),
            path("return/", views.pop_return, name="pop_return"),
            path("vdab/", views.pop_register, name="pop_register"),
            path("print/", views.pop_print, name="pop_print"),
            path("review/", views.review_edit, name="review_edit"),
            path("review/file/", views.review_file, name="review_file"),
        ])),
    ])),
    path("workers/<int:pk>/feedback/", views.feedback_tab, name="feedback_tab"),
    path("feedback/", views.team_feedback, name="team_feedback"),
    path("feedback/queued/", views.feedback_queued, name="feedback_queued"),
    path("workers/<int:pk>/card/", views.worker_card, name="worker_card"),
    path("pop-reviews/", views.review_list, name="review_list"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_form, name="training_add"),
    path("trainings/<int:training_pk>/edit/", views.training_form, name="training_edit"),
    path("trainings/<int:training_pk>/certificate/", views.training_certificate, name="training_certificate"),
]
