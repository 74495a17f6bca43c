"""The throughflow app's exporters (docs/reports.md), registered in ThroughflowConfig.ready().

Rows come from the same selectors as the exit list and the dashboard panels, so the numbers agree.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lde_portal.reports.registry import Column, Exporter, choice_words, register_exporter

from . import selectors
from .models import THROUGHFLOW_REASONS, ExitContractType, ExitReason, SupportAfterExit

# The files' own words where they differ from the pages' (read by choice_words; named here for makemessages).
EXPORT_WORDS = (pgettext_lazy("export", "Internal throughflow (regular job within the organisation)"),
                pgettext_lazy("export", "To other social economy, custom work or sheltered work"))


def yes_no(value):
    """Ja / Nee, or empty while nothing is recorded (a follow-up not yet done is not a "no")."""
    return "" if value is None else ("Ja" if value else "Nee")


class ExitExporter(Exporter):
    key = "exits"
    label = _("Exits and throughflow")
    description = _("Every exit dated in the period: reason, throughflow, destination and whether the person "
                    "was still employed at 6 months.")
    order = 70
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"),
        Column("insz", "INSZ", "rijksregisternummer, 11 cijfers"),
        Column("activity", "Activiteit", "op de uitstroomdatum"), Column("coach", "Begeleider", "op de uitstroomdatum"),
        Column("start", "Start tewerkstelling", "start van het (laatste) traject"),
        Column("date", "Uitstroomdatum"), Column("reason", "Reden uitstroom"),
        Column("throughflow", "Doorstroom", "Ja bij externe of interne doorstroom (teller van de doorstroomratio)"),
        Column("employer", "Werkgever na uitstroom"), Column("contract_type", "Soort contract"),
        Column("hours", "Uren per week"), Column("support", "Ondersteuning na uitstroom"),
        Column("six_months", "Nog aan het werk na 6 maanden",
               "Ja / Nee volgens de nazorg na 6 maanden; leeg zolang die niet geregistreerd is"),
    )

    def count(self, organisation, membership, filters):
        return selectors.exits_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        # Plain tuples from values_list, not Exit instances with their joined models: building the instances
        # was most of the export's time at sector scale (issue #10 benchmark).
        qs = selectors.exit_list(membership, filters).values_list(
            "worker__last_name", "worker__first_name", "worker__insz", "activity__name", "coach_id",
            "coach__user__first_name", "coach__user__last_name", "coach__user__email", "trajectory__start", "date",
            "reason", "destination_employer", "contract_type", "weekly_hours", "support_after", "six_months")
        reasons, contracts = choice_words(ExitReason), choice_words(ExitContractType)
        supports = choice_words(SupportAfterExit)
        for (last, first, insz, activity, coach_id, coach_first, coach_last, coach_email, start, date, reason,
             employer, contract_type, hours, support, six_months) in qs.iterator(chunk_size=2000):
            coach = (f"{coach_first} {coach_last}".strip() or coach_email) if coach_id else ""
            yield (last, first, insz, activity or "", coach, start, date, reasons.get(reason, reason),
                   yes_no(reason in THROUGHFLOW_REASONS), employer, contracts.get(contract_type, ""), hours,
                   supports.get(support, support), yes_no(six_months))


class FollowUpExporter(Exporter):
    key = "aftercare"
    label = _("Aftercare follow-ups")
    description = _("Every aftercare follow-up (1, 3, 6, 12 months after the exit) due in the period, done or not.")
    order = 75
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"),
        Column("activity", "Activiteit", "op de uitstroomdatum"), Column("exit_date", "Uitstroomdatum"),
        Column("reason", "Reden uitstroom"), Column("months", "Maanden na uitstroom"),
        Column("due", "Gepland op"), Column("done_on", "Contact op", "leeg: nog niet gedaan"),
        Column("still_employed", "Nog aan het werk"), Column("same_employer", "Zelfde werkgever"),
        Column("support_needed", "Ondersteuning nodig"), Column("note", "Notitie"),
    )

    def count(self, organisation, membership, filters):
        return selectors.followups_in(membership, filters).count()

    def rows(self, organisation, membership, filters):
        # Tuples, not FollowUp instances with their exit, worker and activity: the instances cost two thirds
        # of the export's time at sector scale (issue #10 benchmark).
        qs = (selectors.followups_in(membership, filters)
              .order_by("due", "worker__last_name", "worker__first_name", "id")
              .values_list("worker__last_name", "worker__first_name", "exit__activity__name", "exit__date",
                           "exit__reason", "months", "due", "done_on", "still_employed", "same_employer",
                           "support_needed", "note"))
        reasons = choice_words(ExitReason)
        for (last, first, activity, exit_date, reason, months, due, done_on, still_employed, same_employer,
             support_needed, note) in qs.iterator(chunk_size=2000):
            yield (last, first, activity or "", exit_date, reasons.get(reason, reason), months, due, done_on,
                   yes_no(still_employed), yes_no(same_employer), yes_no(support_needed), note)


def register():
    for exporter in (ExitExporter, FollowUpExporter):
        register_exporter(exporter)
