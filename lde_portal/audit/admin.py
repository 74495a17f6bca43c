from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor", "action", "object_type", "object_id", "worker_id"]
    list_filter = ["action", "organisation"]
    search_fields = ["object_type", "object_id", "summary"]

    # Append-only: not even superusers edit or delete the trail.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
