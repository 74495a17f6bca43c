from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lde_portal.reports"
    label = "reports"
    verbose_name = _("Reports and exports")

    def ready(self):
        from lde_portal.files.kinds import FileKind, register_kind

        from . import services

        register_kind(FileKind(
            key=services.EXPORT, label=_("Export"), permission="reports.export", audit_action="export",
            may_access=services.export_may_access,
            summary=lambda generated: f"{generated.filename} ({generated.done} rows)"))
