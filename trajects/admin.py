from django.contrib import admin

from .models import CoachAssignment, Employment, StatusChange, Worker


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
