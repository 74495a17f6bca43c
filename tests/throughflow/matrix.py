from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs


def _exited_followup(p):
    """A follow-up of a worker who exited today: the coach's assignment ends today, so they still see the
    worker until tomorrow (afterwards scoping gives 404, see test_exit.py)."""
    from django.utils import timezone

    from throughflow import services
    from throughflow.models import FollowUp

    followup = FollowUp.objects.filter(worker=p.worker).first()
    if followup is None:
        services.exit_record(worker=p.worker, actor=None, data={"date": timezone.localdate(),
                                                                  "reason": "drop_out"})
        followup = FollowUp.objects.filter(worker=p.worker).first()
    return followup


def _followup_kwargs(p):
    return {"pk": p.worker.pk, "followup_pk": _exited_followup(p).pk}


def _foreign_followup_kwargs(p):
    return {"pk": p.foreign_worker.pk, "followup_pk": _exited_followup(p).pk}


ROWS = {
    "throughflow:tab": Row("throughflow.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    # Coaches record the exit of their own workers (scoped: another coach's worker is 404); the coordinators
    # are told by the alert throughflow_exit_by_coach (tests/throughflow/test_coach_exit.py). The follow-ups
    # stay with the coach assigned at the exit after the assignment ended (same test file).
    "throughflow:exit_add": Row("throughflow.exit", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:followup_edit": Row("throughflow.followup", _followup_kwargs, _foreign_followup_kwargs,
                                     scoped=True),
}

ROWS["throughflow:ratio"] = Row("throughflow.ratio")


def _employer(p):
    from throughflow import services
    from throughflow.models import Employer

    return Employer.objects.filter(organisation=p.org).first() or services.employer_create(
        organisation=p.org, actor=None, data={"name": "Bakkerij Peeters"})


def _foreign_employer(p):
    from throughflow import services
    from throughflow.models import Employer

    return Employer.objects.filter(organisation=p.other_org).first() or services.employer_create(
        organisation=p.other_org, actor=None, data={"name": "Elders NV"})


ROWS.update({
    "throughflow:employer_list": Row("employer.view"),
    "throughflow:employer_add": Row("employer.manage"),
    "throughflow:employer_detail": Row("employer.view", lambda p: {"employer_pk": _employer(p).pk},
                                       lambda p: {"employer_pk": _foreign_employer(p).pk}),
    "throughflow:employer_edit": Row("employer.manage", lambda p: {"employer_pk": _employer(p).pk},
                                     lambda p: {"employer_pk": _foreign_employer(p).pk}),
})


def _with_track(p):
    import datetime

    from throughflow import services
    from throughflow.models import Track

    if not Track.objects.filter(worker=p.worker, closed_on__isnull=True).exists():
        services.track_open(worker=p.worker, actor=None, data={
            "decision_date": datetime.date(2025, 1, 10), "start": datetime.date(2025, 2, 1), "coach_name": "An"})
    return {"pk": p.worker.pk}


ROWS.update({
    "throughflow:track_open": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:track_phase": Row("throughflow.track", _with_track, foreign_worker_kwargs, scoped=True),
    "throughflow:track_hours": Row("throughflow.track", _with_track, foreign_worker_kwargs, scoped=True),
})


def _application(p, worker=None):
    import datetime

    from throughflow import services
    from throughflow.models import Application

    worker = worker or p.worker
    return Application.objects.filter(worker=worker).first() or services.application_save(
        worker=worker, actor=None, data={"employer_name": "Bakkerij Peeters", "date": datetime.date(2025, 3, 1),
                                         "channel": "spontaneous"})


def _internship(p, worker=None):
    import datetime

    from throughflow import services
    from throughflow.models import Internship

    worker = worker or p.worker
    employer = _employer(p) if worker.organisation_id == p.org.pk else _foreign_employer(p)
    return Internship.objects.filter(worker=worker).first() or services.internship_save(
        worker=worker, actor=None, data={"employer": employer, "start": datetime.date(2025, 3, 1),
                                         "end": datetime.date(2025, 4, 1), "tasks": "Rekken vullen",
                                         "weekly_hours": 20})


def _consent(p, worker=None):
    import datetime

    from throughflow import services
    from throughflow.models import HandoverConsent

    worker = worker or p.worker
    employer = _employer(p) if worker.organisation_id == p.org.pk else _foreign_employer(p)
    return HandoverConsent.objects.filter(worker=worker).first() or services.consent_record(
        worker=worker, actor=None, data={"employer": employer, "given_on": datetime.date(2025, 3, 1),
                                         "scope": ["experience", "notes"]})


ROWS.update({
    "throughflow:job_target_edit": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:application_add": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:application_edit": Row(
        "throughflow.track", lambda p: {"pk": p.worker.pk, "application_pk": _application(p).pk},
        lambda p: {"pk": p.foreign_worker.pk, "application_pk": _application(p, p.foreign_worker).pk}, scoped=True),
    "throughflow:internship_add": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:internship_edit": Row(
        "throughflow.track", lambda p: {"pk": p.worker.pk, "internship_pk": _internship(p).pk},
        lambda p: {"pk": p.foreign_worker.pk, "internship_pk": _internship(p, p.foreign_worker).pk}, scoped=True),
    "throughflow:handover_edit": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:consent_add": Row("throughflow.track", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:consent_withdraw": Row(
        "throughflow.track", lambda p: {"pk": p.worker.pk, "consent_pk": _consent(p).pk},
        lambda p: {"pk": p.foreign_worker.pk, "consent_pk": _consent(p, p.foreign_worker).pk}, scoped=True),
})


def _readiness_check(worker):
    import datetime

    from throughflow.models import Determinant, ReadinessAnswer, ReadinessCheck

    # Written directly: other rows may have exited the worker already (the service refuses new checks then).
    check = ReadinessCheck.objects.filter(worker=worker).first()
    if check is None:
        check = ReadinessCheck.objects.create(organisation=worker.organisation, worker=worker,
                                              date=datetime.date(2025, 1, 10), decision="not_yet",
                                              next_check=datetime.date(2025, 6, 1))
        ReadinessAnswer.objects.bulk_create(
            ReadinessAnswer(organisation=worker.organisation, readiness_check=check, determinant=d,
                            assessment="ready") for d in Determinant.values)
    return check


def _check_kwargs(p):
    return {"pk": p.worker.pk, "check_pk": _readiness_check(p.worker).pk}


def _foreign_check_kwargs(p):
    return {"pk": p.foreign_worker.pk, "check_pk": _readiness_check(p.foreign_worker).pk}


ROWS.update({
    "throughflow:readiness_add": Row("throughflow.readiness", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "throughflow:readiness_detail": Row("throughflow.view", _check_kwargs, _foreign_check_kwargs, scoped=True),
    "throughflow:readiness_edit": Row("throughflow.readiness", _check_kwargs, _foreign_check_kwargs, scoped=True),
    "throughflow:track_pause": Row("throughflow.track", _with_track, foreign_worker_kwargs, scoped=True),
    "throughflow:track_resume": Row("throughflow.track", _with_track, foreign_worker_kwargs, scoped=True),
    "throughflow:settings": Row("throughflow.configure"),
})
