from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lde_portal.reports"
    label = "reports"
    verbose_name = _("Reports and exports")

    def ready(self):
        from lde_portal import navigation

        navigation.register_entry(key="dashboard", label=_("Dashboard"), url_name="reports:dashboard",
                                  permission="reports.dashboard", group=navigation.OVERVIEWS, order=10,
                                  section=("reports:dashboard", "reports:figure_list", "reports:yearly_report"))
        navigation.register_entry(key="exports", label=_("Exports"), url_name="reports:exports",
                                  permission="reports.export", group=navigation.OVERVIEWS, order=70,
                                  section=("reports:export", "reports:exports", "reports:file*"))
        from lde_portal.files.kinds import FileKind, register_kind

        from . import services

        register_kind(FileKind(
            key=services.EXPORT, label=_("Export"), permission="reports.export", audit_action="export",
            may_access=services.export_may_access,
            summary=lambda generated: f"{generated.filename} ({generated.done} rows)"))
