"""Mandatory TOTP two-factor authentication for managers and org admins (issue #11, django-otp).

After the password, such a user can reach only the two-factor pages (and log out, and switch language):
without a confirmed device the enrolment page, with one the verification page. Other roles are not asked.

Whether a user needs a second factor is decided at login and kept in the session, so coaches and
coordinators pay no extra query per request; `access._enter` checks again against the memberships it
loads anyway, so someone promoted to manager during a session is stopped at the next organisation page.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record

from .access import org_permission_required
from .models import Membership

SESSION_KEY = "_2fa_required"
# The only URL names a user who still owes a second factor may open.
ALLOWED_URL_NAMES = {"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout", "set_language"}


def roles_requiring_2fa() -> set[str]:
    return set(settings.PORTAL_2FA_ROLES)


def requires_2fa(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(active=True, role__in=roles_requiring_2fa()).exists()


def needs_second_factor(request) -> bool:
    """True when the logged-in user must still pass the second factor in this session."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    required = request.session.get(SESSION_KEY)
    if required is None:
        required = request.session[SESSION_KEY] = requires_2fa(user)
    return required


def second_factor_redirect(request):
    user = request.user
    target = "accounts:two_factor_verify" if TOTPDevice.objects.filter(user=user, confirmed=True).exists() \
        else "accounts:two_factor_setup"
    url = reverse(target)
    if request.method == "GET":
        url += "?" + _next_query(request.get_full_path())
    return redirect(url)


def _next_query(path):
    from django.utils.http import urlencode

    return urlencode({"next": path})


@receiver(user_logged_in)
def _remember_requirement(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = requires_2fa(user)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and not self._allowed(request):
            return second_factor_redirect(request)
        return self.get_response(request)

    @staticmethod
    def _allowed(request):
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ALLOWED_URL_NAMES


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code"), min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
                                      "pattern": "[0-9]{6}"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits shown by your authenticator app."))
        return token


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@login_required
def two_factor_setup(request):
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # Re-enrolment would let someone with only the password replace the device: verify first.
        return redirect(reverse("accounts:two_factor_verify") + "?" + _next_query(_safe_next(request)))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.cycle_key()  # a new session id once the second factor is passed
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.CREATE, obj=device, object_type="otp_totp.totpdevice",
                         summary=_("Two-factor authentication set up"))
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not correct. Check the time on your phone and try the new code."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": qr, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _safe_next(request),
    })


@login_required
def two_factor_verify(request):
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(reverse("accounts:two_factor_setup") + "?" + _next_query(_safe_next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                request.session.cycle_key()
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("This code is not correct. Check the time on your phone and try the new code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@require_POST
@org_permission_required("members.manage")
def member_reset_two_factor(request, pk):
    """A member who lost their phone: the org admin removes their devices; the member enrols again at the
    next login (still after their password). Recorded in the audit trail."""
    membership = get_object_or_404(Membership, pk=pk, organisation=request.organisation)
    removed, _detail = TOTPDevice.objects.filter(user=membership.user).delete()
    if removed:
        audit_record(actor=request.user, action=AuditAction.DELETE, organisation=request.organisation,
                     object_type="otp_totp.totpdevice", object_id=str(membership.user_id),
                     summary=_("Two-factor authentication reset for %(user)s") % {"user": membership.user})
        messages.success(request, _("Two-factor authentication of %(user)s has been reset; they set it up again at their next login.")
                         % {"user": membership.user})
    return redirect("org_admin:member_list", org_slug=request.organisation.slug)


def users_with_two_factor(organisation) -> set[int]:
    return set(TOTPDevice.objects.filter(user__memberships__organisation=organisation, confirmed=True)
               .values_list("user_id", flat=True))
