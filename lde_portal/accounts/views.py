from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lde_portal.concurrency import ConflictError, conflicting_fields

from . import services
from .access import org_permission_required
from .forms import ActivityForm, EmailAuthenticationForm, InviteForm, OrganisationForm, RoleForm
from .models import Activity, Membership


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def root(request):
    """Send a user straight to their organisation, or let them choose when they belong to several."""
    memberships = list(
        Membership.objects.filter(user=request.user, active=True).select_related("organisation")
        .order_by("organisation__name")
    )
    if len(memberships) == 1:
        return redirect("trajects:home", org_slug=memberships[0].organisation.slug)
    return render(request, "accounts/choose_organisation.html", {"memberships": memberships})


@org_permission_required("members.manage")
def member_list(request):
    members = (
        Membership.objects.filter(organisation=request.organisation).select_related("user")
        .order_by("-active", "user__first_name", "user__last_name")
    )
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(organisation=request.organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": membership.user.email})
            return redirect("org_admin:member_list", org_slug=request.organisation.slug)
    from .twofactor import users_with_two_factor

    return render(request, "accounts/member_list.html", {
        "members": members, "form": form, "role_form": RoleForm(),
        "two_factor_users": users_with_two_factor(request.organisation),
    })


@require_POST
@org_permission_required("members.manage")
def member_toggle(request, pk):
    membership = get_object_or_404(Membership, pk=pk, organisation=request.organisation)
    try:
        services.member_set_active(membership=membership, actor=request.user, active=not membership.active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s has been activated.") % {"user": membership.user} if membership.active
                         else _("%(user)s has been deactivated.") % {"user": membership.user})
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


@require_POST
@org_permission_required("members.manage")
def member_role(request, pk):
    membership = get_object_or_404(Membership, pk=pk, organisation=request.organisation)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_change_role(membership=membership, actor=request.user, role=form.cleaned_data["role"],
                                        shown_role=form.cleaned_data["shown_role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role of %(user)s has been changed.") % {"user": membership.user})
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


def _offer_version(form, request, current, message):
    """After a ConflictError: the same form with what was typed, now carrying the stored version, so that saving
    again is a conscious decision (lde_portal/concurrency.py)."""
    data = request.POST.copy()
    data["version"] = current.version
    form.data = data
    form.add_error(None, message)
    return form


@org_permission_required("activities.manage")
def activity_list(request):
    activities = Activity.objects.filter(organisation=request.organisation).order_by("-active", "name")
    return render(request, "accounts/activity_list.html", {"activities": activities})


@org_permission_required("activities.manage")
def activity_form(request, pk=None):
    activity = get_object_or_404(Activity, pk=pk, organisation=request.organisation) if pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(organisation=request.organisation, actor=request.user,
                                   data={k: v for k, v in form.cleaned_data.items() if k != "version"},
                                   activity=activity, expected_version=form.cleaned_data.get("version"))
        except ConflictError as conflict:
            conflicts = conflicting_fields(form, conflict.current)
            form = _offer_version(form, request, conflict.current, _(
                "Someone else has changed this activity in the meantime. Check the differences below and save "
                "again to keep your version."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("org_admin:activity_list", org_slug=request.organisation.slug)
    return render(request, "accounts/activity_form.html", {"form": form, "activity": activity, "conflicts": conflicts})


@org_permission_required("organisation.manage")
def organisation_edit(request):
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=request.organisation)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=request.organisation, actor=request.user,
                                         data={k: v for k, v in form.cleaned_data.items() if k != "version"},
                                         expected_version=form.cleaned_data.get("version"))
        except ConflictError as conflict:
            conflicts = conflicting_fields(form, conflict.current)
            form = _offer_version(form, request, conflict.current, _(
                "Someone else has changed the organisation details in the meantime. Check the differences below "
                "and save again to keep your version."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The organisation details have been saved."))
            return redirect("org_admin:organisation_edit", org_slug=request.organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "conflicts": conflicts})


@org_permission_required("org.view")
def organisation_logo(request):
    """Logos live with the private uploads (no public media URL); any member may fetch their own."""
    logo = request.organisation.logo
    if not logo:
        raise Http404
    return FileResponse(logo.open("rb"), content_type="image/png" if logo.name.lower().endswith(".png") else "image/jpeg")
