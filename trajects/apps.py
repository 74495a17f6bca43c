from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectsConfig(AppConfig):
    name = "trajects"
    verbose_name = _("Workers and trajectories")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="overview", label=_("Overview"), url_name="trajects:worker_detail", order=0)
        dossier.register_tab(key="history", label=_("History"), url_name="trajects:worker_history", order=90)

        from lde_portal.privacy.registry import register_subject_data
        from lde_portal.privacy.retention import register_retention_handler

        from . import privacy

        register_subject_data("trajects", privacy.subject_data, order=10)
        register_retention_handler(
            key="trajects.workers", label=_("Workers: pseudonymise after exit"),
            find=privacy.find_expired_workers, apply=privacy.apply_expired_workers, erase=privacy.erase_worker,
        )
