"""What a person calls the record of an audit entry: "Vertrouwelijk luik van Ahmed Benali", "Feedback week 47
(2026)", "Jaarverslag 2026", rather than the stored `object_type` and id ("indication.confidential #1").

One mapping for the whole trail. A model's own verbose name is used where it has one (the apps translate
them); `LABELS` names the object types that are not a model (a confidential read, an export) and the models
that have no verbose name of their own. `tests/audit/test_labels.py` fails when an audited type of the
portal has neither, so a new one cannot show up as an internal name.
"""

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.reports.registry import EXPORTERS

LABELS = {
    # Object types that are not a model.
    "indication.confidential": gettext_lazy("Confidential section"),
    "throughflow.readiness_notes": gettext_lazy("Notes of the readiness checks"),
    "export": gettext_lazy("Export"),
    "generated_file": gettext_lazy("Export in the background"),
    "yearly_report": gettext_lazy("Yearly report"),
    # Models without a (Dutch) verbose name of their own.
    "otp_totp.totpdevice": gettext_lazy("Authenticator app"),
    "otp_static.staticdevice": gettext_lazy("Recovery codes"),
    "otp_static.statictoken": gettext_lazy("Recovery code"),
    "indication.needsscore": gettext_lazy("Score of a needs assessment"),
    "documents.documentcounter": gettext_lazy("Document numbering"),
    "documents.documentbatch": gettext_lazy("Batch of attestations"),
    "documents.issueddocument": gettext_lazy("Attestation"),
    "pop.competencelevel": gettext_lazy("Competence level"),
    "pop.pop": gettext_lazy("POP"),
    "pop.popversion": gettext_lazy("POP version"),
    "pop.popcompetence": gettext_lazy("POP competence"),
    "pop.improvementaction": gettext_lazy("Improvement action"),
    "pop.yearlyreview": gettext_lazy("Yearly POP review"),
    "pop.popschedule": gettext_lazy("POP deadlines"),
    "pop.weeklyfeedback": gettext_lazy("Feedback"),
    "pop.queuedfeedback": gettext_lazy("Feedback"),
    "pop.feedbackrating": gettext_lazy("Feedback rating"),
    "pop.feedbackdraft": gettext_lazy("Feedback draft"),
    "pop.feedbackpreference": gettext_lazy("Feedback settings"),
    "pop.training": gettext_lazy("Training"),
    "reports.generatedfile": gettext_lazy("Export in the background"),
    "imports.importrun": gettext_lazy("Import of records"),
    "alerts.alert": gettext_lazy("Alert"),
    "alerts.alertrecipient": gettext_lazy("Alert recipient"),
    "alerts.alertsettings": gettext_lazy("Alert settings"),
    "alerts.alertpreference": gettext_lazy("Alert preference"),
    "alerts.digestlog": gettext_lazy("E-mail digest"),
}

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def type_label(object_type: str) -> str:
    """The record type as staff call it, capitalised ("Vertrouwelijk luik", "Traject")."""
    if object_type in LABELS:
        return str(LABELS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


def type_labels(object_types) -> dict[str, str]:
    return {t: type_label(t) for t in object_types}


def _detail(entry) -> str:
    """The part of the name that tells two records of one type apart, from the entry itself (no query)."""
    if entry.object_type == "pop.weeklyfeedback":
        # pop.services writes the week's ISO label ("2026-W47") as the entry's summary.
        match = _ISO_WEEK.match(entry.summary or "")
        if match:
            return _("week %(week)s (%(year)s)") % {"week": int(match.group(2)), "year": match.group(1)}
    if entry.object_type == "yearly_report":
        return entry.object_id
    if entry.object_type == "export":
        exporter = EXPORTERS.get(entry.object_id)
        return f"“{exporter.label}”" if exporter else ""
    return ""


def record_name(entry, worker_name: str = "", worker_url: str = ""):
    """"Vertrouwelijk luik van <worker>" (the worker linked when a URL is given), "Feedback week 47 (2026)"."""
    label = type_label(entry.object_type)
    detail = _detail(entry)
    record = f"{label} {detail}" if detail else label
    if not worker_name:
        return record
    worker = format_html('<a href="{}">{}</a>', worker_url, worker_name) if worker_url else worker_name
    return format_html(_("{record} of {worker}"), record=record, worker=worker)


def _field(model, name):
    """The model field an entry's change names; a service may record a change of the record's parent with it
    (a suspension moves its trajectory's planned end), so the models it points to are tried next."""
    if model is None:
        return None

    parents = [f.related_model for f in model._meta.fields if f.many_to_one and f.related_model is not None]
    for candidate_model in (model, *parents):
        for candidate in (name, name.removesuffix("_id")):
            try:
                return candidate_model._meta.get_field(candidate)
            except FieldDoesNotExist:
                continue
    return None


def _value(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and (match := _ISO_DATE.match(value)):
        return f"{match[3]}/{match[2]}/{match[1]}"
    return str(value)


def changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) of an entry's changes as staff read them: the field's own (translated) name,
    a choice's label and dates as dd/mm/yyyy ("Regime: CMW → IMW (5 jaar, hernieuwbaar)"), never the stored
    field and value ("regime: CMW → IMW_5Y")."""
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        old, new = (list(values) + [None, None])[:2] if isinstance(values, (list, tuple)) else (None, values)
        label = capfirst(str(field.verbose_name)) if field is not None and hasattr(field, "verbose_name") else name
        rows.append((label, _value(field, old), _value(field, new)))
    return rows
