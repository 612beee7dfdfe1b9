"""Two app servers behind one PostgreSQL and one Redis see the same sessions, data and files."""

import datetime
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
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from recommendations.models import Actor, EvidenceFile, Paragraph
from recommendations.reporting import workflow
from tests.conftest import PASSWORD, action_form, multipart, one_time_code, skip_or_fail

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = "redis://127.0.0.1:6379/14"


class Browser:
    """Just enough of a browser: keeps cookies (Secure ones too: the servers speak plain HTTP here)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None, file: tuple | None = None):
        """The answer's status and text; `file` is (field, name, content) to post with the form."""
        status, body = self.fetch(port, method, path, form, file)
        return status, body.decode()

    def fetch(self, port: int, method: str, path: str, form: dict | None = None, file: tuple | None = None):
        body = None
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if file is not None:
            content_type, body = multipart(form, *file)
        elif form is not None:
            content_type, body = "application/x-www-form-urlencoded", urlencode(form)
        if body is not None:
            headers |= {"Content-Type": content_type, "Referer": f"http://127.0.0.1:{port}/"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read()


@pytest.fixture
def shared_media(tmp_path) -> Path:
    """The uploads folder of both servers, as a volume every server mounts."""
    return tmp_path / "media"


@pytest.fixture
def two_servers(request, shared_media):
    """Two servers sharing the Redis on 6379, or (given "" as its parameter) each with its own memory cache."""
    redis_url = getattr(request, "param", REDIS_URL)
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share a PostgreSQL database")
    if redis_url:
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        except OSError:
            skip_or_fail("no Redis on 127.0.0.1:6379")
        # The cache outlives test databases: start from an empty one, as a new deployment does.
        redis.Redis.from_url(redis_url).flushdb()
    database = connection.settings_dict
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SECRET_KEY="shared-by-every-app-server-" + "0a1b2c3d4e5f" * 4,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL=redis_url,
        DJANGO_MEDIA_ROOT=str(shared_media),
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


def sign_in(browser: Browser, port: int, user, path: str = "/accounts/login/", **fields: str) -> None:
    # The servers run production settings, which hash passwords with PBKDF2, not the tests' MD5.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    status, page = browser.request(port, "GET", path)
    form = {"csrfmiddlewaretoken": csrf_token(page), "username": user.username, "password": PASSWORD, **fields}
    status, page = browser.request(port, "POST", path, form)
    assert status == 302, re.findall(r'errornote">(.*?)<|errorlist[^>]*>(.*?)</ul>', page, re.S)


def sign_in_secretariat(browser: Browser, port: int, secretariat) -> None:
    sign_in(browser, port, secretariat, "/admin/login/", otp_token=one_time_code(secretariat), next="/admin/")


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_session_opened_through_one_server_is_valid_through_the_other(two_servers, secretariat):
    first, second = two_servers
    browser = Browser()
    sign_in_secretariat(browser, first, secretariat)
    status, page = browser.request(second, "GET", "/admin/")
    assert status == 200
    assert "Outcome documents, actors and follow-up" in page


@pytest.mark.parametrize("two_servers", [REDIS_URL, ""], ids=["shared Redis", "each its own memory"], indirect=True)
def test_a_publication_through_one_server_refreshes_the_cached_pages_of_the_other(
    two_servers, secretariat, thai_focal_point
):
    first, second = two_servers
    call_command("load_workshop", verbosity=0)
    paragraph = Paragraph.objects.get(meeting__code="bangkok-2006", number=15)
    data = workflow.ActionInput(
        content={"title": "Labour MOU", "status": "completed", "status_as_of": datetime.date(2006, 6, 1)},
        recommendations=[paragraph],
    )
    action = workflow.create_action(actor=Actor.objects.get(code="THA"), user=thai_focal_point, data=data)
    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    visitor = Browser()
    status, page = visitor.request(first, "GET", "/")
    assert "Thailand on paragraph 15: No information provided" in page  # now cached in Redis
    # Pages that show only some parts of the data: Thailand's and the recommendation's.
    for address in ("/actors/THA/", "/recommendations/bangkok-2006/15/"):
        assert "Labour MOU" not in visitor.request(first, "GET", address)[1]

    secretariat_browser = Browser()
    sign_in_secretariat(secretariat_browser, second, secretariat)
    status, page = secretariat_browser.request(second, "GET", f"/review/actions/{action.pk}/")
    status, _ = secretariat_browser.request(
        second,
        "POST",
        f"/review/actions/{action.pk}/approve/",
        {"csrfmiddlewaretoken": csrf_token(page), "validated_status": ""},
    )
    assert status == 302
    status, page = visitor.request(first, "GET", "/")
    assert "Thailand on paragraph 15: Completed" in page
    for address in ("/actors/THA/", "/recommendations/bangkok-2006/15/"):
        assert "Labour MOU" in visitor.request(first, "GET", address)[1]


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(
    two_servers, shared_media, thai_focal_point
):
    """The servers share the uploads folder: a focal point's evidence file, uploaded with the
    workspace form through one server, comes back byte for byte through the other."""
    first, second = two_servers
    paragraph = Paragraph.objects.get(meeting__code="bangkok-2006", number=15)
    content = b"%PDF-1.4\n" + os.urandom(4096)
    browser = Browser()
    sign_in(browser, first, thai_focal_point)
    status, page = browser.request(first, "GET", "/my/actions/new/")
    form = action_form(paragraph, csrfmiddlewaretoken=csrf_token(page))
    status, _ = browser.request(first, "POST", "/my/actions/new/", form, file=("evidence_file", "mou.pdf", content))
    assert status == 302
    evidence = EvidenceFile.objects.get()
    assert (shared_media / evidence.file.name).read_bytes() == content

    status, body = browser.fetch(second, "GET", f"/evidence/{evidence.pk}/")
    assert status == 200
    assert body == content
