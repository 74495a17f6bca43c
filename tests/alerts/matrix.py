import datetime

from tests.matrix import Row


def alert_of(worker, recipient=None):
    from lde_portal.alerts.models import Alert, AlertRecipient

    alert, _created = Alert.objects.get_or_create(
        kind="matrix_kind", subject_key=f"matrix:{worker.pk}", due=datetime.date(2026, 6, 30),
        defaults={"organisation_id": worker.organisation_id, "worker_id": worker.pk,
                  "notify_from": datetime.date(2026, 1, 1), "title": "Matrix"},
    )
    if recipient is not None:
        AlertRecipient.objects.get_or_create(alert=alert, membership=recipient)
    return alert


def own_alert(p):
    return {"pk": alert_of(p.worker, p.coach).pk}


def foreign_alert(p):
    return {"pk": alert_of(p.foreign_worker, p.outsider).pk}


ROWS = {
    "alerts:list": Row("alerts.view"),
    "alerts:snooze": Row("alerts.handle", own_alert, foreign_alert, scoped=True),
    "alerts:done": Row("alerts.handle", own_alert, foreign_alert, method="POST", ok=302, scoped=True),
    "alerts:preferences": Row("alerts.view"),
    "alerts:calendar_token": Row("alerts.view", method="POST", data=lambda p: {"action": "regenerate"}, ok=302),
    "alerts:settings": Row("alerts.configure"),
}
