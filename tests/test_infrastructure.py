"""The real services: CI points the suite at PostgreSQL and Redis and must fail, never skip, without them."""

import os
import pathlib
import shutil

import pytest
import yaml
from django.conf import settings
from django.db import connection

ROOT = pathlib.Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))


@pytest.mark.django_db
def test_database_is_postgresql_in_ci():
    if IN_CI:
        assert connection.vendor == "postgresql", "CI must run the suite against PostgreSQL (DATABASE_URL)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_celery_round_trip_through_the_real_broker():
    """A real Celery worker consumes a task from the configured broker (Redis in CI)."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if IN_CI:
            pytest.fail("CI must configure CELERY_BROKER_URL (the real Redis)")
        pytest.skip("no broker configured: tasks run in-process (the embedded demo)")
    from celery.contrib.testing.worker import start_worker

    from lde_portal.celery import app
    from lde_portal.tasks import ping

    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)  # raises when Redis is down: a failure, not a skip
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        assert ping.delay().get(timeout=20) == "pong"


def test_docker_compose_parses_and_its_commands_exist(settings):
    # lde_portal.wsgi refuses to load on the demo keys with DEBUG false (lde_portal/checks.py), as in production.
    settings.SECRET_KEY, settings.PORTAL_PSEUDONYM_KEY = "s" * 60, "p" * 48
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ["db", "redis", "web"]:
        assert "healthcheck" in services[name], name
    assert set(compose["volumes"]) >= {"pgdata", "media"}
    web = " ".join(services["web"]["command"]) if isinstance(services["web"]["command"], list) else services["web"]["command"]
    assert "gunicorn lde_portal.wsgi:application" in web
    assert "celery -A lde_portal worker" in " ".join(services["worker"]["command"])
    assert "celery -A lde_portal beat" in " ".join(services["beat"]["command"])
    # The modules and binaries the commands name exist.
    import importlib

    importlib.import_module("lde_portal.wsgi")
    assert shutil.which("gunicorn", path=str(pathlib.Path(os.sys.executable).parent)) or importlib.util.find_spec("gunicorn")
    assert importlib.util.find_spec("celery")
    for key in ["DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "PORTAL_PSEUDONYM_KEY", "ALLOWED_HOSTS"]:
        assert key in (ROOT / ".env.example").read_text()
    assert (ROOT / "Dockerfile").exists()


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    source = (ROOT / "lde_portal" / "settings.py").read_text()
    import re

    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    assert names, "settings read no environment variables?"
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert not missing, f"Document these settings in the README: {missing}"


def test_embedded_defaults_need_no_services():
    # With nothing configured the demo runs tasks in-process (no broker) — see settings.py.
    if not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER


def test_celery_tasks_have_time_limits():
    """A stuck task is stopped (soft limit: the job is marked failed) and then killed (hard limit) before the
    page would call the job lost (PORTAL_JOB_STALE_MINUTES), so the user sees one story, not two."""
    from lde_portal.celery import app

    soft, hard = settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    assert 0 < soft < hard < settings.PORTAL_JOB_STALE_MINUTES * 60
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (soft, hard)


def _locked(lock):
    """{package: (version, {what brought it in})} from a pip-compile lock with its "# via" notes."""
    packages, current = {}, None
    for line in (ROOT / lock).read_text().splitlines():
        if line and line[0].isalnum():
            name, version = line.split(" ")[0].split("==")
            current = name.lower().replace("_", "-")
            packages[current] = (version, set())
        elif current and line.strip().startswith("# via"):
            via = line.strip().removeprefix("# via").strip()
            if via:
                packages[current][1].update(v.strip() for v in via.split(","))
        elif current and line.strip().startswith("#   "):
            packages[current][1].add(line.strip().removeprefix("#").strip())
    return packages


def _direct(source):
    pins = {}
    for line in (ROOT / source).read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.split("[")[0].lower().replace("_", "-")] = version
    return pins


def test_the_locks_match_the_direct_dependencies():
    """A pin changed or removed in requirements*.txt without `make lock` leaves a lock that installs something
    else than the list says: each direct pin is locked at its version, and nothing is locked for a direct
    dependency that is gone."""
    for source, lock in [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]:
        direct, locked = _direct(source), _locked(lock)
        for name, version in direct.items():
            assert locked.get(name, (None,))[0] == version, f"{source}: {name}=={version}; run `make lock`"
        for name, (_version, via) in locked.items():
            assert via - {"-r " + source} or name in direct, f"{lock} still locks {name}; run `make lock`"


def test_installs_use_the_hashed_locks():
    """requirements.txt and requirements-dev.txt list the direct dependencies; the Dockerfile, `make venv`
    and CI install the locks made from them, with hashes (README "Dependencies")."""
    for lock in ["requirements.lock", "requirements-dev.lock"]:
        text = (ROOT / lock).read_text()
        pins = [line for line in text.splitlines() if line and line[0].isalnum()]
        assert pins and all("==" in line and line.endswith("\\") for line in pins), lock
    assert "--require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()
    assert "requirements-dev.lock" not in (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock -r requirements-dev.lock" in (ROOT / "Makefile").read_text()
