"""The shared cache is never a point of failure: with Redis stopped, silent or paused, every page
answers, uncached, after at most one short wait; the log says so once per interval; /healthz
reports it without failing; pages are cached again as soon as Redis is back, and never stale."""

import logging
import time

import pytest
from django.core.cache import caches
from django.test import Client

from apc_tracker.cache import TIMEOUT_SECONDS
from recommendations.models import Actor, Paragraph, Status
from recommendations.public import page_cache
from recommendations.reporting import workflow
from tests.conftest import sign_in_with_second_factor
from tests.public.conftest import make_action

CACHE_LOG = "apc_tracker.cache"


@pytest.fixture
def published(workshop, thailand):
    return make_action(thailand, [12], Status.COMPLETED)


@pytest.fixture
def pages(published) -> list[str]:
    return [
        "/",
        "/about/",
        "/recommendations/",
        "/recommendations/?q=labour&status=completed",
        "/recommendations/bangkok-2006/12/",
        "/actors/THA/",
        "/actors/ALL-STATES/",
        "/documents/bangkok-2006/",
        f"/actions/{published.pk}/",
        "/actions/export.csv",
        "/datapackage.json",
        "/accounts/login/",
    ]


def timed(client, urls: list[str], before_each=lambda: None) -> dict[str, float]:
    """How long each page took, every one answered 200."""
    took = {}
    for url in urls:
        before_each()
        started = time.monotonic()
        response = client.get(url)
        took[url] = time.monotonic() - started
        assert response.status_code == 200, url
        if response.streaming:
            response.getvalue()
    return took


def cache_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == CACHE_LOG]


def uncached_times(client, pages) -> dict[str, float]:
    """Each page's usual time without a cache to help: the process's own, emptied before each."""
    return timed(client, pages, before_each=caches["default"].clear)


def test_with_a_silent_redis_every_page_answers_after_one_short_wait(client, pages, silent_server, use_cache, caplog):
    usual = uncached_times(client, pages)
    use_cache(silent_server.url)
    took = timed(client, pages)
    time.sleep(0.2)  # the listener has taken every connection made
    # One attempt, which waited out the timeout; every later read and write skipped the cache.
    assert len(silent_server.connections) == 1
    assert took["/"] < usual["/"] + 2 * TIMEOUT_SECONDS + 0.5
    for url in pages[1:]:
        assert took[url] < usual[url] + 0.5, url
    [line] = cache_lines(caplog)
    assert line.startswith(f"The cache at {silent_server.url} does not answer (Timeout")


def test_with_redis_stopped_every_page_answers_and_the_log_says_so_once(
    client, pages, redis_process, use_cache, caplog
):
    usual_worst = max(uncached_times(client, pages).values())
    use_cache(redis_process.url, retry_seconds=0)  # tried again on every read: still one line
    timed(client, pages)
    redis_process.stop()
    took = timed(client, pages)
    assert max(took.values()) < usual_worst + 0.5
    [line] = cache_lines(caplog)
    assert line.startswith(f"The cache at {redis_process.url} does not answer (Error 111 connecting")
    assert line.endswith("tried again every 0 s")


def test_while_redis_stays_down_the_log_says_so_once_per_interval(client, workshop, redis_process, use_cache, caplog):
    use_cache(redis_process.url, retry_seconds=0.2, log_seconds=1)
    redis_process.stop()
    started, served = time.monotonic(), 0
    while time.monotonic() - started < 1.5:
        assert client.get("/about/").status_code == 200
        served += 1
    first, again = cache_lines(caplog)
    assert "does not answer" in first
    assert "still does not answer" in again and "reads and writes went without it" in again
    assert served > 10


def test_the_log_never_shows_the_password_in_the_redis_url(client, workshop, redis_process, use_cache, caplog):
    use_cache(f"redis://:s3cret-pass@127.0.0.1:{redis_process.port}/0")
    redis_process.stop()
    client.get("/about/")
    [line] = cache_lines(caplog)
    assert "s3cret-pass" not in line
    assert f"redis://127.0.0.1:{redis_process.port}/0" in line


def test_when_redis_comes_back_pages_are_cached_again(
    client, published, redis_process, use_cache, caplog, django_assert_num_queries
):
    use_cache(redis_process.url, retry_seconds=0.3)
    client.get("/")
    with django_assert_num_queries(1):  # the data version; the body and the header from Redis
        client.get("/")
    redis_process.stop()
    with django_assert_num_queries(1):  # the page this process served last, from its own memory
        assert client.get("/").status_code == 200
    page_cache.recent.clear()  # as in a process that has not served it yet
    with django_assert_num_queries(11):  # the whole dashboard, as without a cache
        assert client.get("/").status_code == 200
    redis_process.start()  # the same port, empty
    time.sleep(0.4)
    client.get("/")  # tries the cache again, finds it, fills it
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200
    assert redis_process.keys()
    assert cache_lines(caplog)[-1].startswith(f"The cache at {redis_process.url} answers again after")


def test_each_process_keeps_its_redis_clients_rather_than_making_one_a_call(
    client, published, redis_process, use_cache
):
    use_cache(redis_process.url)
    client.get("/about/")
    backend = caches["default"]._cache
    assert backend.get_client() is backend.get_client()
    assert backend.get_client(write=True) is backend.get_client()
    redis_process.stop()
    redis_process.start()  # the same port, new connections in the same pool
    caches["default"].set("still", "here")
    assert caches["default"].get("still") == "here"


def test_the_health_check_reports_the_cache_and_stays_200_without_it(client, db, redis_process, use_cache):
    use_cache(redis_process.url, retry_seconds=1)
    assert client.get("/healthz").json() == {"status": "ok", "database": "up", "cache": "up"}
    redis_process.stop()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "up", "cache": "down"}
    redis_process.start()
    assert client.get("/healthz").json()["cache"] == "down"  # not tried again before the interval
    time.sleep(1.1)
    assert client.get("/healthz").json() == {"status": "ok", "database": "up", "cache": "up"}


def test_the_health_check_says_local_for_each_processs_own_memory(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "up", "cache": "local"}


class AppServer:
    """One app server, as far as the cache goes: its own client, its own cache object and connections."""

    def __init__(self):
        self.client = Client()
        self.cache = caches.create_connection("default")

    def get(self, url: str) -> str:
        caches["default"] = self.cache
        response = self.client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def post(self, url: str, data: dict) -> int:
        caches["default"] = self.cache
        return self.client.post(url, data).status_code


@pytest.fixture
def submitted(workshop, thailand, thai_focal_point):
    data = workflow.ActionInput(
        content={"title": "Labour MOU", "status": "completed", "status_as_of": "2006-06-01"},
        recommendations=[Paragraph.objects.get(meeting__code="bangkok-2006", number=15)],
    )
    action = workflow.create_action(actor=Actor.objects.get(code="THA"), user=thai_focal_point, data=data)
    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    return action


def test_a_publication_through_one_server_is_visible_at_once_through_the_other(
    submitted, secretariat, redis_process, use_cache
):
    use_cache(redis_process.url)
    first, second = AppServer(), AppServer()
    assert "Thailand on paragraph 15: No information provided" in first.get("/")
    sign_in_with_second_factor(second.client, secretariat)
    assert second.post(f"/review/actions/{submitted.pk}/approve/", {"validated_status": ""}) == 302
    assert "Thailand on paragraph 15: Completed" in first.get("/")


def test_a_publication_while_redis_hangs_is_not_hidden_by_its_old_entries_once_it_answers(
    submitted, secretariat, redis_process, use_cache
):
    use_cache(redis_process.url, retry_seconds=0.3)
    first, second = AppServer(), AppServer()
    assert "Thailand on paragraph 15: No information provided" in first.get("/")
    redis_process.pause()
    sign_in_with_second_factor(second.client, secretariat)
    started = time.monotonic()
    assert second.post(f"/review/actions/{submitted.pk}/approve/", {"validated_status": ""}) == 302
    assert time.monotonic() - started < 2 * TIMEOUT_SECONDS + 1
    assert "Thailand on paragraph 15: Completed" in first.get("/")
    redis_process.resume()  # with the dashboard it cached before the publication
    time.sleep(0.4)
    assert "Thailand on paragraph 15: Completed" in first.get("/")
    assert "Thailand on paragraph 15: Completed" in first.get("/")  # now from Redis


@pytest.fixture(autouse=True)
def _cache_log(caplog):
    caplog.set_level(logging.INFO, logger=CACHE_LOG)
