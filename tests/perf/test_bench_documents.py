"""Benchmark: attestation render time (issue #8 target: median ≤ 0.5 s on this machine).

Not part of the normal suite (marker `perf`); run with `make bench`. Prints a table and writes
artifacts/bench-documents.json. Timings are reported, not asserted: the target is checked by reading them.
"""

import json
import pathlib
import statistics
import time

import pytest

from lde_portal.documents import services
from lde_portal.documents.rendering import render_pdf

pytestmark = [pytest.mark.perf, pytest.mark.django_db]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"
RUNS = 15


def test_attestation_render_time(personas):
    results = {}
    for kind, data in [
        ("experience_attestation", {"role": "Fietshersteller", "main_tasks": "Banden vervangen, remmen afstellen.",
                                    "language": "nl"}),
        ("reference_letter", {"body": "Jamal werkte vier jaar nauwgezet en stipt in ons fietspunt.", "language": "nl"}),
    ]:
        context = services.document_preview_context(kind=kind, worker=personas.worker, membership=personas.coordinator,
                                                    data=data)
        context["doc"] = {**context.get("doc", {}), "number": "BENCH-2026-000001"}
        render_pdf(kind, context)  # warm-up: fonts, templates
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            render_pdf(kind, context)
            timings.append(time.perf_counter() - start)
        results[kind] = {"runs": RUNS, "median_s": round(statistics.median(timings), 4),
                         "p95_s": round(sorted(timings)[int(0.95 * (RUNS - 1))], 4), "target_median_s": 0.5}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bench-documents.json").write_text(json.dumps(results, indent=2))
    print("\nkind                      median    p95   (target median <= 0.5 s)")
    for kind, r in results.items():
        print(f"{kind:<25} {r['median_s']:>6.3f} {r['p95_s']:>6.3f}")
