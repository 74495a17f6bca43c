"""Inflow's pages (issue #20). Coaches see the vacancies they take part in (Vacancy.team) and those vacancies'
candidates: the persona `coach` is on the team, `other_coach` is not (404, scoped)."""

from tests.matrix import Row


def _path(p):
    from inflow.models import Vacancy
    from tests.inflow import helpers

    vacancy = Vacancy.objects.filter(organisation=p.org).first()
    if vacancy is None:
        vacancy = helpers.vacancy(p.org, activity=p.activity, team=[p.coach])
        application = helpers.candidate(vacancy)
        from inflow import services

        services.session_plan(vacancy=vacancy, actor=None, data={"date": application.applied_on})
    return vacancy


def _foreign_path(p):
    from inflow.models import Vacancy
    from tests.inflow import helpers

    vacancy = Vacancy.objects.filter(organisation=p.other_org).first()
    if vacancy is None:
        vacancy = helpers.vacancy(p.other_org)
        application = helpers.candidate(vacancy, first="Anna", last="Elders")
        from inflow import services

        services.session_plan(vacancy=vacancy, actor=None, data={"date": application.applied_on})
    return vacancy


def _vacancy(p):
    return {"vacancy_pk": _path(p).pk}


def _foreign_vacancy(p):
    return {"vacancy_pk": _foreign_path(p).pk}


def _candidate(p):
    return {"candidate_pk": _path(p).applications.first().candidate_id}


def _foreign_candidate(p):
    return {"candidate_pk": _foreign_path(p).applications.first().candidate_id}


def _application(p):
    return {"application_pk": _path(p).applications.first().pk}


def _foreign_application(p):
    return {"application_pk": _foreign_path(p).applications.first().pk}


def _session(p):
    return {"session_pk": _path(p).sessions.first().pk}


def _foreign_session(p):
    return {"session_pk": _foreign_path(p).sessions.first().pk}


ROWS = {
    "inflow:board": Row("inflow.board"),
    "inflow:lead_time": Row("inflow.figures"),
    "inflow:settings": Row("inflow.configure"),
    "inflow:vacancy_add": Row("inflow.manage"),
    "inflow:vacancy_detail": Row("inflow.view", _vacancy, _foreign_vacancy, scoped=True),
    "inflow:vacancy_edit": Row("inflow.manage", _vacancy, _foreign_vacancy),
    "inflow:candidate_add": Row("inflow.manage", _vacancy, _foreign_vacancy),
    "inflow:session_add": Row("inflow.manage", _vacancy, _foreign_vacancy),
    "inflow:round_add": Row("inflow.manage", _vacancy, _foreign_vacancy),
    "inflow:ranking": Row("inflow.manage", _vacancy, _foreign_vacancy),
    "inflow:session_attendance": Row("inflow.manage", _session, _foreign_session),
    "inflow:candidate_detail": Row("inflow.view", _candidate, _foreign_candidate, scoped=True),
    "inflow:candidate_edit": Row("inflow.manage", _candidate, _foreign_candidate),
    "inflow:contacted": Row("inflow.manage", _application, _foreign_application),
    "inflow:refer": Row("inflow.manage", _application, _foreign_application),
    "inflow:advice": Row("inflow.manage", _application, _foreign_application),
    "inflow:hire": Row("inflow.manage", _application, _foreign_application),
    "inflow:drop": Row("inflow.manage", _application, _foreign_application),
}
