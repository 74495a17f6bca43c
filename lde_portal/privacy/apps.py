from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lde_portal.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from lde_portal import dossier

        from . import retention, services

        dossier.register_tab(key="privacy", label=_("Privacy"), url_name="privacy:worker_privacy", order=95,
                             permission="privacy.subject_access")

        from lde_portal import navigation

        navigation.register_pages("workers", "privacy:worker_privacy")
        navigation.register_entry(key="privacy", label=_("Privacy and retention"), url_name="privacy:retention",
                                  permission="privacy.manage", group=navigation.ADMINISTRATION, order=910,
                                  section=("privacy:retention", "privacy:retention_dry_run", "privacy:erasure_list"))
        from lde_portal.files.kinds import FileKind, register_kind

        from .views import subject_access_downloaded

        register_kind(FileKind(key=services.SUBJECT_ACCESS, label=_("Subject-access file"),
                               permission="privacy.subject_access", keep_days_setting="PORTAL_SUBJECT_ACCESS_KEEP_DAYS",
                               on_download=subject_access_downloaded))
        # Expired subject-access ZIPs hold a whole file: the nightly job removes them too.
        retention.register_retention_handler(
            key="privacy.subject_access_exports", label=_("Expired subject-access exports"),
            find=services.find_expired_exports, apply=services.delete_exports,
        )
