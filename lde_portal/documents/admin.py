from django.contrib import admin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: an issued document changes only by revocation, through the portal (with its audit)."""

    list_display = ["number", "kind", "organisation", "worker_initials", "issued_at", "revoked_at"]
    list_filter = ["organisation", "kind"]
    search_fields = ["number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
