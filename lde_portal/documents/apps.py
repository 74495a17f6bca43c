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

        from lde_portal import navigation

        navigation.register_entry(key="attestations", label=_("Attestations"), url_name="documents:attestations",
                                  permission="document.batch", group=navigation.OVERVIEWS, order=60,
                                  section=("documents:attestations", "documents:batch_detail"))
        navigation.register_entry(key="document_settings", label=_("Document settings"), url_name="documents:settings",
                                  permission="document.configure", group=navigation.ADMINISTRATION, order=80)
        from lde_portal.files.kinds import FileKind, register_kind

        register_kind(FileKind(key="documents.batch", label=_("Attestation batch"), permission="document.batch",
                               summary=lambda batch: f"batch {batch.pk}"))
