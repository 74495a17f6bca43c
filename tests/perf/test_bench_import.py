"""Benchmark of moving an organisation (issue #18): the largest organisation of the factor-1 data exported and
re-imported into an empty organisation on PostgreSQL. Targets: dry run ≤ 60 s, import ≤ 120 s, peak memory
growth ≤ 200 MB. Not part of the normal suite (marker `perf`, `make bench`); reported, not asserted.
Writes artifacts/bench-import.json."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.perf]
ROOT = pathlib.Path(__file__).resolve().parents[2]
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
DRY_RUN_S, IMPORT_S, MEMORY_MB = 60, 120, 200


def test_move_the_largest_organisation():
    env = {**os.environ, "DATABASE_URL": os.environ.get("BENCH_IMPORT_DATABASE_URL",
                                                        BASE_URL.rstrip("/") + "/lde_bench_f1")}
    done = subprocess.run([sys.executable, str(ROOT / "tests/perf/bench_import.py")], env=env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.fail(f"import bench failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts/bench-import.json").write_text(json.dumps(result, indent=2))
    print(f"\n{result['organisation']}: {result['workers']} workers, export {result['export_s']} s "
          f"({result['file_mb']} MB)")
    for name, value, target in (("dry run", result["dry_run_s"], DRY_RUN_S), ("import", result["import_s"], IMPORT_S),
                                ("peak memory growth", result["peak_memory_growth_mb"], MEMORY_MB)):
        print(f"  {name:<20}{value:>8}  target ≤ {target}  {'ok' if value <= target else 'OVER'}")
    for key, sheet in result["sheets"].items():
        print(f"  {key:<20}{sheet['rows']:>8} rows {sheet['s']:>7} s {sheet['rows_per_s'] or '-':>6} rows/s")
    assert not result["import_errors"], result["import_errors"]
