from tests.documents.factories import make_batch, make_document
from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs


def _doc(p):
    return {"pk": p.worker.pk, "doc_pk": make_document(p.worker, p.coordinator.user).pk}


def _foreign_doc(p):
    # The worker is ours, the document another organisation's: never served.
    return {"pk": p.worker.pk, "doc_pk": make_document(p.foreign_worker, p.outsider.user).pk}


def _revoked_doc(p):
    from django.utils import timezone

    doc = make_document(p.worker, p.coordinator.user, revoked_at=timezone.now(), revoked_by=p.coordinator.user,
                        revocation_reason="Wrong period")
    return {"pk": p.worker.pk, "doc_pk": doc.pk}


def _foreign_revoked_doc(p):
    from django.utils import timezone

    doc = make_document(p.foreign_worker, p.outsider.user, revoked_at=timezone.now(), revoked_by=p.outsider.user,
                        revocation_reason="Wrong period")
    return {"pk": p.worker.pk, "doc_pk": doc.pk}


def _batch(p):
    return {"batch_pk": make_batch(p.org, p.coordinator.user).pk}


def _foreign_batch(p):
    return {"batch_pk": make_batch(p.other_org, p.outsider.user).pk}


ROWS = {
    "documents:worker_documents": Row("document.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "documents:issue": Row(
        "document.issue",
        lambda p: {"pk": p.worker.pk, "kind": "experience_attestation"},
        lambda p: {"pk": p.foreign_worker.pk, "kind": "experience_attestation"},
        scoped=True,
    ),
    "documents:download": Row("document.view", _doc, _foreign_doc, scoped=True),
    "documents:revoke": Row("document.revoke", _doc, _foreign_doc, scoped=True),
    # Re-issuing a revoked document is the revoker's correction (coordinators); another organisation's
    # revoked document under our worker's URL is 404.
    "documents:reissue": Row("document.revoke", _revoked_doc, _foreign_revoked_doc, scoped=True),
    "documents:attestations": Row("document.batch"),
    "documents:settings": Row("document.configure"),
    "documents:batch_detail": Row("document.batch", _batch, _foreign_batch),
    "documents:batch_retry": Row("document.batch", _batch, _foreign_batch, method="POST", data=lambda p: {}, ok=302),
}
