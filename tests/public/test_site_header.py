"""The header's meeting and demo notice are read once per data version, not on every page."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Status
from tests.conftest import sign_in_with_second_factor

from .conftest import make_action

PAGES = ["/", "/about/", "/recommendations/", "/actors/THA/", "/documents/bangkok-2006/", "/about/"]


def header_reads(client, urls) -> int:
    """How many of the pages' queries read the header's meeting and demo flags."""
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200
    return sum('AS "demo_actions"' in query["sql"] for query in queries)


def test_the_header_is_read_once_per_data_version_not_on_every_page(client, follow_up, thailand):
    assert header_reads(client, PAGES) == 1
    assert header_reads(client, PAGES) == 0
    make_action(thailand, [10], Status.PLANNED)
    assert header_reads(client, PAGES) == 1


def test_a_page_with_the_header_cached_reads_only_the_data_version_for_it(client, follow_up, django_assert_num_queries):
    client.get("/about/")
    with django_assert_num_queries(1):  # the data version
        client.get("/about/")


def test_the_cached_header_follows_the_data_at_once(client, follow_up):
    assert "Demo data:" not in client.get("/about/").content.decode()
    follow_up["plan"].is_demo = True
    follow_up["plan"].save()
    assert "Demo data:" in client.get("/about/").content.decode()


def test_the_cached_header_counts_down_from_today(client, workshop):
    with time_machine.travel("2006-09-04"):
        assert "10 days to the United Nations High-level Dialogue" in client.get("/about/").content.decode()
    with time_machine.travel("2006-09-13"):
        assert "1 day to the United Nations High-level Dialogue" in client.get("/about/").content.decode()


def test_the_admin_reads_neither_the_header_nor_the_data_version(client, secretariat, follow_up):
    sign_in_with_second_factor(client, secretariat)
    with CaptureQueriesContext(connection) as queries:
        for url in ["/admin/", "/admin/recommendations/followupaction/", "/admin/recommendations/actor/"]:
            assert client.get(url).status_code == 200
    read = " ".join(query["sql"] for query in queries)
    assert "demo_actions" not in read
    assert "recommendations_dataversion" not in read
