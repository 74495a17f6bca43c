"""Import sheets of the indication: VDAB advices and evaluation requests (lde_portal/imports/registry.py).

Never the confidential section (health, context problems, the ICF needs profile): it is not taken over from a
spreadsheet, and the export of this app leaves it out too.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _lazy

from lde_portal.imports.registry import Column, Outcome, Sheet, register_sheet
from trajects.imports import INSZ, actor_of, cached, changed, row_error, rule_set, spellings, worker_of

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


def _keyed_write(sheet, context, values, *, model, cache_key, natural, fields, default_column, create, update):
    """One record per worker and natural key: created through `create`, or its changed fields through `update`."""
    worker = worker_of(context, values)
    index = cached(context, cache_key, lambda: {
        (r.worker_id, *(getattr(r, k) for k in natural)): r
        for r in model.objects.filter(organisation=context.organisation).order_by("id")})
    key = (worker.pk, *(values[k] for k in natural))
    existing = index.get(key)
    wanted = {f: values.get(f) for f in fields if f in values}
    actor = actor_of(context)
    try:
        if existing is None:
            data = {**{k: values[k] for k in natural}, **{f: v for f, v in wanted.items() if v is not None}}
            index[key] = create(worker, actor, data)
            return Outcome("created", created=[index[key]])
        changes = changed({f: getattr(existing, f) for f in fields}, wanted)
        if not changes:
            return Outcome("unchanged")
        index[key] = update(existing, actor, {k: new for k, (_old, new) in changes.items()})
        return Outcome("updated", changes=changes)
    except ValidationError as exc:
        raise row_error(exc, {}, default=default_column, sheet=sheet) from None


ADVICE_FIELDS = ("issuing_body", "consultant_name", "referred_on", "valid_until", "destination",
                 "wage_premium_percent", "guidance_premium", "favourable", "note")


@register_sheet
class AdvicesSheet(Sheet):
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

    def apply(self, context, values):
        return _keyed_write(
            self, context, values, model=Advice, cache_key="indication.advices", natural=("type", "decision_date"),
            fields=ADVICE_FIELDS, default_column="decision_date",
            create=lambda worker, actor, data: services.advice_create(worker=worker, actor=actor, data=data,
                                                                      rules=rule_set(context)),
            update=lambda record, actor, data: services.advice_update(advice=record, actor=actor, data=data,
                                                                      rules=rule_set(context)))

    def export_rows(self, organisation):
        for a in (Advice.objects.filter(organisation=organisation).select_related("worker")
                  .order_by("worker__insz", "decision_date", "id")):
            yield {"insz": a.worker.insz, "type": a.type, "decision_date": a.decision_date,
                   **{f: getattr(a, f) for f in ADVICE_FIELDS}}


EVALUATION_FIELDS = ("exception_reason", "planned_visit", "outcome", "decision_date", "note")


@register_sheet
class EvaluationRequestsSheet(Sheet):
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

    def apply(self, context, values):
        return _keyed_write(
            self, context, values, model=EvaluationRequest, cache_key="indication.evaluations",
            natural=("reason", "requested_on"), fields=EVALUATION_FIELDS, default_column="requested_on",
            create=lambda worker, actor, data: services.evaluation_request_create(
                worker=worker, actor=actor, data=data, rules=rule_set(context)),
            update=lambda record, actor, data: services.evaluation_request_update(
                request=record, actor=actor, data=data, rules=rule_set(context)))

    def export_rows(self, organisation):
        for r in (EvaluationRequest.objects.filter(organisation=organisation).select_related("worker")
                  .order_by("worker__insz", "requested_on", "id")):
            yield {"insz": r.worker.insz, "reason": r.reason, "requested_on": r.requested_on,
                   **{f: getattr(r, f) for f in EVALUATION_FIELDS}}



