"""Sector-scale benchmark of one factor, run in its own process by test_bench_scale.py (issue #10).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lde_bench_f1 python tests/perf/bench_scale.py --factor 1

The database is created, migrated and seeded (`seed_scale`) on first use; a marker table keeps the key
of what was seeded (factor, seed and a hash of the scale seeders), so later runs reuse it: new migrations
(an index, a column) are applied to the cached database with `migrate`, and only a change to a seeder
reseeds. Prints one JSON document on stdout.
"""

import argparse
import datetime
import hashlib
import json
import os
import pathlib
import statistics
import sys
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lde_portal.settings")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
WARMUP = 3


def log(message):
    print(message, file=sys.stderr, flush=True)


def seed_key(factor, seed) -> str:
    digest = hashlib.sha256(f"{factor}:{seed}".encode())
    skip = {".venv", ".git", "tests", "static", "templates", "media", "artifacts", "locale", "docs", "staticfiles"}
    files = [ROOT / "lde_portal/accounts/management/commands/seed_scale.py"]
    for top in sorted(p for p in ROOT.iterdir() if p.is_dir() and p.name not in skip):
        files += sorted(top.glob("**/scale.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_database(factor, seed):
    """Create the database if needed, and (re)seed it unless its marker matches. Returns seconds spent seeding."""
    import django
    import psycopg
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench: DATABASE_URL must point to PostgreSQL (the targets are measured on PostgreSQL)")
    params = {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or None,
              "password": db.get("PASSWORD") or None}
    key = seed_key(factor, seed)
    admin = psycopg.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        exists = cur.fetchone() is not None
    if exists:
        conn = psycopg.connect(dbname=db["NAME"], **params)
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('bench_marker')")
            marker = None
            if cur.fetchone()[0]:
                cur.execute("SELECT key FROM bench_marker")
                row = cur.fetchone()
                marker = row[0] if row else None
        conn.close()
        if marker == key:
            from django.core.management import call_command

            admin.close()
            call_command("migrate", verbosity=0)
            log(f"bench: {db['NAME']} is seeded (key {key}), reused (migrations applied)")
            return None
        log(f"bench: {db['NAME']} holds other data (key {marker}, wanted {key}): recreated")
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE "{db["NAME"]}"')
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
    admin.close()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    call_command("seed_scale", factor=factor, seed=seed)
    seeded = time.perf_counter() - migrated
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_marker (key text, seeded_s real, seeded_at timestamptz DEFAULT now())")
        cur.execute("INSERT INTO bench_marker (key, seeded_s) VALUES (%s, %s)", [key, seeded])
        cur.execute("ANALYZE")
    log(f"bench: migrated in {migrated - started:.0f} s, seeded in {seeded:.0f} s")
    return seeded


def _client(membership):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lde_portal.accounts.twofactor import requires_2fa

    client = Client()
    client.force_login(membership.user)
    if requires_2fa(membership.user):
        device = TOTPDevice.objects.filter(user=membership.user, confirmed=True).first() or \
            TOTPDevice.objects.create(user=membership.user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _prepare_page(client, url):
    """Warm-up requests, then the query count of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)  # captured_queries reads the connection's log lazily: count before it is reset


def _summary(url, timings, n_queries):
    timings = sorted(timings)
    return {"url": url, "runs": len(timings), "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[max(0, round(0.95 * len(timings)) - 1)], 1), "queries": n_queries}


def personas():
    """The largest organisation and a realistic member of each role in it."""
    from django.db.models import Count, Q

    from lde_portal.accounts.models import Membership, Organisation
    from pop.models import PopVersion, WeeklyFeedback
    from trajects.models import CoachAssignment, Worker

    org = Organisation.objects.annotate(n=Count("workers")).order_by("-n", "pk").first()
    members = Membership.objects.filter(organisation=org, active=True).select_related("user", "organisation")
    today = datetime.date.today()
    caseload = dict(CoachAssignment.objects.filter(Q(end__isnull=True) | Q(end__gte=today), organisation=org)
                    .values_list("coach_id").annotate(n=Count("id")))
    # The organisation's first coach: seed_scale gives them the same caseload at every factor (trajects.scale).
    coach = min((m for m in members if m.role == "coach"), key=lambda m: m.pk)
    coordinator = next(m for m in members if m.role == "coordinator")
    manager = next(m for m in members if m.role == "manager")
    active = Worker.objects.filter(organisation=org, status="active")
    feedback_worker = (WeeklyFeedback.objects.filter(worker__in=active).values("worker_id")
                       .annotate(n=Count("id")).order_by("-n", "worker_id").first()["worker_id"])
    pop_worker = (PopVersion.objects.filter(pop__worker__in=active).values("pop__worker_id")
                  .annotate(n=Count("id")).order_by("-n", "pop__worker_id").first()["pop__worker_id"])
    activity = org.activities.order_by("pk").first()
    return {"org": org, "coach": coach, "coordinator": coordinator, "manager": manager,
            "caseload": caseload.get(coach.pk, 0), "dossier_worker": feedback_worker, "pop_worker": pop_worker,
            "activity": activity.pk, "workers": Worker.objects.filter(organisation=org).count()}


def measure_pages(p):
    s = p["org"].slug
    clients = {role: _client(p[role]) for role in ("coach", "coordinator", "manager")}
    pages = [
        ("trivial (alert preferences)", "coordinator", f"/{s}/alerts/preferences/"),
        ("coach home", "coach", f"/{s}/"),
        ("worker list, filtered", "coordinator", f"/{s}/workers/?status=active&activity={p['activity']}&sort=name"),
        ("worker dossier", "coordinator", f"/{s}/workers/{p['dossier_worker']}/"),
        ("team feedback (this week)", "coach", f"/{s}/feedback/"),
        ("POP page", "coordinator", f"/{s}/workers/{p['pop_worker']}/pop/"),
        ("alerts list (team)", "coordinator", f"/{s}/alerts/?scope=team"),
        ("manager dashboard", "manager", f"/{s}/reports/dashboard/"),
        ("trajectory ends", "coordinator", f"/{s}/trajectory-ends/"),
    ]
    queries = {name: _prepare_page(clients[role], url) for name, role, url in pages}
    # Round robin: one request of every page per round, so a burst of load on this shared machine hits every
    # page alike and the ratio to the floor stays meaningful.
    timings = {name: [] for name, _role, _url in pages}
    for _ in range(RUNS):
        for name, role, url in pages:
            start = time.perf_counter()
            clients[role].get(url)
            timings[name].append((time.perf_counter() - start) * 1000)
    results = {}
    for name, role, url in pages:
        results[name] = {"as": role, **_summary(url, timings[name], queries[name])}
        log(f"  {name:<30} {results[name]['median_ms']:>7.1f} ms  p95 {results[name]['p95_ms']:>7.1f}  "
            f"q {results[name]['queries']}")
    return results


def measure_scan():
    """The daily scan of every organisation, for tomorrow (so there is real work), rolled back afterwards."""
    from django.db import transaction
    from django.utils import timezone

    from lde_portal.accounts.models import Organisation
    from lde_portal.alerts.scan import scan_organisation

    class Rollback(Exception):
        pass

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    organisations = list(Organisation.objects.order_by("pk"))
    raised = 0
    start = time.perf_counter()
    try:
        with transaction.atomic():
            for organisation in organisations:
                raised += scan_organisation(organisation=organisation, today=tomorrow).raised
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return {"organisations": len(organisations), "seconds": round(elapsed, 2), "raised": raised}


def measure_exports(p):
    import tempfile

    from lde_portal.reports import rendering
    from lde_portal.reports.registry import EXPORTERS, ExportFilters

    org, membership = p["org"], p["coordinator"]
    filters = ExportFilters()
    results = {}
    for fmt in ("csv", "xlsx"):
        total_rows, total_s, peak = 0, 0.0, 0
        per = {}
        for key, exporter in sorted(EXPORTERS.items()):
            def run(exporter=exporter, fmt=fmt):
                rows = 0

                def count(n):
                    nonlocal rows
                    rows = n
                if fmt == "csv":
                    for _chunk in rendering.csv_bytes_chunks(exporter.headers, exporter.rows(org, membership, filters),
                                                             progress=count):
                        pass
                else:
                    with tempfile.TemporaryFile() as tmp:
                        rendering.write_xlsx(exporter.headers, exporter.rows(org, membership, filters), tmp,
                                             progress=count)
                return rows
            run()  # warm-up
            start = time.perf_counter()
            rows = run()
            seconds = time.perf_counter() - start
            tracemalloc.start()
            run()
            _current, peak_bytes = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            per[key] = {"rows": rows, "seconds": round(seconds, 3),
                        "rows_per_s": round(rows / seconds) if seconds else None,
                        "peak_mb": round(peak_bytes / 1e6, 1)}
            total_rows += rows
            total_s += seconds
            peak = max(peak, peak_bytes)
        results[fmt] = {"rows": total_rows, "seconds": round(total_s, 3),
                        "rows_per_s": round(total_rows / total_s) if total_s else None,
                        "peak_mb": round(peak / 1e6, 1), "exporters": per}
        log(f"  export {fmt}: {total_rows} rows in {total_s:.2f} s, peak {peak / 1e6:.1f} MB")
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=float, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    seeded = ensure_database(args.factor, args.seed)
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's template/context signals; DEBUG stays off
    with connection.cursor() as cur:
        cur.execute("SELECT seeded_s FROM bench_marker")
        seed_seconds = cur.fetchone()[0]
    p = personas()
    import gc

    gc.freeze()  # as lde_portal/wsgi.py does once the application is loaded
    log(f"bench factor {args.factor}: {p['org'].slug} with {p['workers']} workers, coach caseload {p['caseload']}")
    from pop.models import WeeklyFeedback
    from trajects.models import Worker

    result = {
        "factor": args.factor, "seed": args.seed, "database": connection.settings_dict["NAME"],
        "seed_seconds": round(seed_seconds, 1), "seeded_now": seeded is not None,
        "workers": Worker.objects.count(), "feedback_rows": WeeklyFeedback.objects.count(),
        "largest_org": {"slug": p["org"].slug, "workers": p["workers"], "coach_caseload": p["caseload"]},
        "pages": measure_pages(p),
        "alert_scan": measure_scan(),
        "exports": measure_exports(p),
    }
    log(f"  alert scan: {result['alert_scan']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
