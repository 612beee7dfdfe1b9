"""One notion of "the data changed": the data version gives every export its ETag and Last-Modified."""

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from recommendations.models import DataVersion, Status

from .conftest import make_action

URL = "/actions/export.csv"


def test_an_exports_etag_is_stable_while_the_data_stays(client, follow_up):
    first, second = client.get(URL), client.get(URL)
    assert first["ETag"] and first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    assert client.get("/statuses/export.json")["ETag"] == first["ETag"]


def test_a_publication_changes_the_etag_and_last_modified(client, follow_up, thailand, time_machine):
    before = client.get(URL)
    time_machine.move_to("2031-05-01 12:00:00Z")
    make_action(thailand, [10], Status.PLANNED)
    after = client.get(URL)
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] == "Thu, 01 May 2031 12:00:00 GMT"


@pytest.mark.parametrize("url", [URL, "/recommendations/export.json", "/statuses/export.xlsx"])
def test_a_client_holding_the_current_version_is_answered_304(client, follow_up, url):
    fresh = client.get(url)
    assert client.get(url, headers={"If-None-Match": fresh["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": fresh["Last-Modified"]}).status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"an-older-version"'})
    assert stale.status_code == 200
    assert stale["ETag"] == fresh["ETag"]


def test_a_client_holding_an_older_version_gets_the_new_one(client, follow_up, thailand):
    held = client.get(URL)
    make_action(thailand, [10], Status.PLANNED)
    assert client.get(URL, headers={"If-None-Match": held["ETag"]}).status_code == 200


@pytest.mark.parametrize("header", ["If-Modified-Since", "If-None-Match"])
def test_a_malformed_condition_is_ignored_not_an_error(client, follow_up, header):
    assert client.get(URL, headers={header: "next Tuesday, maybe"}).status_code == 200


def test_the_version_is_read_from_the_database_so_every_process_agrees(client, follow_up):
    etag = client.get(URL)["ETag"]
    cache.clear()  # another process's memory cache knows nothing of this one's
    assert client.get(URL)["ETag"] == etag == DataVersion.objects.current().etag


def test_last_modified_is_when_the_data_changed(client, follow_up):
    version = DataVersion.objects.current()
    assert client.get(URL)["Last-Modified"] == http_date(version.changed_at.timestamp())
