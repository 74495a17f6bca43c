"""Helpers to declare permission-matrix rows (see tests/test_permission_matrix.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from lde_portal.accounts.access import PERMISSIONS

PERSONAS = ["anonymous", "outsider", "coach", "other_coach", "coordinator", "manager", "org_admin"]


@dataclass
class Row:
    """One URL: its permission (from access.PERMISSIONS), how to build its kwargs, what success looks like.

    `scoped`: the URL names one worker of `personas.worker`, which is assigned to `coach` only, so
    `other_coach` gets 404 where coaches have the permission.
    """

    permission: str
    kwargs: Callable = lambda p: {}
    foreign_kwargs: Callable | None = None
    method: str = "GET"
    data: Callable | None = None
    ok: int = 200
    scoped: bool = False
    extra_denied: set = field(default_factory=set)

    @property
    def object_url(self):
        return self.foreign_kwargs is not None

    def allows(self, role):
        return role in PERMISSIONS[self.permission]

    def expected(self, persona):
        if persona == "anonymous":
            return 302
        if persona == "outsider":
            return 404
        role = "coach" if persona == "other_coach" else persona
        if not self.allows(role) or persona in self.extra_denied:
            return 403
        if persona == "other_coach" and self.scoped:
            return 404
        return self.ok


def worker_kwargs(p):
    return {"pk": p.worker.pk}


def foreign_worker_kwargs(p):
    return {"pk": p.foreign_worker.pk}


def worker_page(permission, kwargs=worker_kwargs, **options):
    """A page of the worker the personas share (scoped): the foreign kwargs name the other organisation's worker.
    `kwargs` may prepare what the page needs (an open trajectory) before returning the worker's kwargs."""
    return Row(permission, kwargs, foreign_worker_kwargs, scoped=True, **options)


def worker_object(key, make):
    """The kwargs and foreign kwargs of a URL naming one object of the worker: `key` is the object's URL keyword,
    `make(worker)` creates one. The foreign kwargs put an object of the other organisation's worker under the
    worker's own URL, so the view must scope the object itself, not only the worker."""
    return (lambda p: {"pk": p.worker.pk, key: make(p.worker).pk},
            lambda p: {"pk": p.worker.pk, key: make(p.foreign_worker).pk})
