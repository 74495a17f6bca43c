from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("workers/<int:pk>/documents/", views.worker_documents, name="worker_documents"),
    path("workers/<int:pk>/documents/new/<slug:kind>/", views.issue, name="issue"),
    path("workers/<int:pk>/documents/<int:doc_pk>/pdf/", views.download, name="download"),
    path("workers/<int:pk>/documents/<int:doc_pk>/revoke/", views.revoke, name="revoke"),
    path("workers/<int:pk>/documents/<int:doc_pk>/reissue/", views.reissue, name="reissue"),
    path("attestations/", views.attestations, name="attestations"),
    path("attestations/settings/", views.document_settings, name="settings"),
    path("attestations/batches/<int:batch_pk>/", views.batch_detail, name="batch_detail"),
    path("attestations/batches/<int:batch_pk>/retry/", views.batch_retry, name="batch_retry"),
]
