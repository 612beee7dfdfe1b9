"""Settings come from the environment, and production refuses to run without a real key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3Y-" + "abcdefghij" * 6


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="apc_tracker.settings")
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="secret")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_starts_with_a_strong_key_and_the_hosts_it_is_given():
    result = load_settings(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="apc.example.org, www.apc.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("[")[0].strip() == "False"
    assert "['apc.example.org', 'www.apc.example.org']" in result.stdout


def test_debug_mode_runs_with_the_development_key_on_local_hosts_and_sqlite():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True ['localhost', '127.0.0.1', '[::1]'] django.db.backends.sqlite3")


@pytest.mark.parametrize("value", ["maybe", "2", "debug"])
def test_an_unreadable_debug_flag_is_an_error_that_names_the_variable(value):
    result = load_settings(DJANGO_DEBUG=value, DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_database_url_selects_postgresql_through_psycopg():
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/apc")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("django.db.backends.postgresql")


def test_static_files_are_compressed_and_hashed_by_whitenoise(settings):
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1 + middleware.index(
        "django.middleware.security.SecurityMiddleware"
    )
