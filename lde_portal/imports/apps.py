from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "lde_portal.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from lde_portal.reports.registry import register_exporter

        from .exporter import OrganisationWorkbook
        from .platform_sheets import ActivitySheet
        from .registry import register_sheet

        register_sheet(ActivitySheet)
        register_exporter(OrganisationWorkbook)
