from django.contrib import admin

from .models import IcfItem


@admin.register(IcfItem)
class IcfItemAdmin(admin.ModelAdmin):
    # The shared starting catalogue (organisation empty) is maintained here; organisations extend it in
    # the portal. Confidential records are deliberately not in the admin: every read must be audited.
    list_display = ["code", "label", "component", "organisation", "active"]
    list_filter = ["component", "active"]
    search_fields = ["code", "label"]
