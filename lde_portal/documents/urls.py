from django.urls import include, path

from . import views

app_name = "documents"

urlpatterns = [
    path("workers/<int:pk>/documents/", include([
        path("", views.worker_documents, name="worker_documents"),
        path("new/<slug:kind>/", views.issue, name="issue"),
        path("<int:doc_pk>/", include([
            path("pdf/", views.download, name="download"),
            path("revoke/", views.revoke, name="revoke"),
            path("reissue/", views.reissue, name="reissue"),
        ])),
    ])),
    path("attestations/", views.attestations, name="attestations"),
    path("attestations/settings/", views.document_settings, name="settings"),
    path("attestations/batches/<int:batch_pk>/", views.batch_detail, name="batch_detail"),
    path("attestations/batches/<int:batch_pk>/retry/", views.batch_retry, name="batch_retry"),
]
