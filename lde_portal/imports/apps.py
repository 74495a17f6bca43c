from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FILE_KIND = "imports.file"


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

        from .constraints import install

        install()

        from lde_portal.files.kinds import FileKind, register_kind

        # The uploaded file of a run: expiring and deleted by the one cleanup job like every generated file.
        register_kind(FileKind(key=FILE_KIND, label=_("Import file"), permission="imports.run",
                               keep_days_setting="PORTAL_IMPORT_FILE_DAYS"))
        register_exporter(OrganisationWorkbook)

        from lde_portal import navigation

        # Coordinators import too (they register workers day to day): for them the entry is the whole
        # Beheer menu, since the menu shows only what the member may open.
        navigation.register_entry(key="imports", label=_("Import"), url_name="imports:start",
                                  permission="imports.run", group=navigation.ADMINISTRATION, order=100,
                                  current=("imports:*",))
