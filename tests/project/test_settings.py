"""Settings come from the environment, and production refuses to run without a real key."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "abcdefghij" * 6


def load_settings(
    code: str = "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'])", **env: str
) -> subprocess.CompletedProcess:
    """Run `code` with the settings a fresh process reads from `env` (and none of this one's)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "AWS_")) and name != "DATABASE_URL"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="apc_tracker.settings")
    code = f"from django.conf import settings\n{code}"
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


# The evidence storage's class and options, as JSON.
SHOW_EVIDENCE_STORAGE = """
import json
from django.core.files.storage import storages
storage = storages["default"]
names = ["location", "bucket_name", "endpoint_url", "region_name", "default_acl", "querystring_auth",
         "file_overwrite", "access_key"]
options = {name: str(getattr(storage, name)) for name in names if hasattr(storage, name)}
print(json.dumps({"backend": f"{type(storage).__module__}.{type(storage).__name__}", **options}))
"""


def evidence_storage(**env: str) -> dict:
    result = load_settings(SHOW_EVIDENCE_STORAGE, DJANGO_DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_evidence_files_stay_on_the_file_system_under_the_media_root_by_default(tmp_path):
    storage = evidence_storage(DJANGO_MEDIA_ROOT=str(tmp_path))
    assert storage == {"backend": "django.core.files.storage.filesystem.FileSystemStorage", "location": str(tmp_path)}


def test_an_s3_bucket_keeps_evidence_files_private_there_with_credentials_from_the_environment():
    """With DJANGO_S3_BUCKET set, evidence files go to that bucket (django-storages): objects
    private, any URL signed, no file ever replaced, and the keys read from boto3's own variables."""
    storage = evidence_storage(
        DJANGO_S3_BUCKET="apc-evidence",
        DJANGO_S3_ENDPOINT_URL="https://objects.example.org",
        DJANGO_S3_REGION="eu-west-3",
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
    )
    assert storage == {
        "backend": "storages.backends.s3.S3Storage",
        "location": "",
        "bucket_name": "apc-evidence",
        "endpoint_url": "https://objects.example.org",
        "region_name": "eu-west-3",
        "default_acl": "None",
        "querystring_auth": "True",
        "file_overwrite": "False",
        "access_key": "AKIAIOSFODNN7EXAMPLE",
    }


def test_an_s3_bucket_alone_leaves_the_endpoint_and_region_to_boto3():
    storage = evidence_storage(DJANGO_S3_BUCKET="apc-evidence")
    assert (storage["backend"], storage["endpoint_url"], storage["region_name"]) == (
        "storages.backends.s3.S3Storage",
        "None",
        "None",
    )


def test_the_mail_server_is_given_ten_seconds_unless_told_otherwise():
    code = "print(settings.EMAIL_TIMEOUT)"
    assert load_settings(code, DJANGO_DEBUG="1").stdout.strip() == "10"
    assert load_settings(code, DJANGO_DEBUG="1", DJANGO_EMAIL_TIMEOUT="3").stdout.strip() == "3"


def test_the_secretariat_hears_of_each_submission_unless_told_to_wait_for_the_hourly_digest():
    code = "print(settings.REVIEW_NOTICES)"
    assert load_settings(code, DJANGO_DEBUG="1").stdout.strip() == "each"
    assert load_settings(code, DJANGO_DEBUG="1", DJANGO_REVIEW_NOTICES="hourly").stdout.strip() == "hourly"
    result = load_settings(code, DJANGO_DEBUG="1", DJANGO_REVIEW_NOTICES="daily")
    assert result.returncode != 0
    assert "DJANGO_REVIEW_NOTICES must be each or hourly, not 'daily'" in result.stderr
