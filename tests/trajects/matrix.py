from tests.matrix import Row, worker_object, worker_page


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
    "trajects:worker_detail": worker_page("worker.view"),
    "trajects:worker_edit": worker_page("worker.edit"),
    "trajects:worker_history": worker_page("worker.view"),
    "trajects:status_change": worker_page("worker.change_status"),
    "trajects:employment_add": worker_page("worker.manage_employment"),
    "trajects:employment_edit": Row(
        "worker.manage_employment",
        lambda p: {"pk": p.worker.pk, "employment_pk": p.employment.pk},
        lambda p: {"pk": p.worker.pk, "employment_pk": _foreign_employment(p).pk},
        scoped=True,
    ),
    "trajects:assignment_add": worker_page("worker.manage_coaches"),
    "trajects:assignment_end": Row(
        "worker.manage_coaches",
        lambda p: {"pk": p.worker.pk, "assignment_pk": p.assignment.pk},
        lambda p: {"pk": p.foreign_worker.pk, "assignment_pk": p.assignment.pk},
        scoped=True,
    ),
    # Issue #3: the Traject tab, its forms and the organisation's trajectory pages.
    "trajects:trajectory": worker_page("worker.view"),
    "trajects:trajectory_start": worker_page("trajectory.manage"),
    "trajects:suspension_add": worker_page("trajectory.manage", _with_trajectory),
    "trajects:extension_add": worker_page("trajectory.manage", _with_trajectory),
    "trajects:regime_change": worker_page("trajectory.manage", _with_trajectory),
    "trajects:sine_add": worker_page("trajectory.manage", _with_trajectory),
    "trajects:phase_change": worker_page("trajectory.track", _with_trajectory),
    "trajects:milestone_add": worker_page("trajectory.track", _with_trajectory),
    "trajects:extension_document": Row(
        "worker.view", *worker_object("extension_pk", _extension_with_document), scoped=True),
    "trajects:trajectory_ends": Row("trajectory.ends"),
    "trajects:regime_rules": Row("rules.view"),
    "trajects:phase_settings": Row("phases.manage"),
}


def _foreign_employment(p):
    from tests.factories import EmploymentFactory

    return EmploymentFactory(worker=p.foreign_worker)
