from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lde_portal.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self):
        from lde_portal import navigation

        navigation.register_entry(key="members", label=_("Users and roles"), url_name="org_admin:member_list",
                                  permission="members.manage", group=navigation.ADMINISTRATION, order=10,
                                  section=("org_admin:member_*", "org_admin:invitation_*"))
        navigation.register_entry(key="activities", label=_("Activities"), url_name="org_admin:activity_list",
                                  permission="activities.manage", group=navigation.ADMINISTRATION, order=20,
                                  section=("org_admin:activity_*",))
        navigation.register_entry(key="organisation", label=_("Organisation"), url_name="org_admin:organisation_edit",
                                  permission="organisation.manage", group=navigation.ADMINISTRATION, order=40,
                                  section=("org_admin:organisation_*",))
