"""Benchmark of moving an organisation (issue #18), run in its own process by test_bench_import.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lde_bench_f1 python tests/perf/bench_import.py

The largest organisation of the factor-1 data (seeded and reused as in bench_scale.py) is exported in the
import workbook's layout and imported into an empty organisation: a dry run, then the import, timed per sheet
(rows per second), with the queries per row of the file, this process's CPU time, the growth of the peak
resident memory and the load average (the machine is shared: the load weighs more than most changes to the
import, and the CPU time does not count the waiting for a core). Everything it writes is
rolled back at the end, so the seeded database stays as it was; the one alert scan that follows a committed
import is timed apart.
BENCH_PROFILE=1 adds the 25 most expensive calls of the import. Prints one JSON document on stdout.
"""

import collections
import cProfile
import io
import json
import os
import pathlib
import pstats
import resource
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests/perf"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lde_portal.settings")


def log(message):
    print(message, file=sys.stderr, flush=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_sheets():
    """Wrap every sheet's apply to add up its time and rows."""
    from lde_portal.imports.registry import SHEETS

    spent, rows = collections.Counter(), collections.Counter()
    for sheet in SHEETS.values():
        original = type(sheet).apply

        def apply(self, context, values, original=original):
            started = time.perf_counter()
            try:
                return original(self, context, values)
            finally:
                spent[self.key] += time.perf_counter() - started
                rows[self.key] += 1

        type(sheet).apply = apply
    return spent, rows


class Rollback(Exception):
    pass


class QueryCount:
    """Counts the queries of a block (connection.execute_wrapper), without keeping them."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def main():
    import bench_scale
    import django

    django.setup()
    bench_scale.ensure_database(1, 2026)
    from django.db import connection, transaction

    from lde_portal.accounts.models import Organisation
    from lde_portal.alerts.services import alerts_refresh
    from tests.imports_roundtrip import copy_setup, export_workbook, import_workbook

    source = max(Organisation.objects.filter(slug__startswith="scale-"), key=lambda o: o.workers.count())
    out = {"organisation": source.slug, "workers": source.workers.count()}
    path = pathlib.Path(tempfile.mkdtemp()) / "records.xlsx"
    started = time.perf_counter()
    out["exported_rows"] = export_workbook(source, path)
    out["export_s"] = round(time.perf_counter() - started, 1)
    out["file_mb"] = round(path.stat().st_size / 1e6, 1)
    log(f"bench-import: {out['organisation']} exported in {out['export_s']} s: {out['exported_rows']}")
    spent, rows = timed_sheets()
    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    try:
        with transaction.atomic():
            target = copy_setup(source, slug="bench-import", name="Bench import")
            baseline = rss_mb()
            rows_in_file = sum(out["exported_rows"].values())
            started, cpu, queries = time.perf_counter(), time.process_time(), QueryCount()
            with connection.execute_wrapper(queries):
                dry = import_workbook(target, path, dry_run=True)
            out["dry_run_s"] = round(time.perf_counter() - started, 1)
            out["dry_run_cpu_s"] = round(time.process_time() - cpu, 1)
            out["dry_run_queries_per_row"] = round(queries.n / rows_in_file, 2)
            out["dry_run_errors"] = dry["errors"][:5]
            log(f"bench-import: dry run {out['dry_run_s']} s, {dry['error_count']} refused, "
                f"{out['dry_run_queries_per_row']} queries a row")
            spent.clear()
            rows.clear()
            if profile:
                profile.enable()
            started, cpu, queries = time.perf_counter(), time.process_time(), QueryCount()
            with connection.execute_wrapper(queries):
                result = import_workbook(target, path)
            out["import_s"] = round(time.perf_counter() - started, 1)
            out["import_cpu_s"] = round(time.process_time() - cpu, 1)
            out["import_queries_per_row"] = round(queries.n / rows_in_file, 2)
            if profile:
                profile.disable()
            out["import_errors"] = result["errors"][:5]
            out["committed"] = result["committed"]
            out["load_average"] = os.getloadavg()
            out["sheets"] = {key: {"rows": rows[key], "s": round(spent[key], 1),
                                   "rows_per_s": round(rows[key] / spent[key]) if spent[key] else None}
                             for key in rows}
            started = time.perf_counter()
            alerts_refresh(organisation=target, worker_ids=set(target.workers.values_list("pk", flat=True)))
            out["alert_scan_after_commit_s"] = round(time.perf_counter() - started, 1)
            out["peak_memory_growth_mb"] = round(rss_mb() - baseline, 1)
            raise Rollback
    except Rollback:
        pass
    if profile:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(25)
        out["profile"] = text.getvalue()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
