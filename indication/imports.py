"""Import sheets of the indication: VDAB advices and evaluation requests (lde_portal/imports/registry.py).

Never the confidential section (health, context problems, the ICF needs profile): it is not taken over from a
spreadsheet, and the export of this app leaves it out too.
"""

from django.utils.translation import gettext_lazy as _lazy

from lde_portal.imports.records import actor_of, spellings
from lde_portal.imports.registry import Column, register_sheet
from trajects.imports import INSZ, WorkerRecordSheet, rule_set

from . import services
from .models import (
    Advice,
    AdviceType,
    Destination,
    EvaluationOutcome,
    EvaluationReason,
    EvaluationRequest,
    GuidancePremium,
    IssuingBody,
)

ADVICE_FIELDS = ("issuing_body", "consultant_name", "referred_on", "valid_until", "destination",
                 "wage_premium_percent", "guidance_premium", "favourable", "note")


@register_sheet
class AdvicesSheet(WorkerRecordSheet):
    key = "advices"
    label = "VDAB-adviezen"
    description = _lazy("VDAB advices and decisions, matched on the worker, the type and the decision date.")
    order = 60
    columns = (
        INSZ,
        Column("type", "Soort advies", kind="choice", required=True,
               choices=spellings(AdviceType, {"LDE": "lde_advice", "IMW": "imw_attestation",
                                              "CMW": "cmw_start_package", "SINE": "sine_eligibility",
                                              "Doorstroom": "throughflow_decision"}),
               aliases=("Type", "Type advies", "Advies"), example="IMW"),
        Column("decision_date", "Beslissingsdatum", kind="date", required=True,
               aliases=("Datum beslissing", "Datum advies", "Datum"), example="15/08/2024"),
        Column("issuing_body", "Uitgereikt door", kind="choice", choices=spellings(IssuingBody),
               aliases=("Instantie", "Afgeleverd door"), help=_lazy("VDAB when empty."), example="VDAB"),
        Column("consultant_name", "Consulent", aliases=("VDAB-consulent", "Bemiddelaar"), example=""),
        Column("referred_on", "Doorverwezen op", kind="date", aliases=("Doorverwijzing",), example=""),
        Column("valid_until", "Geldig tot", kind="date", aliases=("Geldigheid", "Vervaldatum"), example=""),
        Column("destination", "Aanbevolen bestemming", kind="choice", choices=spellings(Destination),
               aliases=("Bestemming",), example="IMW"),
        Column("wage_premium_percent", "Loonpremie (%)", kind="integer", aliases=("Loonpremie",), example="40"),
        Column("guidance_premium", "Begeleidingspremie", kind="choice", choices=spellings(GuidancePremium),
               aliases=("Begeleiding",), example=""),
        Column("favourable", "Gunstig", kind="boolean", aliases=("Positief",), example="ja"),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )

    model, natural, compared = Advice, ("type", "decision_date"), ADVICE_FIELDS
    cache_key, default_column = "indication.advices", "decision_date"

    def create_with(self, context, worker, data):
        return services.advice_create(worker=worker, actor=actor_of(context), data=data, rules=rule_set(context))

    def update_with(self, context, record, data):
        return services.advice_update(advice=record, actor=actor_of(context), data=data, rules=rule_set(context))

    def export_rows(self, organisation):
        for a in (Advice.objects.filter(organisation=organisation).select_related("worker")
                  .order_by("worker__insz", "decision_date", "id")):
            yield {"insz": a.worker.insz, "type": a.type, "decision_date": a.decision_date,
                   **{f: getattr(a, f) for f in ADVICE_FIELDS}}


EVALUATION_FIELDS = ("exception_reason", "planned_visit", "outcome", "decision_date", "note")


@register_sheet
class EvaluationRequestsSheet(WorkerRecordSheet):
    key = "evaluations"
    label = "Evaluatieaanvragen"
    description = _lazy("VDAB evaluation requests, matched on the worker, the reason and the request date.")
    order = 65
    columns = (
        INSZ,
        Column("reason", "Reden", kind="choice", required=True,
               choices=spellings(EvaluationReason, {"Regulier": "regular", "Einde termijn": "end_of_term",
                                                    "Medisch": "early_medical", "Doorstroom": "throughflow_readiness"}),
               aliases=("Reden aanvraag", "Soort evaluatie"), example="Regulier"),
        Column("requested_on", "Aangevraagd op", kind="date", required=True,
               aliases=("Datum aanvraag", "Aanvraagdatum"), example="01/06/2028"),
        Column("exception_reason", "Reden uitzondering", aliases=("Uitzondering",),
               help=_lazy("Only needed when the request is earlier than the rules allow."), example=""),
        Column("planned_visit", "Gepland VDAB-bezoek", kind="date", aliases=("Bezoek VDAB", "Bezoek"), example=""),
        Column("outcome", "Uitkomst", kind="choice", choices=spellings(EvaluationOutcome),
               aliases=("Resultaat",), example=""),
        Column("decision_date", "Beslissingsdatum", kind="date", aliases=("Datum beslissing",), example=""),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )

    model, natural, compared = EvaluationRequest, ("reason", "requested_on"), EVALUATION_FIELDS
    cache_key, default_column = "indication.evaluations", "requested_on"

    def create_with(self, context, worker, data):
        return services.evaluation_request_create(worker=worker, actor=actor_of(context), data=data,
                                                  rules=rule_set(context))

    def update_with(self, context, record, data):
        return services.evaluation_request_update(request=record, actor=actor_of(context), data=data,
                                                  rules=rule_set(context))

    def export_rows(self, organisation):
        for r in (EvaluationRequest.objects.filter(organisation=organisation).select_related("worker")
                  .order_by("worker__insz", "requested_on", "id")):
            yield {"insz": r.worker.insz, "reason": r.reason, "requested_on": r.requested_on,
                   **{f: getattr(r, f) for f in EVALUATION_FIELDS}}



