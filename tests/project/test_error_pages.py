"""Error pages are styled, say what to do, and leak nothing; the log keeps tracebacks for the app's own errors."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from apc_tracker.urls import urlpatterns as project_urls


def fail(request):
    raise RuntimeError("secret internals: DATABASE_URL=postgres://user:pw@db/apc")


def forbid(request):
    raise PermissionDenied("internal reason")


def suspicious(request):
    raise SuspiciousOperation("internal reason")


urlpatterns = [path("fail/", fail), path("forbid/", forbid), path("suspicious/", suspicious), *project_urls]
handler403 = "security.audit.permission_denied"
handler404 = "apc_tracker.errors.page_not_found"
handler500 = "apc_tracker.errors.server_error"


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/fail/", 500, "Something went wrong"),
        ("/forbid/", 403, "Not allowed"),
        ("/suspicious/", 400, "Bad request"),
    ],
)
@pytest.mark.urls("tests.project.test_error_pages")
def test_error_pages_are_styled_and_leak_nothing(client, db, url, status, heading):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert "/static/recommendations/site." in page
    for leak in ("secret internals", "internal reason", "Traceback", "DATABASE_URL", "settings", "Resolver404"):
        assert leak not in page


@pytest.mark.urls("tests.project.test_error_pages")
def test_a_permission_refusal_is_written_to_the_security_log(client, thai_focal_point, caplog):
    client.force_login(thai_focal_point)
    client.get("/forbid/", REMOTE_ADDR="203.0.113.5")
    [record] = [r for r in caplog.records if r.name == "security" and r.event == "permission refused"]
    assert (record.event, record.user, record.address, record.target) == (
        "permission refused",
        "somchai",
        "203.0.113.5",
        "/forbid/",
    )
    assert record.levelname == "WARNING"


def test_a_bad_page_number_is_a_400_logged_in_one_line_without_a_traceback(client, workshop, caplog):
    response = client.get("/recommendations/?page=abc")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage()) == (
        "WARNING",
        "?page= must be a whole number from 1.: /recommendations/",
    )
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.project.test_error_pages")
def test_a_server_error_keeps_its_traceback_in_the_log(client, db, caplog):
    client.raise_request_exception = False
    client.get("/fail/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "ERROR"
    assert "Traceback" in caplog.text and "RuntimeError: secret internals" in caplog.text
