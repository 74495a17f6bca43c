import json

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry


def subject_data(worker):
    entries = AuditEntry.objects.filter(worker_id=worker.pk, organisation_id=worker.organisation_id).select_related("actor")
    return [(_("Audit trail"), [
        {
            _("when"): timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M"),
            _("who"): str(e.actor) if e.actor else _("the portal"),
            _("what"): e.get_action_display(),
            _("record"): f"{e.object_type} {e.object_id}",
            _("details"): e.summary or (json.dumps(e.changes, ensure_ascii=False) if e.changes else ""),
        }
        for e in entries.order_by("at", "id")
    ])]
