from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lde_portal import uploads

from .validators import format_enterprise_number, normalise_enterprise_number, normalise_postal_code


class Role(models.TextChoices):
    COACH = "coach", _("Workplace coach")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    ORG_ADMIN = "org_admin", _("Organisation administrator")


class ActivityType(models.TextChoices):
    BICYCLE_POINT = "bicycle_point", _("Bicycle point")
    CHILDCARE = "childcare", _("Supplementary childcare")
    GREEN_MAINTENANCE = "green_maintenance", _("Green maintenance")
    ODD_JOBS = "odd_jobs", _("Neighbourhood odd-job service")
    LAUNDRY = "laundry", _("Ironing and laundry workshop")
    SOCIAL_RESTAURANT = "social_restaurant", _("Social restaurant")
    HOME_HELP = "home_help", _("Home help / help for seniors")
    NEIGHBOURHOOD_SPORT = "neighbourhood_sport", _("Neighbourhood sport")
    OTHER = "other", _("Other")


# Slugs that would shadow the portal's own top-level URLs.
RESERVED_SLUGS = {"accounts", "i18n", "django-admin", "static", "media", "verify", "api", "healthz", "calendar"}


def validate_slug_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved by the portal."))


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in the URL"), max_length=60, unique=True, validators=[validate_slug_not_reserved]
    )
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # A random file name (lde_portal.uploads): the uploader's name never reaches the disk.
    logo = uploads.private_file_field("logos", _("logo"), image=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.enterprise_number:
            try:
                self.enterprise_number = normalise_enterprise_number(self.enterprise_number)
            except ValidationError as exc:
                errors["enterprise_number"] = exc.messages
        try:
            self.postal_code = normalise_postal_code(self.postal_code)
        except ValidationError as exc:
            errors["postal_code"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def enterprise_number_display(self):
        return format_enterprise_number(self.enterprise_number)

    @property
    def address(self):
        return ", ".join(p for p in [self.street, f"{self.postal_code} {self.municipality}".strip()] if p)


class Activity(models.Model):
    """A service or site of an organisation (a bicycle point, a laundry workshop...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("activity type"), max_length=30, choices=ActivityType.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(Lower("name"), "organisation", name="activity_name_unique_per_org"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("family name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("access to Django admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org"),
        ]
        indexes = [models.Index(fields=["organisation", "role", "active"])]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Invitation(models.Model):
    """An organisation's invitation to a person who already has an account.

    The account, its password and its second factor belong to the person, not to the organisation that
    invites them: until they accept while logged in, the invitation grants nothing (there is no
    membership), so an org admin cannot reach someone else's account by inviting their address.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], condition=models.Q(status="pending"),
                                    name="one_pending_invitation_per_user_and_org"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_status_display()})"

    @property
    def pending(self):
        return self.status == InvitationStatus.PENDING
