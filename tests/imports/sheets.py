"""Test-only sheets: the platform's import is tested without waiting for the domain apps' sheets.

`ActivitySheet` writes real records (the organisation's activities), matched on their name; `ProbeSheet` has a
column of every kind and only remembers the parsed values, so the messages and row numbers of messy input are
the platform's own.
"""

from django.utils.translation import gettext_lazy as _

from lde_portal.accounts.models import Activity, ActivityType
from lde_portal.imports.registry import Column, Outcome, RowError, Sheet


def _activity_types(organisation):
    choices = {}
    for value, label in ActivityType.choices:
        choices[value] = value
        choices[str(label)] = value
    return choices


def _activities(organisation):
    return {a.name: str(a.pk) for a in Activity.objects.filter(organisation=organisation)}


class ActivitySheet(Sheet):
    key = "activities"
    label = "Activiteiten"
    order = 10
    columns = (
        Column("name", "Naam", required=True, aliases=("Activiteit", "Naam activiteit"), example="Fietspunt"),
        Column("type", "Soort", kind="choice", required=True, choices=_activity_types, example="Fietspunt"),
        Column("municipality", "Gemeente", example="Gent"),
        Column("active", "Actief", kind="boolean", example="ja"),
    )

    def apply(self, context, values):
        if values["name"].lower() == "verboden":
            raise RowError(_("This name is not allowed."), column="name")
        activity = Activity.objects.filter(organisation=context.organisation, name=values["name"]).first()
        fields = {"type": values["type"], "municipality": values["municipality"],
                  "active": True if values["active"] is None else values["active"]}
        if activity is None:
            activity = Activity(organisation=context.organisation, name=values["name"], **fields)
            activity.full_clean()
            activity.save()
            return Outcome("created", created=[activity])
        changes = {k: (getattr(activity, k), v) for k, v in fields.items() if getattr(activity, k) != v}
        if not changes:
            return Outcome("unchanged")
        for k, (_old, new) in changes.items():
            setattr(activity, k, new)
        activity.version += 1
        activity.save()
        return Outcome("updated", changes=changes)

    def export_rows(self, organisation):
        for a in Activity.objects.filter(organisation=organisation).order_by("name"):
            yield {"name": a.name, "type": a.type, "municipality": a.municipality, "active": a.active}


class ProbeSheet(Sheet):
    key = "probe"
    label = "Proef"
    order = 20
    columns = (
        Column("insz", "INSZ", kind="insz", required=True, aliases=("Rijksregisternummer", "RRN")),
        Column("last_name", "Familienaam", aliases=("Achternaam", "Naam")),
        Column("start", "Startdatum", kind="date", aliases=("Begindatum", "In dienst")),
        Column("hours", "Uren per week", kind="decimal"),
        Column("children", "Kinderen", kind="integer"),
        Column("fulltime", "Voltijds", kind="boolean"),
        Column("activity", "Activiteit", kind="choice", choices=_activities),
        Column("email", "E-mail", kind="email"),
        Column("phone", "Telefoon", kind="phone"),
    )

    def apply(self, context, values):
        context.cache.setdefault("seen", []).append(values)
        return Outcome("unchanged")

    def export_rows(self, organisation):
        return iter(())
