"""The public check page of issued documents. Shows ONLY: valid, revoked (+ date) or replaced by (the new
number), kind, issue date, organisation and the worker's initials; "unknown" for anything else, rate-limited per IP."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import selectors
from .forms import VerifyForm
from .ratelimit import hit


def _answer(request, document, *, form=None, looked_up=True, status=200):
    result = None
    if document is not None:
        result = {
            "valid": document.revoked_at is None,
            "revoked_on": document.revoked_at,
            "replaced_by": document.replaced_by.number if document.replaced_by_id else None,
            "kind": document.kind_label,
            "issued_on": document.issued_at,
            "organisation": document.organisation.name,
            "initials": document.worker_initials,
        }
    response = render(request, "documents/verify.html", {
        "form": form if form is not None else VerifyForm(), "result": result, "looked_up": looked_up,
    }, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request, form=None):
    response = render(request, "documents/verify.html", {"form": form or VerifyForm(), "rate_limited": True},
                      status=429)
    response["Retry-After"] = "60"
    return response


@never_cache
def verify_form(request):
    if request.method != "POST":
        return _answer(request, None, looked_up=False)
    form = VerifyForm(request.POST)
    if not hit(request, "verify"):
        return _too_many(request, form)
    if not form.is_valid():
        return _answer(request, None, form=form, looked_up=False)
    document = selectors.verify_by_number(form.cleaned_data["number"], form.cleaned_data["code"])
    return _answer(request, document, form=form)


@never_cache
def verify_token(request, token):
    if not hit(request, "verify"):
        return _too_many(request)
    return _answer(request, selectors.verify_by_token(token))
