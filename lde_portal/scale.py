"""Sector-scale data generation (`manage.py seed_scale`, issue #10): the shared bulk writer and context.

Each app contributes its own rows through `<app>/scale.py` (`build(ctx)`, then `finish(ctx)` once every
row is written), discovered in INSTALLED_APPS order like the demo seeders, so the platform never
imports the domain. Rows are written with explicit primary keys allocated here (max(id) + 1 onwards),
which keeps the output deterministic for a seed and lets children name their parents without a
round trip. PostgreSQL gets the rows through COPY (a million feedback rows in seconds); other
databases through bulk_create, which is fine at the small factors the tests use.
"""

import datetime
import io
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

# COPY text format: backslash, tab, newline and carriage return must be escaped in values.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


class _Table:
    def __init__(self, model, now):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.blank and isinstance(f, (models.CharField, models.TextField, models.FileField)):
                self.defaults[f.attname] = ""
        self.pk_attname = model._meta.pk.attname
        self.buffer = io.StringIO() if connection.vendor == "postgresql" else []
        self.pending = 0
        self.written = 0
        self.next_id = None


class BulkWriter:
    """Collects rows per model and writes them in large batches (COPY on PostgreSQL)."""

    def __init__(self, *, flush_rows: int = 50_000, now=None):
        self.flush_rows = flush_rows
        self.now = now or timezone.now()
        self.tables: dict[type, _Table] = {}
        self.copy = connection.vendor == "postgresql"

    def _table(self, model) -> _Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = _Table(model, self.now)
            last = model.objects.aggregate(m=models.Max(model._meta.pk.attname))["m"] or 0
            table.next_id = last + 1
        return table

    def add(self, model, **values) -> int:
        """Queue one row (values by attname, e.g. `worker_id`); returns its primary key."""
        table = self._table(model)
        pk = values.get(table.pk_attname)
        if pk is None:
            pk = values[table.pk_attname] = table.next_id
            table.next_id += 1
        defaults = table.defaults
        try:
            row = [values[a] if a in values else defaults[a] for a in table.attnames]
        except KeyError as exc:
            raise ValueError(f"{model.__name__}: no value for {exc.args[0]}") from None
        if self.copy:
            table.buffer.write("\t".join(_copy_text(v) for v in row))
            table.buffer.write("\n")
        else:
            table.buffer.append(dict(zip(table.attnames, row, strict=True)))
        table.pending += 1
        if table.pending >= self.flush_rows:
            self._flush(table)
        return pk

    def _flush(self, table: _Table):
        if not table.pending:
            return
        if self.copy:
            columns = ", ".join(connection.ops.quote_name(f.column) for f in table.fields)
            with connection.cursor() as cursor, cursor.copy(
                    f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write(table.buffer.getvalue())
            table.buffer = io.StringIO()
        else:
            # Small factors only (the tests): bulk_create stamps auto_now fields with the clock, which is fine.
            table.model.objects.bulk_create([table.model(**values) for values in table.buffer], batch_size=500)
            table.buffer = []
        table.written += table.pending
        table.pending = 0

    def flush(self):
        for table in self.tables.values():
            self._flush(table)

    def finish(self):
        """Write what is left and move the id sequences past the explicit keys (PostgreSQL)."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables.values()])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def counts(self) -> dict:
        return {t.model._meta.label: t.written + t.pending for t in self.tables.values()}


@dataclass
class ScaleContext:
    """What the apps' scale seeders share: the writer, the clock, the randomness and what earlier apps made.

    `rng(name)` gives a private random stream per purpose, so one app drawing a number more or less
    never changes what another app generates. Apps hang their own plans on `data`.
    """

    factor: float
    seed: int
    today: datetime.date
    writer: BulkWriter
    stdout: object = None
    data: dict = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.factor))

    def log(self, message: str):
        if self.stdout is not None:
            self.stdout.write(message)
