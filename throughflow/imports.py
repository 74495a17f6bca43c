"""Import sheets of the throughflow: exits and their aftercare follow-ups (lde_portal/imports/registry.py).

An exit goes through throughflow.services.exit_record, as a typed one: it closes the open trajectory, ends the
contracts and the assignments that still run, sets the status and creates the follow-ups the organisation's
settings ask for. The follow-ups sheet then records the contacts that were made.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lde_portal.imports.records import actor_of, nl_date, spellings
from lde_portal.imports.registry import Column, RowError, register_sheet
from trajects.imports import INSZ, WorkerRecordSheet, rule_set, worker_of

from . import services
from .models import Exit, ExitContractType, ExitReason, FollowUp, SupportAfterExit

EXIT_FIELDS = ("reason", "destination_employer", "contract_type", "weekly_hours", "support_after", "note")


@register_sheet
class ExitsSheet(WorkerRecordSheet):
    key = "exits"
    label = "Uitstroom"
    description = _lazy("One row per worker who left, matched on the worker (one exit per worker).")
    order = 90
    columns = (
        INSZ,
        Column("date", "Datum uitstroom", kind="date", required=True,
               aliases=("Uitstroomdatum", "Uit dienst", "Datum uit dienst", "Einddatum"), example="31/01/2026"),
        Column("reason", "Reden", kind="choice", required=True,
               choices=spellings(ExitReason, {"Externe doorstroom": "external", "Interne doorstroom": "internal",
                                              "Ontslag": "dismissal", "Pensioen": "retirement",
                                              "Ziekte": "illness", "Overlijden": "death",
                                              "Uitval": "drop_out", "Einde termijn": "end_of_term"}),
               aliases=("Reden uitstroom", "Uitstroomreden"), example="Externe doorstroom"),
        Column("destination_employer", "Werkgever", aliases=("Nieuwe werkgever", "Bestemming"), example=""),
        Column("contract_type", "Contracttype", kind="choice",
               choices=spellings(ExitContractType, {"Onbepaalde duur": "open_ended", "Bepaalde duur": "fixed_term",
                                                    "Interim": "temporary_agency", "Uitzendarbeid": "temporary_agency"}),
               aliases=("Soort contract", "Type contract"), example=""),
        Column("weekly_hours", "Uren per week", kind="decimal", aliases=("Uren/week", "Arbeidsduur"), example=""),
        Column("support_after", "Ondersteuning na uitstroom", kind="choice", choices=spellings(SupportAfterExit),
               aliases=("Nazorg", "Ondersteuning"), example=""),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )

    model, cache_key, default_column = Exit, "throughflow.exits", "date"
    compared = ("date", *EXIT_FIELDS)

    def create(self, context, values):
        worker = worker_of(context, values)
        data = {k: v for k, v in self.wanted(context, values).items() if v is not None}
        exit_ = services.exit_record(worker=worker, actor=actor_of(context), data=data, today=context.today,
                                     rule_set=rule_set(context))
        worker.refresh_from_db()
        # The exit closed the trajectory and ended contracts and assignments: later rows read them afresh.
        for key in ("trajects.trajectories", "trajects.contracts", "trajects.assignments", "throughflow.followups"):
            context.cache.pop(key, None)
        return exit_

    def brought(self, record):
        return [record, *record.followups.all()]

    def update(self, context, record, changes, values):
        raise RowError(_("This worker's exit on %(date)s is already recorded with other data: correct it "
                         "in the portal.") % {"date": nl_date(record.date)}, column=next(iter(changes)))

    def export_rows(self, organisation):
        for e in Exit.objects.filter(organisation=organisation).select_related("worker").order_by("worker__insz"):
            yield {"insz": e.worker.insz, "date": e.date, **{f: getattr(e, f) for f in EXIT_FIELDS}}


FOLLOWUP_FIELDS = ("done_on", "still_employed", "same_employer", "support_needed", "note")


@register_sheet
class FollowUpsSheet(WorkerRecordSheet):
    key = "followups"
    label = "Opvolging na uitstroom"
    description = _lazy("The aftercare contacts after an exit, matched on the worker and the months after the exit.")
    order = 95
    columns = (
        INSZ,
        Column("months", "Maanden na uitstroom", kind="integer", required=True,
               aliases=("Maanden", "Opvolging na (maanden)"), example="6"),
        Column("done_on", "Datum contact", kind="date", required=True, aliases=("Contact op", "Gecontacteerd op"),
               example="31/07/2026"),
        Column("still_employed", "Nog aan het werk", kind="boolean", required=True,
               aliases=("Nog tewerkgesteld", "Werkt nog"), example="ja"),
        Column("same_employer", "Zelfde werkgever", kind="boolean", example="ja"),
        Column("support_needed", "Ondersteuning nodig", kind="boolean", example="nee"),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )

    model, natural, cache_key, default_column = FollowUp, ("months",), "throughflow.followups", "done_on"
    compared = FOLLOWUP_FIELDS

    def create(self, context, values):
        worker = worker_of(context, values)
        known = sorted(months for (worker_id, months) in self.index(context) if worker_id == worker.pk)
        if not known:
            raise RowError(_("This worker has no exit: add it on the sheet 'Uitstroom' first."), column="insz")
        raise RowError(_("There is no follow-up %(months)s months after the exit; this worker's follow-ups are "
                         "at %(known)s months.") % {"months": values["months"], "known": ", ".join(map(str, known))},
                       column="months")

    def wanted(self, context, values):
        wanted = {f: values.get(f) for f in FOLLOWUP_FIELDS}
        if wanted["still_employed"] is False:
            wanted["same_employer"] = None  # followup_record clears it: no employer to compare with
        return wanted

    def update(self, context, record, changes, values):
        data = {**self.current(record), **{k: v for k, v in self.wanted(context, values).items() if v is not None}}
        data["note"] = data.get("note") or ""
        return services.followup_record(followup=record, actor=actor_of(context), data=data, today=context.today)

    def export_rows(self, organisation):
        for f in (FollowUp.objects.filter(organisation=organisation, done_on__isnull=False).select_related("worker")
                  .order_by("worker__insz", "months")):
            yield {"insz": f.worker.insz, "months": f.months, **{k: getattr(f, k) for k in FOLLOWUP_FIELDS}}
