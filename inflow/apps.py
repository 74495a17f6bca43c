from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InflowConfig(AppConfig):
    name = "inflow"
    verbose_name = _("Inflow")

    def ready(self):
        from lde_portal import navigation

        navigation.register_entry(key="inflow", label=_("Inflow"), url_name="inflow:board",
                                  permission="inflow.board", order=25,
                                  current=("inflow:*", "!inflow:lead_time", "!inflow:settings"))
        navigation.register_entry(key="inflow_lead_time", label=_("Lead time from application to contract"),
                                  url_name="inflow:lead_time", permission="inflow.figures",
                                  group=navigation.OVERVIEWS, order=105, current=("inflow:lead_time",))
        navigation.register_entry(key="inflow_settings", label=_("Inflow settings"), url_name="inflow:settings",
                                  permission="inflow.configure", group=navigation.ADMINISTRATION, order=70,
                                  current=("inflow:settings",))

        from lde_portal.alerts.registry import DAYS, register_provider

        from . import alerts

        # Shown 5 days before the waiting limit (25 days after the referral with the default 30,
        # docs/journeys.md "filling three places").
        register_provider(alerts.ADVICE_WAITING, alerts.advice_waiting, label=_("Referred to VDAB, no advice yet"),
                          lead_times=(5, 0), lead_unit=DAYS, resolved_by=alerts.RESOLVED_BY[alerts.ADVICE_WAITING])

        from lde_portal.privacy.registry import register_subject_data
        from lde_portal.privacy.retention import register_retention_handler

        from . import privacy

        register_subject_data("inflow", privacy.subject_data, order=5)
        register_retention_handler(key="inflow.candidates", label=_("Candidates who were not hired"),
                                   find=privacy.find_expired_candidates, apply=privacy.apply_expired_candidates,
                                   erase=privacy.erase_worker)

        from . import dashboards, reports

        dashboards.register()
        reports.register()
