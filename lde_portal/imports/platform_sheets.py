"""The platform's own sheet: the organisation's activities (its services and sites).

Contracts name their activity, so the activities come first (order 5): moving an organisation to another
portal brings its activities along. Written through `accounts.services.activity_save`, matched on the name
(case-insensitive, as the activity form refuses a second one with the same name); an empty cell keeps what is
stored, as on every sheet.
"""

from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.models import Activity, ActivityType
from lde_portal.accounts.services import activity_save

from .records import RecordSheet
from .registry import Column


def _activity_types(organisation):
    choices = {}
    for value, label in ActivityType.choices:
        choices[value] = value
        choices[str(label)] = value
    return choices


class ActivitySheet(RecordSheet):
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

    compared = ("name", "type", "municipality", "active")
    default_column = "name"

    def load(self, context):
        return {a.name.casefold(): a for a in Activity.objects.filter(organisation=context.organisation)}

    def key_of(self, context, values):
        return values["name"].casefold()

    def wanted(self, context, values):
        return {"name": values["name"], "type": values["type"], "municipality": values["municipality"],
                "active": True if values["active"] is None else values["active"]}

    def create(self, context, values):
        return activity_save(organisation=context.organisation, actor=context.user,
                             data=self.wanted(context, values))

    def update(self, context, record, changes, values):
        return activity_save(organisation=context.organisation, actor=context.user,
                             data={**self.current(record), **{k: new for k, (_old, new) in changes.items()}}, activity=record,
                             expected_version=record.version)

    def export_rows(self, organisation):
        for a in Activity.objects.filter(organisation=organisation).order_by("name"):
            yield {"name": a.name, "type": a.type, "municipality": a.municipality, "active": a.active}
