"""Whole public pages from the cache: who gets them, when they are rebuilt, 304s and compression."""

import gzip
import threading
import time

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from recommendations.models import Actor, DataVersion
from recommendations.progress.freshness import figures_changed
from recommendations.public import page_cache

from .conftest import add_actions

PAGES = [
    "/",
    "/recommendations/?theme=2&status=in_progress",
    "/recommendations/bangkok-2006/12/",
    "/actors/THA/",
    "/documents/bangkok-2006/",
    "/feeds/actions.atom",
    "/api/v1/recommendations/",
    "/actions/export.csv?actor=THA",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_already_made_costs_one_query_at_n_and_ten_times_n(
    client, follow_up, thailand, django_assert_num_queries, url
):
    for count in (3, 30):
        add_actions(count, thailand, [12, 15])
        first = client.get(url)
        assert first.status_code == 200
        body = first.getvalue()
        # The data version, and nothing else: no session, no view, no template.
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200
        assert again.getvalue() == body


def test_a_page_read_from_the_shared_cache_is_then_answered_from_the_process_own_memory(client, follow_up):
    client.get("/recommendations/bangkok-2006/12/")
    page_cache.recent.clear()
    first = client.get("/recommendations/bangkok-2006/12/")
    cache.clear()
    assert client.get("/recommendations/bangkok-2006/12/").content == first.content
    figures_changed()
    assert client.get("/recommendations/bangkok-2006/12/").status_code == 200
    assert cache.get(f"{page_cache.cache_key(first.wsgi_request)}:")


def test_the_process_own_memory_keeps_the_latest_pages_up_to_its_limit():
    recent = page_cache.RecentPages(limit=100)
    for number in range(5):
        recent.put(f"page-{number}", page_cache.Entry("g", [], b"x" * 20, ""))
    recent.get("page-0")
    recent.put("page-5", page_cache.Entry("g", [], b"x" * 20, ""))
    assert list(recent.entries) == ["page-2", "page-3", "page-4", "page-0", "page-5"]
    assert recent.size == 100
    recent.put("too-large", page_cache.Entry("g", [], b"x" * 26, ""))
    assert recent.get("too-large") is None


def test_the_order_of_the_parameters_does_not_make_another_page(client, follow_up, django_assert_num_queries):
    first = client.get("/recommendations/?theme=2&status=in_progress")
    with django_assert_num_queries(1):
        again = client.get("/recommendations/?status=in_progress&theme=2")
    assert again.content == first.content


def test_a_change_to_the_data_is_seen_at_once(client, follow_up):
    assert "Ministry of Labour review" not in client.get("/actors/THA/").content.decode()
    Actor.objects.filter(code="THA").update(name="Ministry of Labour review")
    figures_changed()
    assert "Ministry of Labour review" in client.get("/actors/THA/").content.decode()


def test_a_signed_in_visitor_is_never_given_a_stored_page_nor_stores_one(client, follow_up, thai_focal_point):
    anonymous = client.get("/recommendations/").content.decode()
    client.force_login(thai_focal_point)
    signed_in = client.get("/recommendations/")
    assert "Sign out" in signed_in.content.decode() and "Sign out" not in anonymous
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in client.get("/recommendations/", headers={"Accept-Encoding": "br"})
    client.logout()
    client.cookies.clear()
    cache.clear()
    client.force_login(thai_focal_point)
    client.get("/actors/THA/")
    client.logout()
    client.cookies.clear()
    assert "Sign out" not in client.get("/actors/THA/").content.decode()


def test_an_api_token_holder_is_answered_by_the_view(client, follow_up):
    client.get("/api/v1/actors/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/actors/", headers={"Authorization": "Token not-a-token"})
    assert len(queries) > 1


def test_a_page_carries_its_etag_and_answers_304_until_the_data_changes(client, follow_up):
    first = client.get("/recommendations/bangkok-2006/12/")
    assert first["ETag"].startswith('W/"') and first["Last-Modified"] and first["Cache-Control"] == "no-cache"
    other = client.get("/recommendations/bangkok-2006/13/")
    assert other["ETag"] != first["ETag"]
    held = client.get("/recommendations/bangkok-2006/12/", headers={"If-None-Match": first["ETag"]})
    assert held.status_code == 304 and held.content == b""
    assert held["ETag"] == first["ETag"]
    figures_changed()
    changed = client.get("/recommendations/bangkok-2006/12/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_etag_is_given_when_the_page_is_made_too_and_the_cache_does_not_answer(client, follow_up, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first = client.get("/documents/bangkok-2006/")
    held = client.get("/documents/bangkok-2006/", headers={"If-None-Match": first["ETag"]})
    assert held.status_code == 304


@pytest.mark.parametrize("url", ["/", "/api/v1/recommendations/", "/feeds/actions.atom", "/actions/export.csv"])
def test_pages_go_compressed_to_browsers_that_accept_it(client, follow_up, url):
    plain = client.get(url).getvalue()
    assert "Content-Encoding" not in client.get(url)
    as_brotli = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert as_brotli["Content-Encoding"] == "br"
    assert brotli.decompress(as_brotli.content) == plain
    assert "Accept-Encoding" in as_brotli["Vary"]
    as_gzip = client.get(url, headers={"Accept-Encoding": "gzip;q=1.0, br;q=0"})
    assert as_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(as_gzip.content) == plain


@pytest.mark.parametrize(
    "header, encoding",
    [
        ("", ""),
        ("identity", ""),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.0, gzip;q=0", ""),
        ("deflate, br;q=0.5", "br"),
        ("*", "br"),
        ("GZIP", "gzip"),
    ],
)
def test_the_encoding_is_the_best_the_browser_accepts(header, encoding):
    request = RequestFactory().get("/", headers={"Accept-Encoding": header} if header else {})
    assert page_cache.accepted_encoding(request) == encoding


def test_a_large_streamed_export_is_sent_whole_but_not_stored(client, follow_up, thailand, monkeypatch):
    add_actions(30, thailand, [12])
    monkeypatch.setattr(page_cache, "MAX_STREAM_BYTES", 1000)
    first = client.get("/actions/export.csv")
    body = first.getvalue()
    assert first.streaming and len(body) > 1000
    again = client.get("/actions/export.csv")
    assert again.streaming
    assert again.getvalue() == body


def test_a_request_that_leaves_a_stream_unread_lets_go_of_the_lock(client, follow_up):
    client.get("/actions/export.csv").close()
    assert not [key for key in cache._cache if key.endswith(":rebuild")]


def _request(path="/slow/"):
    request = RequestFactory().get(path)
    request._data_version = DataVersion(generation="a" * 32)
    return request


def test_while_a_page_is_rebuilt_the_others_get_the_page_as_it_was():
    calls = []

    @page_cache.cached_page
    def view(request):
        calls.append(request)
        return HttpResponse(f"page {len(calls)}")

    assert view(_request()).content == b"page 1"
    changed = _request()
    changed._data_version = DataVersion(generation="b" * 32)
    cache.add(f"{page_cache.cache_key(changed)}:rebuild", True)
    assert view(changed).content == b"page 1"
    assert len(calls) == 1


def test_after_a_change_only_a_few_pages_are_made_again_at_once_the_others_served_as_they_were(settings):
    settings.PAGE_REBUILDS_AT_ONCE = 1
    calls = []

    @page_cache.cached_page
    def view(request):
        calls.append(request.path)
        return HttpResponse(f"{request.path} {len(calls)}")

    view(_request("/one/"))
    view(_request("/two/"))
    changed = {path: _request(path) for path in ("/one/", "/two/")}
    for request in changed.values():
        request._data_version = DataVersion(generation="b" * 32)
    cache.add("page-rebuild-slot:0", True)  # another page is being made
    assert view(changed["/one/"]).content == b"/one/ 1"
    assert cache.get(f"{page_cache.cache_key(changed['/one/'])}:rebuild") is None
    cache.delete("page-rebuild-slot:0")
    assert view(changed["/two/"]).content == b"/two/ 3"
    assert cache.get("page-rebuild-slot:0") is None
    assert view(changed["/two/"]).content == b"/two/ 3"


def test_a_page_made_by_another_release_is_not_served(monkeypatch):
    calls = []

    @page_cache.cached_page
    def view(request):
        calls.append(request)
        return HttpResponse(f"release {len(calls)}")

    assert view(_request()).content == b"release 1"
    assert view(_request()).content == b"release 1"
    monkeypatch.setattr(page_cache, "release", lambda: "next-release")
    assert view(_request()).content == b"release 2"


def test_the_release_fingerprint_is_the_same_for_every_process_of_one_checkout():
    assert page_cache.release() == page_cache.release.__wrapped__()
    assert len(page_cache.release()) == 16


def test_a_crowd_on_a_page_not_yet_made_makes_it_once():
    calls = []

    @page_cache.cached_page
    def view(request):
        calls.append(request)
        time.sleep(0.3)
        return HttpResponse("made once")

    answers = []
    crowd = [threading.Thread(target=lambda: answers.append(view(_request()).content)) for _ in range(8)]
    for visitor in crowd:
        visitor.start()
    for visitor in crowd:
        visitor.join()
    assert answers == [b"made once"] * 8
    assert len(calls) == 1


def test_a_rebuild_that_never_comes_leaves_the_others_to_make_the_page_themselves(monkeypatch):
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 0.2)

    @page_cache.cached_page
    def view(request):
        return HttpResponse("made here")

    cache.add(f"{page_cache.cache_key(_request())}:rebuild", True)
    started = time.monotonic()
    assert view(_request()).content == b"made here"
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("not found", status=404),
        HttpResponse("private", headers={"Cache-Control": "private"}),
        HttpResponse("by language", headers={"Vary": "Accept-Language"}),
    ],
)
def test_what_not_every_visitor_may_be_given_is_not_stored(response):
    @page_cache.cached_page
    def view(request):
        return response

    view(_request())
    assert cache.get(f"{page_cache.cache_key(_request())}:") is None


def test_a_response_that_sets_a_cookie_is_not_stored():
    @page_cache.cached_page
    def view(request):
        answer = StreamingHttpResponse(iter([b"x"]))
        answer.set_cookie("csrftoken", "secret")
        return answer

    view(_request())
    assert cache.get(f"{page_cache.cache_key(_request())}:") is None
