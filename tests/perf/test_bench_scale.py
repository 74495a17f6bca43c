"""Benchmark at sector scale (issue #10): key pages, the daily alert scan and exports at factor 0.1 and 1.

Not part of the normal suite (marker `perf`); run with `make bench`. Needs PostgreSQL: the databases
`lde_bench_f01` and `lde_bench_f1` are created on the server of BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/) and seeded with `seed_scale` the first time (factor 1: a few
minutes), then reused. Each factor runs in its own process (tests/perf/bench_scale.py) against its own
database. Prints a table and writes artifacts/bench.json. Timings are reported, not asserted: the
targets are checked by reading them (the "ok" column).
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.perf]
ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
FACTORS = [float(f) for f in os.environ.get("BENCH_FACTORS", "0.1,1").split(",")]
PAGE_MEDIAN_MS, PAGE_P95_MS, FLOOR_TIMES, GROWTH = 60, 150, 4, 1.5
SCAN_S, EXPORT_ROWS_S, EXPORT_MB, PDF_S = 30, 10_000, 100, 0.5
TRIVIAL = "trivial (alert preferences)"


def db_name(factor):
    return "lde_bench_f" + f"{factor:g}".replace(".", "")


def run_factor(factor):
    if not BASE_URL.startswith(("postgres://", "postgresql://")):
        pytest.fail("BENCH_DATABASE_URL must be a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/")
    env = {**os.environ, "DATABASE_URL": BASE_URL.rstrip("/") + "/" + db_name(factor)}
    done = subprocess.run([sys.executable, str(ROOT / "tests/perf/bench_scale.py"), "--factor", str(factor)],  # noqa: S603
                          env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    sys.stderr.write("".join(line + "\n" for line in done.stderr.splitlines() if not line.startswith("Alert scan")))
    if done.returncode:
        pytest.fail(f"bench at factor {factor} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sector_scale():
    results = {f"{f:g}": run_factor(f) for f in FACTORS}
    documents = ARTIFACTS / "bench-documents.json"
    attestation = json.loads(documents.read_text()) if documents.exists() else {}
    big, small = results[f"{max(FACTORS):g}"], results[f"{min(FACTORS):g}"]
    floor = big["pages"][TRIVIAL]["median_ms"]
    lines = [f"\nfactor {' / '.join(results)}: largest organisation "
             + " / ".join(f"{r['largest_org']['workers']} workers (caseload {r['largest_org']['coach_caseload']})"
                          for r in results.values()),
             f"{'page':<30}" + "".join(f"{'f' + k + ' med':>10}{'p95':>8}{'q':>5}" for k in results)
             + f"{'f1/f0.1':>9}  ok"]
    verdicts = {}
    for name in big["pages"]:
        row = f"{name:<30}"
        for r in results.values():
            page = r["pages"][name]
            row += f"{page['median_ms']:>10.1f}{page['p95_ms']:>8.1f}{page['queries']:>5}"
        b, s = big["pages"][name], small["pages"][name]
        growth = b["median_ms"] / s["median_ms"] if s["median_ms"] else 0
        ok = (name == TRIVIAL or (b["median_ms"] <= PAGE_MEDIAN_MS and b["p95_ms"] <= PAGE_P95_MS
                                  and b["median_ms"] <= FLOOR_TIMES * floor)) \
            and growth <= GROWTH and b["queries"] == s["queries"]
        verdicts[name] = ok
        lines.append(f"{row}{growth:>9.2f}  {'yes' if ok else 'NO'}")
    for k, r in results.items():
        scan = r["alert_scan"]
        lines.append(f"alert scan f{k}: {scan['organisations']} organisations in {scan['seconds']:.1f} s"
                     + (f"  ok={'yes' if scan['seconds'] <= SCAN_S else 'NO'}" if r is big else ""))
        for fmt, e in r["exports"].items():
            ok = e["rows_per_s"] >= EXPORT_ROWS_S and e["peak_mb"] <= EXPORT_MB
            lines.append(f"export {fmt} f{k}: {e['rows']} rows, {e['rows_per_s']} rows/s, peak {e['peak_mb']} MB"
                         + (f"  ok={'yes' if ok else 'NO'}" if r is big else ""))
        lines.append(f"seed f{k}: {r['seed_seconds']:.0f} s ({r['workers']} workers, {r['feedback_rows']} feedback rows)")
    for kind, r in attestation.items():
        lines.append(f"attestation {kind}: median {r['median_s']:.3f} s  ok={'yes' if r['median_s'] <= PDF_S else 'NO'}")
    print("\n".join(lines))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bench.json").write_text(json.dumps({
        "targets": {"page_median_ms": PAGE_MEDIAN_MS, "page_p95_ms": PAGE_P95_MS, "floor_times": FLOOR_TIMES,
                    "growth": GROWTH, "scan_s": SCAN_S, "export_rows_per_s": EXPORT_ROWS_S,
                    "export_peak_mb": EXPORT_MB, "pdf_median_s": PDF_S},
        "factors": results, "attestation": attestation, "pages_ok": verdicts}, indent=2))
