from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "lde_portal.documents"
    label = "documents"
    verbose_name = _("Documents and attestations")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="documents", label=_("Documents"), url_name="documents:worker_documents",
                             order=80, permission="document.view")
