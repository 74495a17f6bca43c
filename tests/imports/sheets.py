"""Test-only sheets: the platform's import is tested without waiting for the domain apps' sheets.

`ActivitySheet` (the platform's own, with one extra refusal) writes real records, matched on their name;
`ProbeSheet` has a column of every kind and only remembers the parsed values, so the messages and row numbers
of messy input are the platform's own.
"""

from lde_portal.accounts.models import Activity
from lde_portal.imports.platform_sheets import ActivitySheet as PlatformActivitySheet
from lde_portal.imports.registry import Column, Outcome, RowError, Sheet


def _activities(organisation):
    return {a.name: str(a.pk) for a in Activity.objects.filter(organisation=organisation)}


class ActivitySheet(PlatformActivitySheet):
    """The platform's activities sheet, with one refusal of its own (a RowError naming its column)."""

    def apply(self, context, values):
        if values["name"].lower() == "verboden":
            raise RowError("Deze naam is niet toegestaan.", column="name")
        return super().apply(context, values)


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
