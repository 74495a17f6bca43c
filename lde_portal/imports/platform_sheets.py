"""The platform's own sheet: the organisation's activities (its services and sites).

Contracts name their activity, so the activities come first (order 5): moving an organisation to another
portal brings its activities along. Written through `accounts.services.activity_save`, matched on the name
(case-insensitive, as the activity form refuses a second one with the same name).
"""

from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.models import Activity, ActivityType

from .registry import Column, Outcome, Sheet


def _activity_types(organisation):
    choices = {}
    for value, label in ActivityType.choices:
        choices[value] = value
        choices[str(label)] = value
    return choices


class ActivitySheet(Sheet):
    key = "activities"
    label = _("Activities")
    description = _("The organisation's services and sites; contracts name one of them.")
    aliases = ("Activiteiten", "Diensten")
    order = 5
    columns = (
        Column("name", _("Name"), required=True, aliases=("Activiteit", "Naam activiteit", "Dienst"),
               example="Fietspunt Dampoort"),
        Column("type", _("Activity type"), kind="choice", required=True, choices=_activity_types,
               aliases=("Soort", "Type"), example="bicycle_point"),
        Column("municipality", _("Municipality"), aliases=("Gemeente", "Plaats"), example="Gent"),
        Column("active", _("Active"), kind="boolean", aliases=("Actief",), example="ja"),
    )

    def apply(self, context, values):
        from lde_portal.accounts.services import activity_save

        activity = Activity.objects.filter(organisation=context.organisation, name__iexact=values["name"]).first()
        data = {"name": values["name"], "type": values["type"], "municipality": values["municipality"],
                "active": True if values["active"] is None else values["active"]}
        if activity is None:
            created = activity_save(organisation=context.organisation, actor=context.user, data=data)
            return Outcome("created", created=[created])
        changes = {k: (getattr(activity, k), v) for k, v in data.items() if getattr(activity, k) != v}
        if not changes:
            return Outcome("unchanged")
        activity_save(organisation=context.organisation, actor=context.user, data=data, activity=activity,
                      expected_version=activity.version)
        return Outcome("updated", changes=changes)

    def export_rows(self, organisation):
        for a in Activity.objects.filter(organisation=organisation).order_by("name"):
            yield {"name": a.name, "type": a.type, "municipality": a.municipality, "active": a.active}
