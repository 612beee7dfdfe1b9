"""While the database cannot be reached, pages answer 503 with Retry-After in the site's look,
and what the cache already holds is still served."""

import pytest
from django.db import OperationalError

from tests.conftest import sign_in_with_second_factor

from .conftest import database_unreachable

PAGES = ["/about/", "/recommendations/", "/recommendations/bangkok-2006/12/", "/actors/THA/", "/actions/export.csv"]


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in page
    assert "/static/recommendations/site." in page
    for leak in ("Traceback", "OperationalError", "DATABASE_URL", "nonexistent", "127.0.0.1"):
        assert leak not in page


@pytest.mark.parametrize("url", PAGES)
def test_without_the_database_a_page_answers_503_with_retry_after_in_the_sites_look(client, workshop, url):
    with database_unreachable():
        assert_unavailable(client.get(url))
    assert client.get(url).status_code == 200


def test_without_the_database_a_signed_in_visitor_gets_the_503_too(client, secretariat, workshop):
    # Their session and user are in the database: the failure comes before any view.
    sign_in_with_second_factor(client, secretariat)
    with database_unreachable():
        assert_unavailable(client.get("/"))
        assert_unavailable(client.get("/admin/"))


@pytest.mark.parametrize("url", ["/", "/recommendations/bangkok-2006/12/", "/api/v1/recommendations/"])
def test_without_the_database_a_page_already_cached_is_still_served(client, workshop, url):
    cached = client.get(url).content.decode()
    with database_unreachable():
        response = client.get(url)
        assert client.get("/recommendations/bangkok-2006/13/").status_code == 503
    assert response.status_code == 200
    assert response.content.decode() == cached


def test_without_the_database_a_dashboard_never_cached_answers_503(client, workshop):
    with database_unreachable():
        assert_unavailable(client.get("/"))


def test_without_the_database_the_health_check_answers_503_and_still_reports_the_cache(client, db):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "local"}


def test_each_503_is_logged_as_a_server_error_with_its_cause(client, workshop, caplog):
    with database_unreachable():
        client.get("/about/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage()) == ("ERROR", "Service Unavailable: /about/")
    assert issubclass(record.exc_info[0], OperationalError)
