import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Row, worker_object, worker_page
from tests.pdfs import CLEAN

PDF = CLEAN


def advice(worker, **extra):
    from indication.models import Advice

    data = {"organisation": worker.organisation, "worker": worker, "type": "lde_advice",
            "decision_date": datetime.date(2024, 1, 1), "valid_until": datetime.date(2028, 12, 31), **extra}
    obj = Advice(**data)
    obj._letter_ext = "pdf"
    obj.letter = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    obj.letter_name, obj.letter_content_type = "brief.pdf", "application/pdf"
    obj.save()
    return obj


def evaluation(worker):
    from indication.models import EvaluationRequest

    return EvaluationRequest.objects.create(organisation=worker.organisation, worker=worker, reason="regular",
                                            requested_on=datetime.date(2026, 1, 5))


def problem(worker):
    from indication.models import ContextProblem

    return ContextProblem.objects.create(organisation=worker.organisation, worker=worker, kind="debts",
                                         noted_on=datetime.date(2026, 1, 5))


def referral(prob):
    from indication.models import Referral

    return Referral.objects.create(organisation=prob.organisation, worker=prob.worker, problem=prob, service="caw",
                                   referred_on=datetime.date(2026, 1, 6))


def icf_item(org):
    from indication.models import IcfItem

    return IcfItem.objects.create(organisation=org, component="d", code="d999", label=f"Eigen item {org.slug}")


def _referral_kwargs(p):
    prob = problem(p.worker)
    return {"pk": p.worker.pk, "problem_pk": prob.pk, "referral_pk": referral(prob).pk}


def _foreign_referral_kwargs(p):
    prob = problem(p.foreign_worker)
    return {"pk": p.foreign_worker.pk, "problem_pk": prob.pk, "referral_pk": referral(prob).pk}


CONFIDENTIAL_URLS = [
    "indication:confidential", "indication:assessment_add", "indication:complementarity_edit",
    "indication:problem_add", "indication:problem_edit", "indication:referral_add", "indication:referral_edit",
    "indication:access_log",
]

ROWS = {
    "indication:due_list": Row("indication.view"),
    "indication:icf_catalogue": Row("icf.manage"),
    "indication:icf_item_edit": Row("icf.manage", lambda p: {"item_pk": icf_item(p.org).pk},
                                    lambda p: {"item_pk": icf_item(p.other_org).pk}),
    "indication:worker_indication": worker_page("indication.view"),
    "indication:advice_add": worker_page("indication.edit"),
    "indication:advice_edit": Row("indication.edit", *worker_object("advice_pk", advice), scoped=True),
    "indication:advice_letter": Row("indication.edit", *worker_object("advice_pk", advice), scoped=True),
    "indication:evaluation_add": worker_page("indication.edit"),
    "indication:evaluation_edit": Row("indication.edit", *worker_object("evaluation_pk", evaluation), scoped=True),
    "indication:confidential": worker_page("confidential.view"),
    "indication:assessment_add": worker_page("confidential.view"),
    "indication:complementarity_edit": worker_page("confidential.view"),
    "indication:problem_add": worker_page("confidential.view"),
    "indication:problem_edit": Row("confidential.view", *worker_object("problem_pk", problem), scoped=True),
    "indication:referral_add": Row("confidential.view", *worker_object("problem_pk", problem), scoped=True),
    "indication:referral_edit": Row("confidential.view", _referral_kwargs, _foreign_referral_kwargs, scoped=True),
    "indication:access_log": worker_page("confidential.audit"),
}
