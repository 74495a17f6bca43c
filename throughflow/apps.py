from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThroughflowConfig(AppConfig):
    name = "throughflow"
    verbose_name = _("Throughflow, exits and aftercare")

    def ready(self):
        from lde_portal import apps_registry, dossier

        dossier.register_tab(key="throughflow", label=_("Throughflow"), url_name="throughflow:tab", order=50,
                             permission="throughflow.view")

        from lde_portal import navigation

        navigation.register_pages("workers", "throughflow:tab", "throughflow:exit_add", "throughflow:followup_edit",
                                  "throughflow:*readiness*", "throughflow:*track*", "throughflow:job_target_edit",
                                  "throughflow:application_*", "throughflow:internship_*", "throughflow:handover_edit",
                                  "throughflow:consent_*")
        navigation.register_entry(key="throughflow_ratio", label=_("Throughflow"), url_name="throughflow:ratio",
                                  permission="throughflow.ratio", group=navigation.OVERVIEWS, order=80,
                                  section=("throughflow:ratio",))
        navigation.register_entry(key="exits", label=_("Exits"), url_name="throughflow:exit_list",
                                  permission="throughflow.ratio", group=navigation.OVERVIEWS, order=90,
                                  current=("throughflow:exit_list",))
        navigation.register_entry(key="employers", label=_("Employers"), url_name="throughflow:employer_list",
                                  permission="employer.view", group=navigation.OVERVIEWS, order=110,
                                  section=("throughflow:*employer*",))
        navigation.register_entry(key="throughflow_settings", label=_("Throughflow"), url_name="throughflow:settings",
                                  permission="throughflow.configure", group=navigation.ADMINISTRATION, order=90,
                                  section=("throughflow:settings",))

        from lde_portal.privacy.registry import register_subject_data
        from lde_portal.privacy.retention import register_retention_handler

        from . import privacy

        register_subject_data("throughflow", privacy.subject_data, order=50)
        register_subject_data("throughflow_readiness", privacy.readiness_subject_data, order=51)
        register_retention_handler(
            key="throughflow.readiness_notes", label=_("Readiness checks: sensitive notes emptied after exit"),
            find=privacy.find_expired_sensitive_notes, apply=privacy.apply_expired_sensitive_notes,
            erase=privacy.erase_readiness,
        )

        register_retention_handler(
            key="throughflow.notes", label=_("Exits and aftercare: clear the notes after exit"),
            find=privacy.find_expired_notes, apply=privacy.apply_expired_notes, erase=privacy.erase_worker,
        )

        apps_registry.register_modules(self, "alerts", "documents", "dashboards", "reports", "imports")
