"""Benchmark: the coach's team screen on a phone (issue #21 targets: ≤ 150 KB transferred on the first load, and
under a second to open from the phone without a network).

Not part of the normal suite (marker `perf`); run with `make bench`. Prints a table and writes
artifacts/bench-offline.json. The figures are reported, not asserted: the targets are checked by reading them.
"""

import base64
import gzip
import json
import pathlib
import statistics

import pytest

from tests.e2e.conftest import browser, log_in  # noqa: F401 — the session's Chromium
from tests.e2e.test_offline import PHONE, _kitchen, _open_controlled

pytestmark = [pytest.mark.perf, pytest.mark.django_db(transaction=True)]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts"
RUNS = 5
NINE = [("Yusuf", "Amrani"), ("Nora", "De Smet"), ("Tom", "Claes"), ("Ines", "Maes"), ("Kofi", "Mensah"),
        ("Lina", "Jacobs"), ("Omar", "Haddad"), ("Eva", "Wouters"), ("Bram", "Peeters")]


def test_team_screen_on_a_phone_first_load_and_from_the_cache(browser, live_server):  # noqa: F811
    _kitchen(names=NINE)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.base = live_server.url
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append((event["requestId"], event["encodedDataLength"])))
    page.goto(page.base + "/accounts/login/?next=/stroom/feedback/")
    cdp.send("Network.clearBrowserCache")
    received.clear()
    page.fill("#id_username", "mehdi@example.org")
    page.fill("#id_password", "correct horse battery staple")
    with page.expect_navigation(url="**/stroom/feedback/"):
        page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    first_load = sum(size for _id, size in received)
    # The test server compresses nothing; production serves static files compressed (whitenoise's
    # CompressedManifestStaticFilesStorage, README "Settings") or behind a compressing proxy.
    compressed = 0
    for request_id, size in received:
        try:
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
        except Exception:  # noqa: BLE001 — a redirect has no body: count what went over the wire
            compressed += size
            continue
        raw = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
        compressed += len(gzip.compress(raw, 9))
    _open_controlled(page, page.url)
    context.set_offline(True)
    timings = []
    for _ in range(RUNS):
        page.reload()
        page.wait_for_load_state("load")
        timings.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
    context.close()
    results = {"first_load_kb": round(first_load / 1024, 1), "first_load_gzip_kb": round(compressed / 1024, 1),
               "target_first_load_kb": 150,
               "from_cache_median_s": round(statistics.median(timings), 3),
               "from_cache_max_s": round(max(timings), 3), "target_from_cache_s": 1.0, "runs": RUNS, "workers": 9}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bench-offline.json").write_text(json.dumps(results, indent=2))
    print(f"\nteam screen, phone, 9 workers: first load {results['first_load_kb']} KB uncompressed, "
          f"{results['first_load_gzip_kb']} KB gzip (target <= 150 KB); "
          f"from the cache offline median {results['from_cache_median_s']} s, max {results['from_cache_max_s']} s "
          f"(target < 1 s)")
