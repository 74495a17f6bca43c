from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThroughflowConfig(AppConfig):
    name = "throughflow"
    verbose_name = _("Throughflow, exits and aftercare")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="throughflow", label=_("Throughflow"), url_name="throughflow:tab", order=50,
                             permission="throughflow.view")

        from . import alerts

        alerts.register()

        from lde_portal.privacy.registry import register_subject_data

        from . import privacy

        register_subject_data("throughflow", privacy.subject_data, order=50)

        from lde_portal.privacy.retention import register_retention_handler

        register_retention_handler(
            key="throughflow.notes", label=_("Exits and aftercare: clear the notes after exit"),
            find=privacy.find_expired_notes, apply=privacy.apply_expired_notes, erase=privacy.erase_worker,
        )
