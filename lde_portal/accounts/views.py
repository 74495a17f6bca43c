from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.concurrency import perform, submit
from lde_portal.uploads import serve_private_file

from . import selectors, services
from .access import org_permission_required
from .forms import ActivityForm, EmailAuthenticationForm, InviteForm, OrganisationForm, RoleForm


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """The link in the e-mail is built from PORTAL_BASE_URL, like the invitation: Django's default takes
    the request's Host header, which whoever asks for the reset controls (a poisoned link to their own
    server would hand them the victim's token)."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def domain_override(self):
        return urlsplit(settings.PORTAL_BASE_URL).netloc

    @property
    def extra_email_context(self):
        return {"portal_base_url": settings.PORTAL_BASE_URL.rstrip("/")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def root(request):
    """Send a user straight to their organisation, or let them choose when they belong to several (or have
    invitations to answer)."""
    memberships = list(selectors.memberships_of(request.user))
    invitations = list(selectors.pending_invitations_for(request.user))
    if len(memberships) == 1 and not invitations:
        return redirect("trajects:home", org_slug=memberships[0].organisation.slug)
    return render(request, "accounts/choose_organisation.html", {"memberships": memberships,
                                                                  "invitations": invitations})


@login_required
def invitation_list(request):
    return render(request, "accounts/invitations.html", {
        "invitations": selectors.pending_invitations_for(request.user),
    })


def _own_invitation(request, pk):
    invitation = selectors.pending_invitation_of(request.user, pk)
    if invitation is None:
        raise Http404
    return invitation


@require_POST
@login_required
def invitation_accept(request, pk):
    invitation = _own_invitation(request, pk)
    post = perform(request, lambda: services.invitation_accept(invitation=invitation, actor=request.user),
                   done=lambda membership: _("You are now a member of %(org)s.") % {"org": membership.organisation})
    if not post:
        return redirect("accounts:invitations")
    return redirect("trajects:home", org_slug=post.result.organisation.slug)


@require_POST
@login_required
def invitation_decline(request, pk):
    invitation = _own_invitation(request, pk)
    perform(request, lambda: services.invitation_decline(invitation=invitation, actor=request.user),
            done=_("You declined the invitation of %(org)s.") % {"org": invitation.organisation})
    return redirect("accounts:invitations")


@org_permission_required("members.manage")
def member_list(request):
    form = InviteForm(request.POST or None)
    # The same message for a new and an existing account: the page does not tell whether the
    # address is known elsewhere in the portal.
    if submit(request, form, lambda: services.member_invite(organisation=request.organisation, actor=request.user,
                                                            **form.cleaned_data),
              saved=lambda invited: _("Invitation sent to %(email)s.") % {"email": invited.user.email}):
        return redirect("org_admin:member_list", org_slug=request.organisation.slug)
    return render(request, "accounts/member_list.html", {
        "members": selectors.members_of(request.organisation),
        "invitations": selectors.invitations_of(request.organisation),
        "form": form, "role_form": RoleForm(),
    })


@require_POST
@org_permission_required("members.manage")
def invitation_withdraw(request, pk):
    invitation = get_object_or_404(selectors.invitations_of(request.organisation), pk=pk)
    # Refused when the invitation was answered in the meantime.
    perform(request, lambda: services.invitation_withdraw(invitation=invitation, actor=request.user),
            done=_("The invitation of %(email)s has been withdrawn.") % {"email": invitation.user.email})
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


@require_POST
@org_permission_required("members.manage")
def member_toggle(request, pk):
    membership = selectors.member_for(request.membership, pk)
    perform(request, lambda: services.member_set_active(membership=membership, actor=request.user,
                                                        active=not membership.active),
            done=lambda _result: _("%(user)s has been activated.") % {"user": membership.user} if membership.active
            else _("%(user)s has been deactivated.") % {"user": membership.user})
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


@require_POST
@org_permission_required("members.manage")
def member_role(request, pk):
    membership = selectors.member_for(request.membership, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        perform(request, lambda: services.member_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"],
            shown_role=form.cleaned_data["shown_role"]),
            done=_("The role of %(user)s has been changed.") % {"user": membership.user})
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


@org_permission_required("activities.manage")
def activity_list(request):
    activities = selectors.activity_list(request.membership)
    return render(request, "accounts/activity_list.html", {"activities": activities})


@org_permission_required("activities.manage")
def activity_form(request, pk=None):
    activity = selectors.activity_for(request.membership, pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    post = submit(request, form, lambda: services.activity_save(
        organisation=request.organisation, actor=request.user,
        data={k: v for k, v in form.cleaned_data.items() if k != "version"},
        activity=activity, expected_version=form.cleaned_data.get("version")),
        saved=_("The activity has been saved."),
        conflict=_("Someone else has changed this activity in the meantime. Check the differences below and save "
                   "again to keep your version."))
    if post:
        return redirect("org_admin:activity_list", org_slug=request.organisation.slug)
    return render(request, "accounts/activity_form.html", {"form": form, "activity": activity,
                                                           "conflicts": post.conflicts})


@org_permission_required("organisation.manage")
def organisation_edit(request):
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=request.organisation)
    post = submit(request, form, lambda: services.organisation_update(
        organisation=request.organisation, actor=request.user,
        data={k: v for k, v in form.cleaned_data.items() if k != "version"},
        expected_version=form.cleaned_data.get("version")),
        saved=_("The organisation details have been saved."),
        conflict=_("Someone else has changed the organisation details in the meantime. Check the differences below "
                   "and save again to keep your version."))
    if post:
        return redirect("org_admin:organisation_edit", org_slug=request.organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "conflicts": post.conflicts})


@org_permission_required("org.view")
def organisation_logo(request):
    """Logos live with the private uploads (no public media URL); any member may fetch their own."""
    logo = request.organisation.logo
    ext = logo.name.rsplit(".", 1)[-1].lower() if logo else ""
    # No personal data: not on the audit trail.
    return serve_private_file(request, logo, filename=f"logo.{ext}", audit=False, as_attachment=False)
