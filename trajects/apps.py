from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _seed_phases(sender, instance, created, raw=False, **kwargs):
    """Every new organisation starts with the default phase model (its admin edits it afterwards)."""
    if created and not raw:
        from .models import PhaseDefinition
        from .phases import seed_default_phases

        seed_default_phases(PhaseDefinition, instance.pk)


class TrajectsConfig(AppConfig):
    name = "trajects"
    verbose_name = _("Workers and trajectories")

    def ready(self):
        from lde_portal import apps_registry, dossier

        dossier.register_tab(key="overview", label=_("Overview"), url_name="trajects:worker_detail", order=0)
        dossier.register_tab(key="trajectory", label=_("Trajectory"), url_name="trajects:trajectory", order=10)
        dossier.register_tab(key="history", label=_("History"), url_name="trajects:worker_history", order=90)

        from lde_portal import navigation

        navigation.register_entry(key="home", label=_("Home"), url_name="trajects:home", permission="org.view",
                                  order=10, current=("trajects:home",))
        # The dossier: every app adds its tab pages with navigation.register_pages("workers", ...).
        navigation.register_entry(
            key="workers", label=_("Workers"), url_name="trajects:worker_list", permission="worker.view", order=20,
            current=("trajects:*", "!trajects:home", "!trajects:trajectory_ends", "!trajects:regime_rules",
                     "!trajects:phase_settings"))
        navigation.register_entry(key="trajectory_ends", label=_("Trajectory ends"),
                                  url_name="trajects:trajectory_ends", permission="trajectory.ends",
                                  group=navigation.OVERVIEWS, order=20, section=("trajects:trajectory_ends",))
        navigation.register_entry(key="legislation", label=_("Legislation"), url_name="trajects:regime_rules",
                                  permission="rules.view", group=navigation.OVERVIEWS, order=900,
                                  divider_before=True, section=("trajects:regime_rules",))
        navigation.register_entry(key="phases", label=_("Trajectory phases"), url_name="trajects:phase_settings",
                                  permission="phases.manage", group=navigation.ADMINISTRATION, order=60,
                                  section=("trajects:phase_settings",))
        post_save.connect(_seed_phases, sender="accounts.Organisation", dispatch_uid="trajects_seed_phases")

        from lde_portal.privacy.registry import register_subject_data
        from lde_portal.privacy.retention import register_retention_handler

        from . import privacy

        register_subject_data("trajects", privacy.subject_data, order=10)
        register_retention_handler(
            key="trajects.workers", label=_("Workers: pseudonymise after exit"),
            find=privacy.find_expired_workers, apply=privacy.apply_expired_workers, erase=privacy.erase_worker,
        )

        apps_registry.register_modules(self, "alerts", "documents", "reports", "dashboards", "imports")
