from django.contrib import admin

from .models import Alert, AlertRecipient, AlertSettings, DigestLog


class RecipientInline(admin.TabularInline):
    model = AlertRecipient
    extra = 0
    raw_id_fields = ["membership"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "due", "state", "organisation", "escalated_at"]
    list_filter = ["state", "kind", "organisation"]
    search_fields = ["subject_key"]
    inlines = [RecipientInline]


admin.site.register(AlertSettings)
admin.site.register(DigestLog)
