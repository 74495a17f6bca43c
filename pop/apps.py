from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopConfig(AppConfig):
    name = "pop"
    verbose_name = _("POP, feedback and trainings")

    def ready(self):
        from lde_portal import apps_registry, dossier

        dossier.register_tab(key="pop", label=_("POP"), url_name="pop:pop_tab", order=30, permission="pop.view")
        dossier.register_tab(key="feedback", label=_("Feedback"), url_name="pop:feedback_tab", order=40,
                             permission="feedback.view")

        from lde_portal import navigation

        navigation.register_pages("workers", "pop:*", "!pop:team_feedback", "!pop:review_list", "!pop:training_list",
                                  "!pop:training_add", "!pop:training_edit", "!pop:competence_list")
        navigation.register_entry(key="team_feedback", label=_("Feedback this week"), url_name="pop:team_feedback",
                                  permission="feedback.edit", order=30, current=("pop:team_feedback",))
        navigation.register_entry(key="pop_reviews", label=_("POP reviews"), url_name="pop:review_list",
                                  permission="pop.review_list", group=navigation.OVERVIEWS, order=40,
                                  section=("pop:review_list",))
        navigation.register_entry(key="trainings", label=_("Trainings"), url_name="pop:training_list",
                                  permission="training.view", group=navigation.OVERVIEWS, order=50,
                                  section=("pop:training_list",))
        navigation.register_entry(key="competences", label=_("Competence catalogue"), url_name="pop:competence_list",
                                  permission="competence.manage", group=navigation.ADMINISTRATION, order=30,
                                  section=("pop:competence_list",))

        from . import selectors

        dossier.register_fact("pop.updated_on", selectors.pop_updated_on)

        apps_registry.register_modules(self, "alerts", "documents", "reports", "dashboards", "imports")
