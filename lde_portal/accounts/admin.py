from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Activity, Invitation, Membership, Organisation, User

# django-otp's own device admins would let a superuser delete a second factor without the audit entries and
# the e-mail to the user, or add a device with a key of their choosing to someone else's account. Resetting
# goes through the "reset two-factor authentication" action on users instead.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_two_factor", None)
        return actions

    @admin.action(description=_("Reset two-factor authentication (the user enrols again at the next login)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.two_factor_reset(user=user, actor=request.user)
        count = queryset.count()
        self.message_user(request, ngettext(
            "Two-factor authentication of %(count)d user has been reset; they have been told by e-mail.",
            "Two-factor authentication of %(count)d users has been reset; they have been told by e-mail.",
            count) % {"count": count}, messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "enterprise_number", "municipality"]
    search_fields = ["name", "slug", "enterprise_number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "type", "municipality", "active"]
    list_filter = ["type", "active", "organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "active"]
    list_filter = ["role", "active", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: only the invited person accepts or declines (accounts.services.invitation_accept)."""

    list_display = ["user", "organisation", "role", "status", "created_at", "responded_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["user__email", "organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
