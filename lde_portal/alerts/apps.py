from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "lde_portal.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from lde_portal import navigation

        navigation.register_entry(key="alerts", label=_("Alerts"), url_name="alerts:list", permission="alerts.view",
                                  order=40, current=("alerts:list",))
        navigation.register_entry(key="alert_settings", label=_("Alert settings"), url_name="alerts:settings",
                                  permission="alerts.configure", group=navigation.ADMINISTRATION, order=70,
                                  section=("alerts:settings",))
