from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lde_portal.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from lde_portal import dossier
        from lde_portal.privacy.registry import register_subject_data

        from . import signals, subject

        signals.connect()
        dossier.register_tab(key="audit", label=_("Audit trail"), url_name="audit:worker_trail", order=96,
                             permission="audit.view_worker")

        from lde_portal import navigation

        navigation.register_pages("workers", "audit:worker_trail")
        navigation.register_entry(key="audit_trail", label=_("Audit trail"), url_name="audit:organisation_trail",
                                  permission="audit.view_org", group=navigation.ADMINISTRATION, order=900,
                                  divider_before=True, section=("audit:organisation_trail",))
        # The trail about a worker is part of their file (GDPR art. 15: who received the data).
        register_subject_data("audit", subject.subject_data, order=90)
