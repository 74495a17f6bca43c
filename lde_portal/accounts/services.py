from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record, diff, snapshot
from lde_portal.concurrency import check_version

from .models import Activity, Invitation, InvitationStatus, Membership, Organisation, Role, User


def _set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


def _portal_url(name, **kwargs) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def send_invitation(*, membership: Membership) -> None:
    """The e-mail to a person who had no account yet: the one-time link sets their password."""
    user = membership.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user, "organisation": membership.organisation, "role": membership.get_role_display(),
            "url": _set_password_url(user) if not user.has_usable_password() else _portal_url("accounts:login"),
        }
        send_mail(
            subject=_("Invitation to the LDE portal of %(org)s") % {"org": membership.organisation},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def send_invitation_to_existing(*, invitation: Invitation) -> None:
    """The e-mail to a person who already has an account: they accept or decline it after logging in."""
    user = invitation.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user, "organisation": invitation.organisation, "role": invitation.get_role_display(),
            "url": _portal_url("accounts:invitations"),
            # An account that never got a password (invited elsewhere, link not used yet) needs one first.
            "password_url": None if user.has_usable_password() else _set_password_url(user),
        }
        send_mail(
            subject=_("Invitation to the LDE portal of %(org)s") % {"org": invitation.organisation},
            message=render_to_string("accounts/email/invitation_existing.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def member_invite(*, organisation, actor, email: str, role: str, first_name="", last_name="") -> Membership | Invitation:
    """Invite a person by e-mail.

    A new user gets an account and a membership at once and sets a password through a one-time link
    (following the link is their acceptance). A person who already has an account gets a pending
    Invitation only: it grants nothing until they accept it themselves, because an organisation must
    never gain a hold on an account someone else uses (with their second factor) elsewhere.
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=membership, organisation=organisation,
                     summary=f"{email} ({role})")
        transaction.on_commit(lambda: send_invitation(membership=membership))
        return membership
    if Membership.objects.filter(user=user, organisation=organisation, active=True).exists():
        raise ValidationError({"email": [_("This person is already a member of the organisation.")]})
    if Invitation.objects.filter(user=user, organisation=organisation, status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": [_("This person has already been invited and has not answered yet.")]})
    invitation = Invitation.objects.create(user=user, organisation=organisation, role=role, invited_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=invitation, organisation=organisation,
                 summary=f"{email} ({role})")
    transaction.on_commit(lambda: send_invitation_to_existing(invitation=invitation))
    return invitation


def _locked_pending(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("organisation", "user").get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered or withdrawn."))
    return locked


def _close(invitation: Invitation, *, actor, status: str) -> None:
    invitation.status, invitation.responded_at = status, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=invitation, organisation=invitation.organisation,
                 changes={"status": [InvitationStatus.PENDING, status]}, summary=invitation.user.email)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, actor) -> Membership:
    """The invited person joins the organisation; only they can (the view looks the invitation up among
    their own, and this refuses anyone else)."""
    invitation = _locked_pending(invitation)
    if invitation.user_id != actor.pk:
        raise ValidationError(_("This invitation is addressed to someone else."))
    membership = Membership.objects.filter(user=actor, organisation=invitation.organisation).first()
    if membership and membership.active:
        pass  # added meanwhile (a superuser in the Django admin): the invitation changes nothing
    elif membership:  # a former member who comes back
        before = {"role": membership.role, "active": membership.active}
        membership.role, membership.active, membership.deactivated_at = invitation.role, True, None
        membership.save(update_fields=["role", "active", "deactivated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=membership, organisation=invitation.organisation,
                     changes={k: [v, getattr(membership, k)] for k, v in before.items() if v != getattr(membership, k)})
    else:
        membership = Membership.objects.create(user=actor, organisation=invitation.organisation, role=invitation.role)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=membership, organisation=invitation.organisation,
                     summary=f"{actor.email} ({invitation.role})")
    _close(invitation, actor=actor, status=InvitationStatus.ACCEPTED)
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, actor) -> Invitation:
    invitation = _locked_pending(invitation)
    if invitation.user_id != actor.pk:
        raise ValidationError(_("This invitation is addressed to someone else."))
    _close(invitation, actor=actor, status=InvitationStatus.DECLINED)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor) -> Invitation:
    """The inviting organisation takes back an invitation that was not answered (a wrong address)."""
    invitation = _locked_pending(invitation)
    _close(invitation, actor=actor, status=InvitationStatus.WITHDRAWN)
    return invitation


# --- the user's second factor ---------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def _audit_everywhere(*, user, actor, action, object_type, summary) -> None:
    """One entry in every organisation the user belongs to: a second factor protects the account in all of
    them, so each organisation's trail must show what happened to it (or one entry without organisation
    for a user who belongs to none, such as a platform superuser)."""
    organisations = [m.organisation for m in Membership.objects.filter(user=user, active=True)
                     .select_related("organisation").order_by("organisation__name")]
    for organisation in organisations or [None]:
        audit_record(actor=actor, action=action, organisation=organisation, object_type=object_type,
                     object_id=str(user.pk), summary=summary)


@transaction.atomic
def recovery_codes_generate(*, user) -> list[str]:
    """A fresh set of single-use recovery codes (django-otp static tokens); the previous set stops working."""
    device = StaticDevice.objects.filter(user=user).first() or StaticDevice.objects.create(
        user=user, name="recovery codes", confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    _audit_everywhere(user=user, actor=user, action=AuditAction.CREATE, object_type="otp_static.staticdevice",
                      summary=_("New recovery codes generated"))
    return codes


def recovery_code_used(*, user, remaining: int) -> None:
    _audit_everywhere(user=user, actor=user, action=AuditAction.LOGIN, object_type="otp_static.staticdevice",
                      summary=_("Logged in with a recovery code (%(count)s left)") % {"count": remaining})


def send_two_factor_reset_notice(*, user, by_superuser: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "by_superuser": by_superuser, "when": timezone.localtime(),
                   "login_url": _portal_url("accounts:login"), "reset_url": _portal_url("accounts:password_reset")}
        send_mail(
            subject=_("Your two-factor authentication for the LDE portal has been reset"),
            message=render_to_string("accounts/email/two_factor_reset.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def two_factor_reset(*, user, actor) -> int:
    """Remove every second factor of `user` (authenticator apps and recovery codes); they enrol again after
    their password. Only the user themselves (signed in with a recovery code or their app) or a platform
    superuser may do this: an org admin has no hold on an account that may also open other organisations.
    Audited in every organisation of the user and announced to them by e-mail, so a reset they did not ask
    for does not go unnoticed."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    by_superuser = actor.pk != user.pk
    summary = (_("Two-factor authentication of %(user)s reset by a platform administrator (%(actor)s)")
               if by_superuser else _("Two-factor authentication of %(user)s reset by the user themselves"))
    _audit_everywhere(user=user, actor=actor, action=AuditAction.DELETE, object_type="otp_totp.totpdevice",
                      summary=summary % {"user": user.email, "actor": actor.email})
    transaction.on_commit(lambda: send_two_factor_reset_notice(user=user, by_superuser=by_superuser))
    return removed


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
