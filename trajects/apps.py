from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectsConfig(AppConfig):
    name = "trajects"
    verbose_name = _("Workers and trajectories")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="overview", label=_("Overview"), url_name="trajects:worker_detail", order=0)
        dossier.register_tab(key="history", label=_("History"), url_name="trajects:worker_history", order=90)
