"""Secure by default: production settings pass Django's deployment check and send the headers."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD, one_time_code

ROOT = Path(__file__).resolve().parents[2]


def deployment_check(**env: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` with production settings and `env`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="deploy-check-" + "fedcba9876543210" * 4,
        DJANGO_ALLOWED_HOSTS="apc.example.org",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_deployment_check_reports_nothing_with_production_settings():
    result = deployment_check(DJANGO_SITE_URL="https://apc.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_warns_while_mail_would_link_to_the_server_itself():
    result = deployment_check()
    assert result.returncode != 0
    assert "apc_tracker.W001" in result.stderr and "DJANGO_SITE_URL" in result.stderr


def test_pages_send_the_browser_protections(client, db):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"


def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts(client, secretariat):
    page = client.get("/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "secretariat", "password": PASSWORD, "otp_token": one_time_code(secretariat)},
        HTTP_COOKIE=f"csrftoken={page.cookies['csrftoken'].value}",
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name


def test_plain_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/recommendations/export.json")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/recommendations/export.json"
