from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs

ROWS = {
    "trajects:home": Row("org.view"),
    "trajects:worker_list": Row("worker.view"),
    "trajects:worker_create": Row("worker.create"),
    "trajects:worker_detail": Row("worker.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:worker_edit": Row("worker.edit", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:worker_history": Row("worker.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:status_change": Row("worker.change_status", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:employment_add": Row("worker.manage_employment", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:employment_edit": Row(
        "worker.manage_employment",
        lambda p: {"pk": p.worker.pk, "employment_pk": p.employment.pk},
        lambda p: {"pk": p.worker.pk, "employment_pk": _foreign_employment(p).pk},
        scoped=True,
    ),
    "trajects:assignment_add": Row("worker.manage_coaches", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:assignment_end": Row(
        "worker.manage_coaches",
        lambda p: {"pk": p.worker.pk, "assignment_pk": p.assignment.pk},
        lambda p: {"pk": p.foreign_worker.pk, "assignment_pk": p.assignment.pk},
        scoped=True,
    ),
}


def _foreign_employment(p):
    from tests.factories import EmploymentFactory

    return EmploymentFactory(worker=p.foreign_worker)
