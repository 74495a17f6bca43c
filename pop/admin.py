from django.contrib import admin

from .models import Competence, CompetenceLevel, Training


class LevelInline(admin.TabularInline):
    model = CompetenceLevel
    extra = 0


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "activity_type", "organisation", "default_focus", "active"]
    list_filter = ["kind", "activity_type"]
    inlines = [LevelInline]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["course", "provider", "provider_type", "hours", "start_date", "organisation"]
