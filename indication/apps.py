from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicationConfig(AppConfig):
    name = "indication"
    verbose_name = _("Indication")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="indication", label=_("Indication"), url_name="indication:worker_indication",
                             order=20)
        dossier.register_tab(key="confidential", label=_("Confidential"), url_name="indication:confidential",
                             order=25, permission="confidential.view")
