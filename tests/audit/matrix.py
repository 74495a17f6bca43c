from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs

ROWS = {
    "audit:organisation_trail": Row("audit.view_org"),
    "audit:worker_trail": Row("audit.view_worker", worker_kwargs, foreign_worker_kwargs),
}
