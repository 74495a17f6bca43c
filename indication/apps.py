from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicationConfig(AppConfig):
    name = "indication"
    verbose_name = _("Indication")

    def ready(self):
        from lde_portal import apps_registry, dossier

        dossier.register_tab(key="indication", label=_("Indication"), url_name="indication:worker_indication",
                             order=20)
        dossier.register_tab(key="confidential", label=_("Confidential"), url_name="indication:confidential",
                             order=25, permission="confidential.view")

        from lde_portal import navigation

        navigation.register_pages("workers", "indication:*", "!indication:due_list", "!indication:lead_time",
                                  "!indication:icf_catalogue", "!indication:icf_item_edit")
        navigation.register_entry(key="indication", label=_("Indication"), url_name="indication:due_list",
                                  permission="indication.view", group=navigation.OVERVIEWS, order=30,
                                  current=("indication:due_list",))
        navigation.register_entry(key="lead_time", label=_("Recruitment lead time"), url_name="indication:lead_time",
                                  permission="worker.view_all", group=navigation.OVERVIEWS, order=100,
                                  current=("indication:lead_time",))
        # Coordinators manage the catalogue too, from the Indication list; the Administration menu is the org
        # admin's.
        navigation.register_entry(key="icf_items", label=_("ICF items"), url_name="indication:icf_catalogue",
                                  permission=("icf.manage", "organisation.manage"), group=navigation.ADMINISTRATION,
                                  order=50, section=("indication:icf_catalogue", "indication:icf_item_edit"))

        from lde_portal.alerts.registry import DAYS, register_provider

        from . import alerts

        register_provider(alerts.ADVICE_EXPIRING, alerts.advice_expiring, label=_("Advice expiring"),
                          lead_times=(90, 30), lead_unit=DAYS, resolved_by=alerts.RESOLVED_BY[alerts.ADVICE_EXPIRING])
        # Shown from the decision on (3 months = at most 92 days); no record says the track started yet
        # (that belongs to the throughflow app), so it is a to-do to tick off.
        register_provider(alerts.TRACK_START, alerts.track_start, label=_("Throughflow track to start"),
                          lead_times=(92, 14), lead_unit=DAYS, is_task=True,
                          resolved_by=alerts.RESOLVED_BY[alerts.TRACK_START])
        register_provider(alerts.POP_BEFORE_VISIT, alerts.pop_before_visit, label=_("POP update before a VDAB visit"),
                          lead_times=(14, 3), lead_unit=DAYS, is_task=True,
                          resolved_by=alerts.RESOLVED_BY[alerts.POP_BEFORE_VISIT])

        from lde_portal.privacy.registry import register_subject_data
        from lde_portal.privacy.retention import register_retention_handler

        from . import privacy

        register_subject_data("indication", privacy.subject_data, order=20)
        register_retention_handler(
            key="indication.confidential", label=_("Confidential sections: remove after exit"),
            find=privacy.find_expired_confidential, apply=privacy.apply_expired_confidential,
            erase=privacy.erase_worker,
        )

        apps_registry.register_modules(self, "dashboards", "imports")
