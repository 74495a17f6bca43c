from django.contrib import admin

from .models import CoachAssignment, Employment, Extension, RegimeRule, StatusChange, Suspension, Trajectory, Worker


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = CoachAssignment
    extra = 0


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "status"]
    list_filter = ["organisation", "status"]
    search_fields = ["last_name", "first_name", "insz"]
    inlines = [EmploymentInline, AssignmentInline]


admin.site.register(StatusChange)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """The rule table decides legal dates for every organisation: only superusers may change it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(RegimeRule)
class RegimeRuleAdmin(SuperuserOnlyAdmin):
    list_display = ["regime", "key", "value", "unit", "valid_from", "valid_to", "source"]
    list_filter = ["regime"]
    search_fields = ["key", "label_nl", "source"]
    ordering = ["regime", "key", "valid_from"]


class SuspensionInline(admin.TabularInline):
    model = Suspension
    extra = 0
    fields = ["reason", "start", "end", "note"]
    readonly_fields = fields


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    fields = ["reason", "months", "decision_date", "note"]
    readonly_fields = fields


@admin.register(Trajectory)
class TrajectoryAdmin(SuperuserOnlyAdmin):
    """Read-only: trajectories change only through the services, which keep the stored deadlines in step."""

    list_display = ["worker", "regime", "start", "planned_end", "closed_on", "next_due", "next_due_kind"]
    list_filter = ["regime", "organisation"]
    search_fields = ["worker__last_name", "worker__first_name"]
    inlines = [SuspensionInline, ExtensionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
