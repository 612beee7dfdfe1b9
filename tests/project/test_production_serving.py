"""What production serving relies on: the health check, gunicorn's settings, SQLite under load."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)


def production_env(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="apc_tracker.settings",
        DJANGO_SECRET_KEY="production-like-key-" + "0123456789abcdef" * 3,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        **extra,
    )
    return environment


def test_the_health_check_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "cache": "local"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_answers_503_when_the_database_is_down():
    # A real PostgreSQL client against a port where nothing listens.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env=production_env(DATABASE_URL="postgres://postgres@127.0.0.1:9/apc"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == '503 {"status": "unavailable", "database": "down", "cache": "local"}', result.stderr
    assert "password" not in result.stdout


def test_gunicorn_serves_the_app_with_the_production_config(tmp_path):
    port = free_port()
    environment = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1"
    )
    server = subprocess.Popen(
        [PYTHON.parent / "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    body = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok", "database": "up", "cache": "local"}
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert '"GET /healthz HTTP/1.1" 200' in log


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_five_concurrent_sqlite_writers_meet_no_locked_database():
    result = subprocess.run(
        [PYTHON, "scripts/sqlite_writers.py", "--writers", "5", "--seconds", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(" 0 errors")
    assert "database is locked" not in result.stderr


def test_production_logs_are_one_json_object_per_line_in_utc():
    code = "import django, logging; django.setup(); logging.getLogger('apc_tracker').warning('disk %s full', 'nearly')"
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    record = json.loads(result.stderr.strip())
    assert record["level"] == "WARNING"
    assert record["logger"] == "apc_tracker"
    assert record["message"] == "disk nearly full"
    assert record["time"].endswith("+0000")


def test_an_unknown_log_format_is_refused():
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(DJANGO_LOG_FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr


def test_with_redis_url_every_process_shares_one_cache():
    redis_url = "redis://127.0.0.1:6379/15"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        skip_or_fail("no Redis on 127.0.0.1:6379")

    def run(code: str) -> str:
        result = subprocess.run(
            [PYTHON, "-c", "import django; django.setup(); from django.core.cache import cache; " + code],
            cwd=ROOT,
            env=production_env(REDIS_URL=redis_url, DATABASE_URL="sqlite:///:memory:"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    token = os.urandom(8).hex()
    run(f"cache.set('shared-{token}', 'written by one server', 60)")
    assert run(f"print(cache.get('shared-{token}'))") == "written by one server"
    run(f"cache.delete('shared-{token}')")
    assert run(f"print(cache.get('shared-{token}'))") == "None"
