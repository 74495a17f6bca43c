"""The worker register's part of subject access and retention (issue #11, docs/domain.md §7).

Registered in TrajectsConfig.ready() with lde_portal.privacy.
"""

import hashlib
import hmac

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from lde_portal.privacy.models import Pseudonymisation
from lde_portal.privacy.registry import PROVIDERS
from lde_portal.privacy.retention import RetentionItem
from lde_portal.privacy.services import mark_pseudonymised

from .models import CoachAssignment, Employment, StatusChange, Worker, WorkerStatus

WORKER_FIELDS = [
    "first_name", "last_name", "insz", "birth_date", "gender", "street", "postal_code", "municipality", "phone",
    "email", "preferred_language", "education_level", "interpreter_needed", "emergency_contact_name",
    "emergency_contact_phone", "status", "status_since",
]


def _record(instance, fields):
    record = {}
    for name in fields:
        field = instance._meta.get_field(name)
        display = getattr(instance, f"get_{name}_display", None)
        value = display() if display and getattr(instance, name) not in (None, "") else getattr(instance, name)
        record[str(field.verbose_name)] = value
    return record


SKIP_FIELDS = {"id", "organisation", "worker", "version", "created_at", "updated_at"}


def _generic_record(instance):
    record = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIP_FIELDS or not getattr(field, "verbose_name", None):
            continue
        if field.is_relation:
            value = getattr(instance, field.name)
            value = str(value) if value is not None else None
        elif field.choices:
            value = getattr(instance, f"get_{field.name}_display")()
        else:
            value = getattr(instance, field.attname)
            if isinstance(value, FieldFile):  # an uploaded file: its stored name, not its bytes
                value = value.name or None
        record[str(field.verbose_name)] = value
    return record


def _other_sections(worker, covered):
    """Everything else kept about the worker (trajectories and their suspensions, extensions, phases,
    deadlines; POPs, actions, feedback, trainings; ...), found through the foreign keys to Worker and one
    level further, so a model added later cannot be forgotten in a subject-access file. Apps that register
    their own subject-access provider (e.g. indication) present their data themselves and are skipped."""
    own_providers = set(PROVIDERS) - {"trajects"}
    sections, seen = [], set(covered) | {Worker}
    queue = [(rel.related_model, {rel.field.name: worker}) for rel in Worker._meta.related_objects]
    for model, lookup in queue:
        if model in seen or model._meta.app_label in own_providers:
            continue
        seen.add(model)
        rows = list(model._default_manager.filter(**lookup))
        sections.append((str(model._meta.verbose_name_plural).capitalize(), [_generic_record(r) for r in rows]))
        ids = [r.pk for r in rows]
        for rel in model._meta.related_objects:
            if rel.related_model not in seen:
                queue.append((rel.related_model, {f"{rel.field.name}__in": ids}))
    return sections


def subject_data(worker):
    employments = Employment.objects.filter(worker=worker).select_related("activity")
    assignments = CoachAssignment.objects.filter(worker=worker).select_related("coach__user")
    changes = StatusChange.objects.filter(worker=worker).select_related("created_by")
    return [
        (_("Personal details"), [_record(worker, WORKER_FIELDS)]),
        (_("Employments"), [
            _record(e, ["activity", "contract_start", "contract_end", "contract_type", "weekly_hours", "fte"])
            for e in employments
        ]),
        (_("Coaches"), [
            {_("coach"): str(a.coach.user), _("role"): a.get_role_display(), _("from"): a.start, _("until"): a.end}
            for a in assignments
        ]),
        (_("Status history"), [
            {_("status"): c.get_status_display(), _("date"): c.date, _("note"): c.note,
             _("recorded by"): str(c.created_by) if c.created_by else ""}
            for c in changes
        ]),
        *_other_sections(worker, {Employment, CoachAssignment, StatusChange}),
    ]


def insz_stub(worker) -> str:
    """An HMAC-SHA256 keyed with PORTAL_PSEUDONYM_KEY in place of the INSZ: unique per worker (so the unique
    constraint holds and a re-registration is a new person). There are only about 10^8 plausible INSZ
    numbers, so the key is what keeps a stub from being reversed by trying them all; lde_portal/checks.py
    refuses the demo key in production. 10 characters, so it can never be mistaken for an 11-digit INSZ.
    Stubs made before the key was introduced (keyed with SECRET_KEY) keep their value: nothing recomputes
    or compares a stub, it only has to stay unique."""
    digest = hmac.new(settings.PORTAL_PSEUDONYM_KEY.encode(), f"{worker.pk}:{worker.insz}".encode(),
                      hashlib.sha256).hexdigest()
    return "X" + digest[:9]


def pseudonymise(worker: Worker) -> None:
    """Names, INSZ, address and contact details replaced; status, dates, gender, birth year, municipality
    and the related rows stay, so counts and throughflow figures do not change."""
    Worker.objects.filter(pk=worker.pk).update(
        first_name="Werknemer", last_name=f"#{worker.pk}", insz=insz_stub(worker),
        birth_date=worker.birth_date.replace(month=1, day=1), street="", phone="", email="",
        emergency_contact_name="", emergency_contact_phone="", version=worker.version + 1,
    )
    # Free-text notes may name the person or their circumstances.
    StatusChange.objects.filter(worker=worker).update(note="")


def _pseudonymised_ids():
    return Pseudonymisation.objects.values("worker_id")


def find_expired_workers(organisation, today, policy):
    cutoff = today - relativedelta(months=policy.pseudonymise_months)
    workers = (Worker.objects.filter(organisation=organisation, status=WorkerStatus.EXITED, status_since__lte=cutoff)
               .exclude(pk__in=_pseudonymised_ids()).order_by("status_since", "id"))
    return [
        RetentionItem(
            object_type="trajects.worker", object_id=str(w.pk), action="pseudonymise", worker_id=w.pk,
            description=_("%(name)s (exited %(date)s): names, INSZ and contact details replaced by a pseudonym")
            % {"name": w.full_name, "date": w.status_since.strftime("%d/%m/%Y")},
            due=w.status_since + relativedelta(months=policy.pseudonymise_months),
        )
        for w in workers
    ]


def apply_expired_workers(items):
    for worker in Worker.objects.filter(pk__in=[int(i.object_id) for i in items]):
        pseudonymise(worker)
        mark_pseudonymised(organisation_id=worker.organisation_id, worker_id=worker.pk,
                           reason=Pseudonymisation.Reason.RETENTION)


def erase_worker(worker):
    pseudonymise(worker)
