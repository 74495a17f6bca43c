"""The import engine: every table of a file through its sheet, row by row, inside one transaction.

- The sheets run in `registry.sheets()` order (workers before contracts before trajectories), so a row may
  refer to a worker an earlier sheet of the same file creates.
- Each row runs in its own savepoint: a refused row leaves nothing behind, the others go on. An all-or-nothing
  import (the dry run before it found no refused row, as a rule) first runs without them: a savepoint per row
  only serves to go on after a refusal. At the first refused row it rolls back and runs again with them, so its
  counts and messages are those of every row.
- A dry run is the real import, rolled back at the end: its counts and messages are the services' own.
- All-or-nothing by default: one refused row and the whole transaction is rolled back. With `skip_invalid`
  the valid rows are kept.
- A written import records every record it brought (the rows' own and what the services made along with
  them) with a marker of its state, for the undo.
"""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from lde_portal.alerts.scan import scan_organisation
from lde_portal.alerts.services import refresh_deferred
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_batched, audit_flush, audit_record, snapshot
from lde_portal.transactions import savepoints_by_caller

from . import mapping as mapping_mod
from .constraints import judged_in_python
from .models import ImportedRecord, ImportMapping
from .reading import FileRefused, open_reader
from .registry import RowError, Sheet, sheets
from .values import CellError, parse_cell

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 200
# Records of these apps follow the imported ones without being part of them: an alert raised on an imported
# worker, the audit trail. They neither block the undo nor are they kept as the import's.
UNDO_IGNORED_APPS = {"alerts", "audit", "contenttypes", "sessions"}
KEEP_ERRORS, KEEP_CHANGES, KEEP_WARNINGS = 20_000, 2_000, 2_000


@dataclass
class ImportContext:
    """What `Sheet.apply` gets besides the row (registry.Sheet.apply)."""

    organisation: Any
    membership: Any
    today: datetime.date
    dry_run: bool = True
    run: Any = None
    cache: dict = field(default_factory=dict)

    @property
    def user(self):
        return getattr(self.membership, "user", None)


class _Rollback(Exception):
    pass


class _Refused(Exception):
    pass


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else \
            value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def saved_mapping(organisation) -> dict[str, dict[str, str]]:
    saved: dict[str, dict[str, str]] = {}
    for row in ImportMapping.objects.filter(organisation=organisation):
        saved.setdefault(row.sheet, {})[row.header] = row.column
    return saved


def plan(reader, *, organisation=None, forced_sheet: str = "", mapping: dict | None = None):
    """(plans, warnings): each table of the file matched to a sheet, its headers mapped."""
    saved = saved_mapping(organisation) if organisation is not None else {}
    for key, answers in (mapping or {}).items():
        saved.setdefault(key, {}).update(answers)
    plans, warnings = [], []
    tables = reader.tables(mapping_mod.known_headers())
    for table in tables:
        sheet = mapping_mod.match_sheet(table, forced=forced_sheet or None)
        if sheet is None:
            if mapping_mod.fold(table.name) not in {"instructies", "instructions", "uitleg"}:
                warnings.append({"sheet": table.name, "row": None, "message": _(
                    "The sheet '%(name)s' was not recognised as a kind of record and was left out.")
                    % {"name": table.name}})
            continue
        plans.append(mapping_mod.plan_table(sheet, table, saved.get(sheet.key, {})))
    if reader.kind == "csv" and not plans:
        raise FileRefused(_("The portal could not tell which kind of records this CSV file holds. Choose the "
                            "kind of records, or use the headers of the import workbook."))
    order = {s.key: i for i, s in enumerate(sheets())}
    plans.sort(key=lambda p: order.get(p.key, 0))
    return plans, warnings


def marker(instance) -> str:
    """A fingerprint of the record's stored values: the undo compares it to see whether it was edited since."""
    data = snapshot(instance)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _collect(using, objs) -> list:
    """What deleting `objs` would delete. A record another one protects (an activity its contracts name) is
    taken alone: the undo deletes the protecting records first (newest first)."""
    collector = Collector(using=using, origin=None)
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError):
        if len(objs) == 1:
            return list(objs)
        return [found for obj in objs for found in _collect(using, [obj])]
    found = [obj for instances_of in collector.data.values() for obj in instances_of]
    for qs in collector.fast_deletes:
        found.extend(qs)
    return found


def closure(instances) -> list:
    """The records the instances bring along: what deleting them would delete (their status lines, phases,
    suspensions …), the instances included, the ignored apps left out."""
    by_model: dict = {}
    for obj in instances:
        by_model.setdefault(type(obj), []).append(obj.pk)
    found = []
    for model, pks in by_model.items():
        using = router.db_for_write(model) or DEFAULT_DB_ALIAS
        for start in range(0, len(pks), 500):
            found.extend(_collect(using, list(model._base_manager.filter(pk__in=pks[start:start + 500]))))
    seen, unique = set(), []
    for obj in found:
        key = (obj._meta.label_lower, obj.pk)
        if key in seen or obj._meta.app_label in UNDO_IGNORED_APPS:
            continue
        seen.add(key)
        unique.append(obj)
    return unique


def _column_header(sheet: Sheet, key) -> str:
    if not key:
        return ""
    column = next((c for c in sheet.columns if c.key == key), None)
    return str(column.header) if column else str(key)


def _validation_messages(sheet, error: ValidationError):
    if hasattr(error, "error_dict"):
        for key, errors in error.message_dict.items():
            column = "" if key == NON_FIELD_ERRORS else _column_header(sheet, key) if any(
                c.key == key for c in sheet.columns) else ""
            for message in errors:
                yield column, message
    else:
        yield from (("", message) for message in error.messages)


class Engine:
    def __init__(self, *, organisation, membership, path, kind, filename="", dry_run=True, skip_invalid=False,
                 only_sheet="", forced_sheet="", mapping=None, today=None, run=None, progress=None):
        self.organisation, self.membership = organisation, membership
        self.path, self.kind, self.filename = path, kind, filename
        self.dry_run, self.skip_invalid = dry_run, skip_invalid
        self.only_sheet, self.forced_sheet, self.mapping = only_sheet, forced_sheet, mapping or {}
        self.today = today or timezone.localdate()
        self.run, self.progress = run, progress
        self._reset()

    def _reset(self):
        self.context = ImportContext(self.organisation, self.membership, self.today, dry_run=self.dry_run,
                                     run=self.run)
        self.result = {"dry_run": self.dry_run, "committed": False, "sheets": {}, "errors": [], "warnings": [],
                       "changes": [], "error_count": 0, "warning_count": 0, "change_count": 0}
        self.created: list[tuple[str, Any]] = []
        self.updated: list[Any] = []
        self.done = 0

    # --- bookkeeping
    def _counts(self, sheet):
        return self.result["sheets"].setdefault(sheet.key, {
            "label": str(sheet.label), "created": 0, "updated": 0, "unchanged": 0, "refused": 0})

    def _error(self, sheet, table, row, column, message):
        self.result["error_count"] += 1
        if len(self.result["errors"]) < KEEP_ERRORS:
            self.result["errors"].append({"sheet": sheet.key, "table": table.name, "row": row,
                                          "column": str(column or ""), "message": str(message)})

    def _warning(self, sheet_key, row, message):
        self.result["warning_count"] += 1
        if len(self.result["warnings"]) < KEEP_WARNINGS:
            self.result["warnings"].append({"sheet": sheet_key, "row": row, "message": str(message)})

    def _tick(self):
        self.done += 1
        if self.progress and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done)

    # --- the run
    def execute(self) -> dict:
        self.row_savepoints = self.dry_run or self.skip_invalid
        try:
            return self._execute()
        except _Refused:
            self.row_savepoints = True
            self._reset()
            return self._execute()

    def _execute(self) -> dict:
        with open_reader(self.path, self.kind, self.filename) as reader:
            plans, warnings = plan(reader, organisation=self.organisation, forced_sheet=self.forced_sheet,
                                   mapping=self.mapping)
            for w in warnings:
                self._warning(w["sheet"], w["row"], w["message"])
            if self.only_sheet:
                plans = [p for p in plans if p.key == self.only_sheet]
            try:
                # The services refresh a worker's alerts after each change by scanning the organisation: per row
                # that is quadratic in the file, so the import defers it and scans its workers once at the end.
                # A refused row is undone by its own savepoint (or the whole run), and no sheet goes on after a
                # service's refusal: the services need no savepoint of their own (lde_portal/transactions.py).
                # full_clean's check constraints are judged without a query each (constraints.py).
                # The audit entries are stored in bulk before the commit, or never when the run is rolled back.
                with transaction.atomic(), refresh_deferred() as pending, savepoints_by_caller(), \
                        judged_in_python(), audit_batched() as self.audit_entries:
                    for p in plans:
                        self._run_plan(p)
                    refused = sum(c["refused"] for c in self.result["sheets"].values())
                    if self.dry_run or (refused and not self.skip_invalid):
                        raise _Rollback
                    self._refresh_alerts(pending)
                    self._keep()
                    audit_flush(self.audit_entries)
                    self.result["committed"] = True
            except _Rollback:
                pass
        if self.progress:
            self.progress(self.done)
        return self.result

    def _run_plan(self, p):
        sheet, table = p.sheet, p.table
        counts = self._counts(sheet)
        for _position, header in p.unmapped:
            self._warning(sheet.key, table.header_row, _(
                "The column '%(header)s' was not recognised and was left out.") % {"header": header})
        if p.missing:
            names = ", ".join(_column_header(sheet, k) for k in p.missing)
            message = _("The required column %(columns)s is missing. Add it (or map it in the mapping step).") % {
                "columns": names}
            for _number, _cells in table.rows():
                counts["refused"] += 1
                self._tick()
            self._error(sheet, table, table.header_row, names, message)
            return
        columns = {c.key: c for c in sheet.columns}
        present = set(p.columns.values())
        for number, cells in table.rows():
            self._row(sheet, table, p, columns, present, number, cells, counts)
            self._tick()

    def _row(self, sheet, table, p, columns, present, number, cells, counts):
        values, problems = {}, []
        for position, key in p.columns.items():
            column = columns[key]
            raw = cells[position] if position < len(cells) else None
            try:
                values[key] = parse_cell(column, raw, organisation=self.organisation, cache=self.context.cache,
                                         today=self.today)
            except CellError as exc:
                problems.append((column.header, exc.message))
        for key, column in columns.items():
            if key not in present:
                values[key] = "" if column.kind == "text" else None
            if column.required and values.get(key) in (None, "") and not any(
                    h == column.header for h, _m in problems):
                problems.append((column.header, _("%(column)s is required.") % {"column": column.header}))
        outcome = None
        audited = len(self.audit_entries)
        if not problems:
            try:
                with transaction.atomic(savepoint=self.row_savepoints):
                    outcome = sheet.apply(self.context, values)
            except RowError as exc:
                problems.append((_column_header(sheet, exc.column), exc.message))
            except ValidationError as exc:
                problems.extend(_validation_messages(sheet, exc))
        if problems and not self.row_savepoints:
            # Without its savepoint the refused row's writes cannot be undone alone: run again with them.
            raise _Refused
        if problems:
            del self.audit_entries[audited:]  # rolled back with the row's savepoint
            counts["refused"] += 1
            for column, message in problems:
                self._error(sheet, table, number, column, message)
            return
        counts[outcome.action] += 1
        for message in outcome.warnings:
            self._warning(sheet.key, number, message)
        if outcome.action == "updated" and outcome.changes:
            self.result["change_count"] += 1
            if len(self.result["changes"]) < KEEP_CHANGES:
                self.result["changes"].append({"sheet": sheet.key, "row": number, "changes": [
                    [_column_header(sheet, k), display(old), display(new)] for k, (old, new) in
                    outcome.changes.items()]})
        self.created.extend((sheet.key, obj) for obj in outcome.created)
        self.updated.extend(outcome.updated)

    def _refresh_alerts(self, pending):
        """The one scan the deferred refreshes add up to: the workers the services asked to refresh, and the
        workers of every record the rows created or updated (a typed change of a contract refreshes nothing at
        once, but its worker's alerts follow the import's changes before it commits)."""
        records = [obj for _key, obj in self.created] + self.updated
        worker_ids = set(pending) | {getattr(obj, "worker_id", None) or (
            obj.pk if obj._meta.model_name == "worker" else None) for obj in records}
        worker_ids.discard(None)
        if worker_ids:
            scan_organisation(organisation=self.organisation, today=self.today, worker_ids=worker_ids)

    def _keep(self):
        """Record what the import brought, with markers, and write the import's one audit entry."""
        run = self.run
        if run is not None:
            direct_keys = {(obj._meta.label_lower, obj.pk): key for key, obj in self.created}
            records = []
            for obj in closure([obj for _key, obj in self.created]):
                label = (obj._meta.label_lower, obj.pk)
                records.append(ImportedRecord(
                    run=run, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                    marker=marker(obj), direct=label in direct_keys, sheet=direct_keys.get(label, "")))
            ImportedRecord.objects.bulk_create(records, batch_size=1000)
        counts = {k: {n: v for n, v in c.items() if n != "label"} for k, c in self.result["sheets"].items()}
        created = sum(c["created"] for c in counts.values())
        updated = sum(c["updated"] for c in counts.values())
        audit_record(actor=self.context.user, action=AuditAction.CREATE, organisation=self.organisation,
                     object_type="imports.importrun", object_id=str(run.pk) if run else "",
                     summary=f"Import {self.filename}: {created} created, {updated} updated"[:300],
                     changes={"sha256": [None, getattr(run, "sha256", "")], "sheets": [None, counts]})
