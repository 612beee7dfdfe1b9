"""Two app servers behind one PostgreSQL and one Redis see the same sessions and data."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from .conftest import PASSWORD, one_time_code, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: keeps cookies (Secure ones too: the servers speak plain HTTP here)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        body = None
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode()


@pytest.fixture
def two_servers():
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share a PostgreSQL database")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        skip_or_fail("no Redis on 127.0.0.1:6379")
    database = connection.settings_dict
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SECRET_KEY="shared-by-every-app-server-" + "0a1b2c3d4e5f" * 4,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        GUNICORN_WORKERS="1",
    )
    ports, servers = [free_port(), free_port()], []
    for port in ports:
        servers.append(
            subprocess.Popen(
                [Path(sys.executable).parent / "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    for port in ports:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
    yield ports
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def test_a_session_opened_through_one_server_is_valid_through_the_other(two_servers, secretariat):
    # The servers run production settings, which hash passwords with PBKDF2, not the tests' MD5.
    secretariat.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    secretariat.save()
    first, second = two_servers
    browser = Browser()
    status, page = browser.request(first, "GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "username": "secretariat",
        "password": PASSWORD,
        "otp_token": one_time_code(secretariat),
        "next": "/admin/",
    }
    status, page = browser.request(first, "POST", "/admin/login/", form)
    assert status == 302, re.findall(r'errornote">(.*?)<|errorlist[^>]*>(.*?)</ul>', page, re.S)
    status, page = browser.request(second, "GET", "/admin/")
    assert status == 200
    assert "Site administration" in page or "Outcome documents, actors and follow-up" in page
