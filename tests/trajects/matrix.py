from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs, worker_object


def _trajectory(worker):
    import datetime

    from trajects import services

    return worker.trajectories.filter(closed_on__isnull=True).first() or services.trajectory_start(
        worker=worker, actor=None, regime="LDE", start=datetime.date(2021, 3, 1))


def _with_trajectory(p):
    _trajectory(p.worker)
    return {"pk": p.worker.pk}


def _extension_with_document(worker):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdfs import CLEAN
    from trajects import services

    trajectory = _trajectory(worker)
    return services.trajectory_extend(
        trajectory=trajectory, actor=None, reason="ILLNESS", months=3,
        decision_date=max(datetime.date(2025, 1, 6), trajectory.start),
        document=SimpleUploadedFile("x.pdf", CLEAN, content_type="application/pdf"))



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
    # Issue #3: the Traject tab, its forms and the organisation's trajectory pages.
    "trajects:trajectory": Row("worker.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:trajectory_start": Row("trajectory.manage", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "trajects:suspension_add": Row("trajectory.manage", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:extension_add": Row("trajectory.manage", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:regime_change": Row("trajectory.manage", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:sine_add": Row("trajectory.manage", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:phase_change": Row("trajectory.track", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:milestone_add": Row("trajectory.track", _with_trajectory, foreign_worker_kwargs, scoped=True),
    "trajects:extension_document": Row(
        "worker.view", *worker_object("extension_pk", _extension_with_document), scoped=True),
    "trajects:trajectory_ends": Row("trajectory.ends"),
    "trajects:regime_rules": Row("rules.view"),
    "trajects:phase_settings": Row("phases.manage"),
}


def _foreign_employment(p):
    from tests.factories import EmploymentFactory

    return EmploymentFactory(worker=p.foreign_worker)
