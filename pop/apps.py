from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopConfig(AppConfig):
    name = "pop"
    verbose_name = _("POP, feedback and trainings")

    def ready(self):
        from lde_portal import dossier

        dossier.register_tab(key="pop", label=_("POP"), url_name="pop:pop_tab", order=30, permission="pop.view")
        dossier.register_tab(key="feedback", label=_("Feedback"), url_name="pop:feedback_tab", order=40,
                             permission="feedback.view")

        from . import selectors

        dossier.register_fact("pop.updated_on", selectors.pop_updated_on)

        from . import alerts

        alerts.register()

        from . import documents

        documents.register()

        from . import reports

        reports.register()

        from . import dashboards

        dashboards.register()

        from . import imports  # noqa: F401 — registers the import sheets
