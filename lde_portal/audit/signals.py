from django.contrib.auth.signals import user_logged_in

from lde_portal.accounts.models import Membership

from .models import AuditAction
from .services import audit_record


def record_login(sender, request, user, **kwargs):
    """One LOGIN entry per organisation the user is an active member of, so each organisation's trail shows
    who logged in; users without a membership get one entry without organisation."""
    organisations = [m.organisation for m in Membership.objects.filter(user=user, active=True).select_related("organisation")]
    for organisation in organisations or [None]:
        audit_record(actor=user, action=AuditAction.LOGIN, organisation=organisation,
                     object_type="accounts.user", object_id=str(user.pk))


def connect():
    user_logged_in.connect(record_login, dispatch_uid="audit.record_login")
