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
