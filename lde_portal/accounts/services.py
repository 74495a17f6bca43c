from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version

from .models import Activity, Membership, Organisation, Role, User


def _set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


def send_invitation(*, membership: Membership) -> None:
    user = membership.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user, "organisation": membership.organisation, "role": membership.get_role_display(),
            "url": _set_password_url(user) if not user.has_usable_password() else
            settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:login"),
        }
        send_mail(
            subject=_("Invitation to the LDE portal of %(org)s") % {"org": membership.organisation},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def member_invite(*, organisation, actor, email: str, role: str, first_name="", last_name="") -> Membership:
    """Invite a person by e-mail: a new user sets a password through a one-time link; an existing user
    (member elsewhere) simply gains access to this organisation."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership and membership.active:
        raise ValidationError({"email": [_("This person is already a member of the organisation.")]})
    if membership:
        membership.role, membership.active, membership.deactivated_at = role, True, None
        membership.save()
    else:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=membership, organisation=organisation,
                 summary=f"{email} ({role})")
    transaction.on_commit(lambda: send_invitation(membership=membership))
    return membership


def _is_last_admin(membership) -> bool:
    return membership.role == Role.ORG_ADMIN and not Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ORG_ADMIN, active=True
    ).exclude(pk=membership.pk).exists()


@transaction.atomic
def member_set_active(*, membership: Membership, actor, active: bool) -> Membership:
    if not active and _is_last_admin(membership):
        raise ValidationError(_("The last organisation administrator cannot be deactivated."))
    membership.active = active
    membership.deactivated_at = None if active else timezone.now()
    membership.save(update_fields=["active", "deactivated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=membership, changes={"active": [not active, active]})
    return membership


@transaction.atomic
def member_change_role(*, membership: Membership, actor, role: str, shown_role: str | None = None) -> Membership:
    """`shown_role`: the role the admin saw (the member list posts it). If another admin changed it since, their
    choice stands and this change is refused; None is code acting on its own."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if shown_role is not None and membership.role != shown_role:
        raise ValidationError(_("Someone else changed the role of %(user)s in the meantime (now: %(role)s). "
                                "Nothing was changed: check it and choose again.")
                              % {"user": membership.user, "role": membership.get_role_display()})
    if role != Role.ORG_ADMIN and _is_last_admin(membership):
        raise ValidationError({"role": [_("The last organisation administrator must remain an administrator.")]})
    before = membership.role
    membership.role = role
    membership.full_clean(exclude=["user", "organisation"])
    membership.save(update_fields=["role"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=membership, changes={"role": [before, role]})
    return membership


@transaction.atomic
def activity_save(*, organisation, actor, data: dict, activity: Activity | None = None,
                  expected_version=None) -> Activity:
    """Create or change an activity. Every admin of the organisation may change one: a stale form raises
    ConflictError (lde_portal/concurrency.py)."""
    creating = activity is None
    if creating:
        activity = Activity(organisation=organisation)
    else:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        check_version(activity, expected_version)
        activity.version += 1
    before = {} if creating else snapshot(activity)
    for field, value in data.items():
        setattr(activity, field, value)
    if Activity.objects.filter(organisation=organisation, name__iexact=activity.name).exclude(pk=activity.pk).exists():
        raise ValidationError({"name": [_("An activity with this name already exists.")]})
    activity.full_clean(exclude=["organisation"])
    activity.save()
    changes = diff(before, snapshot(activity))
    changes.pop("version", None)
    audit_record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=activity,
                 changes=changes)
    return activity


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict, expected_version=None) -> Organisation:
    """The organisation's details are shared by its admins: a stale form raises ConflictError."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(locked, expected_version)
    before = snapshot(locked)
    for field, value in data.items():
        if field == "logo" and value is None:
            continue
        if field == "logo" and value is False:  # the "clear" checkbox
            locked.logo.delete(save=False)
            value = ""
        setattr(locked, field, value)
    if Organisation.objects.filter(enterprise_number=locked.enterprise_number).exclude(pk=locked.pk).exists():
        raise ValidationError({"enterprise_number": [_("This enterprise number is already registered.")]})
    locked.full_clean(exclude=["slug"])
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked))
    changes.pop("version", None)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, organisation=locked, changes=changes)
    return locked
