"""The one audited path for showing confidential content (docs/domain.md §7).

Every view that puts confidential content in front of someone (the Vertrouwelijk tab, a readiness check's
health, family and finances assessments and notes, the job target's childcare and pay conditions, a
stale-version conflict table that shows the stored side of those, the subject-access file) calls
`confidential_read(request=request, worker=worker, what=...)`. The reads of one request are grouped: the
worker's access log gets one entry per request and worker, naming the reader and what was shown, not one
per field or per section. The entry is written when the response actually shows a page or sends a file; a
redirect (a saved form) or a refusal showed nothing and writes nothing.

`tests/audit/test_confidential_reads.py` walks every page with confidential texts planted in the data and
fails when a page shows one without exactly one read entry, so a new view cannot forget this call.
"""

from .models import AuditAction, AuditEntry

_PENDING = "_confidential_reads"
# Responses that show what the view prepared: a page (also a form shown again with its errors) or a file.
_SHOWN = frozenset({400, 409, 422})
OBJECT_TYPE = "indication.confidential"


def _write(*, reader, organisation_id, worker_id, whats) -> None:
    AuditEntry.objects.create(
        actor=reader if getattr(reader, "is_authenticated", False) else None,
        action=AuditAction.READ_CONFIDENTIAL, organisation_id=organisation_id, object_type=OBJECT_TYPE,
        object_id=str(worker_id), worker_id=worker_id,
        summary="; ".join(dict.fromkeys(str(w) for w in whats))[:300])


def confidential_read(*, what, worker=None, worker_id=None, organisation_id=None, request=None,
                      reader=None) -> None:
    """Record that a worker's confidential content is shown to the request's user (or `reader`, outside a
    request). `worker`, or `worker_id` with its `organisation_id` where the platform holds only the id.
    Inside a request the entry waits for the response (ConfidentialReadMiddleware)."""
    if worker is not None:
        worker_id, organisation_id = worker.pk, worker.organisation_id
    pending = getattr(request, _PENDING, None) if request is not None else None
    if pending is None:
        _write(reader=reader if reader is not None else getattr(request, "user", None),
               organisation_id=organisation_id, worker_id=worker_id, whats=[what])
        return
    pending.setdefault(worker_id, {"organisation_id": organisation_id, "whats": []})["whats"].append(what)


def shown(response) -> bool:
    return response.status_code < 300 or response.status_code in _SHOWN


class ConfidentialReadMiddleware:
    """Writes the reads a request collected, one entry per worker, once the response is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, _PENDING, {})
        response = self.get_response(request)
        pending = getattr(request, _PENDING)
        if pending and shown(response):
            for worker_id, read in pending.items():
                _write(reader=getattr(request, "user", None), organisation_id=read["organisation_id"],
                       worker_id=worker_id, whats=read["whats"])
        return response
