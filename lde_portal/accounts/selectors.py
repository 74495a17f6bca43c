from django.shortcuts import get_object_or_404

from .models import Activity, Invitation, InvitationStatus, Membership


def pending_invitations_for(user):
    """The invitations addressed to this user that still wait for their answer."""
    return (Invitation.objects.filter(user=user, status=InvitationStatus.PENDING)
            .select_related("organisation", "invited_by").order_by("-created_at"))


def pending_invitation_of(user, pk) -> Invitation | None:
    """One of the user's own pending invitations; anybody else's is not found (404 in the views)."""
    return pending_invitations_for(user).filter(pk=pk).first()


def members_of(organisation):
    return (Membership.objects.filter(organisation=organisation).select_related("user")
            .order_by("-active", "user__first_name", "user__last_name"))


def invitations_of(organisation):
    """The organisation's invitations to existing accounts that were not answered yet ("uitgenodigd")."""
    return (Invitation.objects.filter(organisation=organisation, status=InvitationStatus.PENDING)
            .select_related("user").order_by("-created_at"))


def memberships_of(user):
    """The user's active memberships, by organisation name (the organisation chooser)."""
    return (Membership.objects.filter(user=user, active=True).select_related("organisation")
            .order_by("organisation__name"))


def activity_list(membership):
    return Activity.objects.filter(organisation_id=membership.organisation_id).order_by("-active", "name")


def member_for(membership, pk) -> Membership:
    """A membership of the acting member's organisation (active or not), or 404."""
    return get_object_or_404(Membership, pk=pk, organisation_id=membership.organisation_id)


def activity_for(membership, pk) -> Activity:
    return get_object_or_404(Activity, pk=pk, organisation_id=membership.organisation_id)
