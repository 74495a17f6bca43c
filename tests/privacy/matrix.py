from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs


def _erasure(p, org):
    from lde_portal.privacy.models import ErasureRequest

    worker = p.worker if org == p.org else p.foreign_worker
    return ErasureRequest.objects.create(organisation=org, worker_id=worker.pk, worker_label="x", reason="asked",
                                         requested_by=p.coordinator.user)


ROWS = {
    "privacy:worker_privacy": Row("privacy.subject_access", worker_kwargs, foreign_worker_kwargs),
    "privacy:subject_access_create": Row("privacy.subject_access", worker_kwargs, foreign_worker_kwargs,
                                         method="POST", ok=302),
    "privacy:erasure_request": Row("privacy.request_erasure", worker_kwargs, foreign_worker_kwargs, method="POST",
                                   data=lambda p: {"reason": "Written request of the worker"}, ok=302),
    "privacy:retention": Row("privacy.manage"),
    "privacy:retention_dry_run": Row("privacy.manage"),
    "privacy:erasure_list": Row("privacy.manage"),
    "privacy:erasure_decide": Row(
        "privacy.manage", lambda p: {"pk": _erasure(p, p.org).pk}, lambda p: {"pk": _erasure(p, p.other_org).pk},
        method="POST", data=lambda p: {"decision": "reject"}, ok=302),
}
