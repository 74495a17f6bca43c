"""What the throughflow writes share: the date as the messages show it, the actor to store, the
changed fields for the audit trail, and the alert refresh that follows a change."""

from lde_portal.alerts.services import alerts_refresh

from ..alerts import RESOLVED_BY


def _alerts_refresh(organisation_id, worker_id, *, throughflow_only=False):
    """The worker's alerts follow the change in the same request: an exit ends every deadline, a track
    opened answers "track to start", a follow-up recorded resolves its aftercare alert."""
    alerts_refresh(organisation_id=organisation_id, worker_ids=[worker_id],
                   kinds=set(RESOLVED_BY) if throughflow_only else None)


def _d(value):
    return value.strftime("%d/%m/%Y")


def _changes(before: dict, after_obj, fields) -> dict:
    def plain(v):
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if v is not None else None)

    return {k: [plain(before[k]), plain(getattr(after_obj, k))] for k in fields if before[k] != getattr(after_obj, k)}


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None
