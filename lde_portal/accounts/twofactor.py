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
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record

from . import services

SESSION_KEY = "_2fa_required"
# Fresh recovery codes wait here for the one page view that shows them (post/redirect/get), then go.
FRESH_CODES_KEY = "_2fa_fresh_recovery_codes"
# The only URL names a user who still owes a second factor may open.
# The service worker and the manifest hold no personal data; a redirect of the worker's script to the second-factor
# page makes the browser refuse to register it.
ALLOWED_URL_NAMES = {"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout", "set_language",
                     "service_worker", "web_manifest"}


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
            # Recovery codes come with every enrolment: without them a lost phone locks the user out.
            request.session[FRESH_CODES_KEY] = services.recovery_codes_generate(user=user)
            return redirect(reverse("accounts:two_factor_account") + "?" + _next_query(_safe_next(request)))
        form.add_error("token", _("This code is not correct. Check the time on your phone and try the new code."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": qr, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _safe_next(request),
    })


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Recovery code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_recovery_code(self):
        return "".join(self.cleaned_data["recovery_code"].split()).lower()


@login_required
def two_factor_verify(request):
    user = request.user
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return redirect(reverse("accounts:two_factor_setup") + "?" + _next_query(_safe_next(request)))
    using_code = request.method == "POST" and "recovery_code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not using_code else None)
    recovery_form = RecoveryCodeForm(request.POST if using_code else None)
    if form.is_bound and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                request.session.cycle_key()
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("This code is not correct. Check the time on your phone and try the new code."))
    if recovery_form.is_bound and recovery_form.is_valid():
        # StaticDevice.verify_token deletes the code it accepts and slows down wrong guesses per device.
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(recovery_form.cleaned_data["recovery_code"]):
            request.session.cycle_key()
            otp_login(request, device)
            remaining = device.token_set.count()
            services.recovery_code_used(user=user, remaining=remaining)
            messages.warning(request, _(
                "You logged in with a recovery code; %(count)s codes are left. Lost your phone? Set up a new "
                "authenticator app below.") % {"count": remaining})
            return redirect(reverse("accounts:two_factor_account") + "?" + _next_query(_safe_next(request)))
        recovery_form.add_error("recovery_code", _("This recovery code is not correct or has already been used."))
    return render(request, "accounts/two_factor_verify.html", {
        "form": form, "recovery_form": recovery_form, "next": _safe_next(request),
        "show_recovery": recovery_form.is_bound,
    })


def _verified_or_second_factor(request):
    """The account's own second-factor settings are behind the second factor itself: someone holding only
    the password must not mint recovery codes or swap the authenticator."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not request.user.is_verified():
        return second_factor_redirect(request)
    return None


@login_required
def two_factor_account(request):
    """The user's own page: their authenticator app, the recovery codes left, and (once, right after they
    were made) the new codes."""
    if (response := _verified_or_second_factor(request)) is not None:
        return response
    user = request.user
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(request, "accounts/two_factor_account.html", {
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "codes_left": static.token_set.count() if static else 0,
        "fresh_codes": request.session.pop(FRESH_CODES_KEY, None),
        "required": requires_2fa(user),
        "next": _safe_next(request) if (request.GET.get("next") or request.POST.get("next")) else "",
    })


@require_POST
@login_required
def recovery_codes_generate(request):
    if (response := _verified_or_second_factor(request)) is not None:
        return response
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:two_factor_setup")
    request.session[FRESH_CODES_KEY] = services.recovery_codes_generate(user=request.user)
    return redirect("accounts:two_factor_account")


@require_POST
@login_required
def two_factor_reset(request):
    """The user replaces their authenticator app (a new or lost phone): every second factor goes, and the
    enrolment page follows at once. Allowed only after the second factor of this session (the app or a
    recovery code)."""
    if (response := _verified_or_second_factor(request)) is not None:
        return response
    if not request.user.is_verified():
        return redirect("accounts:two_factor_setup")
    services.two_factor_reset(user=request.user, actor=request.user)
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("Your two-factor authentication has been reset. Set up your authenticator app again."))
    return redirect(reverse("accounts:two_factor_setup") + "?" + _next_query(_safe_next(request)))


