from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lde_portal.concurrency import VersionedModelForm
from lde_portal.forms import ServiceValidated
from lde_portal.uploads import validate_upload

from .models import Activity, Organisation, Role
from .validators import normalise_enterprise_number


def normalise_login(value) -> str:
    """The form of an e-mail address the login and the lock-out both count: e-mail addresses are stored in
    lower case and matched case-insensitively, so a lock-out keyed on the typed text could be walked
    around one letter case at a time."""
    return (value or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the same normal form whether axes reads the credentials or the POST."""
    if credentials:
        return normalise_login(credentials.get("username"))
    return normalise_login(getattr(request, "POST", {}).get("username"))


class EmailAuthenticationForm(AuthenticationForm):
    # E-mail addresses are matched case-insensitively, unlike Django's default message says.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This email address and password do not match. Note: the password is case-sensitive."),
    }
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self):
        return normalise_login(self.cleaned_data.get("username"))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.COACH)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    # The role the member list showed: a change made by another admin since then is not silently replaced.
    shown_role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)


class ActivityForm(ServiceValidated, VersionedModelForm):
    class Meta:
        model = Activity
        fields = ["name", "type", "municipality", "active"]


class _StoredLogo:
    """What the file input shows of the logo already stored: its name and the portal's own address for it."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class PrivateLogoField(forms.ImageField):
    """Logos are private uploads with no media URL (docs/security.md), so the "current" link a file input
    builds from the stored file's url would be a 404; it links to the view that serves the logo instead.
    Display only: cleaning still returns the stored file itself."""

    download_url = None

    def prepare_value(self, value):
        if value and self.download_url and not isinstance(value, UploadedFile) and getattr(value, "name", None):
            return _StoredLogo(value.name.rsplit("/", 1)[-1], self.download_url)
        return value


class OrganisationForm(ServiceValidated, VersionedModelForm):
    enterprise_number = forms.CharField(label=_("Enterprise number"), max_length=20,
                                        help_text=_("10 digits, e.g. 0450.123.451"))
    class Meta:
        model = Organisation
        fields = ["name", "enterprise_number", "street", "postal_code", "municipality", "logo"]
        help_texts = {"logo": _("PNG or JPEG, max. 1 MB")}
        field_classes = {"logo": PrivateLogoField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["logo"].download_url = reverse("org_admin:organisation_logo",
                                                       kwargs={"org_slug": self.instance.slug})
        if self.instance.pk and not self.is_bound:
            self.initial["enterprise_number"] = self.instance.enterprise_number_display

    def clean_enterprise_number(self):
        return normalise_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 1024 * 1024:
            raise forms.ValidationError(_("The logo is larger than 1 MB."))
        if logo and hasattr(logo, "content_type"):  # a new upload: check its first bytes, not its name

            validate_upload(logo, allowed={"png", "jpeg"}, max_bytes=1024 * 1024)
        if logo and getattr(logo, "image", None) is not None and logo.image.format not in ("PNG", "JPEG"):
            raise forms.ValidationError(_("Use a PNG or JPEG file."))
        return logo
