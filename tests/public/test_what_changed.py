"""What changed since a date, its feeds, and progress over time on the public pages."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
import time_machine
from django.core.cache import cache

from recommendations.models import Actor, Status, Theme
from recommendations.public import page_cache

from .conftest import add_actions, make_action
from .test_feeds import ATOM, atom, titles

DAY = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture
def history(workshop, thailand, australia):
    """Thailand planned ¶12 in 2008, completed it in 2026 (a month before `DAY`); Australia joined the MOU."""
    with time_machine.travel(datetime.datetime(2008, 2, 1, 9, tzinfo=datetime.UTC), tick=False):
        plan = make_action(thailand, [12], Status.PLANNED, as_of=datetime.date(2008, 1, 15), title="Plan <b>one</b>")
    with time_machine.travel(DAY - datetime.timedelta(days=30), tick=False):
        mou = make_action(
            thailand, [12], Status.COMPLETED, as_of=datetime.date(2026, 2, 1), partners=(australia,), title="MOU"
        )
    return {"plan": plan, "mou": mou}


def rows(page: str) -> list[str]:
    """The table's rows as text, one string a row."""
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        " ".join("".join(ElementTree.fromstring(f"<tr{row}").itertext()).split())  # noqa: S314 - our own page
        for row in table.split("<tr")[1:]
    ]


@time_machine.travel(DAY, tick=False)
def test_the_changes_since_a_date_say_before_after_when_and_through_what(client, history):
    page = client.get("/changes/?since=2026-01-01").content.decode()
    assert "What changed since 1 January 2026" in page
    assert rows(page) == [
        "8 February 2026 Australia ¶12 – No information provided ● Completed 1 February 2026 MOU",
        "8 February 2026 Thailand ¶12 ◔ Planned ● Completed 1 February 2026 MOU",
    ]
    assert f'href="/actions/{history["mou"].pk}/"' in page
    assert 'href="/recommendations/bangkok-2006/12/#status-THA"' in page
    everything = rows(client.get("/changes/?since=2006-04-26").content.decode())
    assert (
        everything[-1]
        == "1 February 2008 Thailand ¶12 – No information provided ◔ Planned 15 January 2008 Plan <b>one</b>"
    )


@time_machine.travel(DAY, tick=False)
def test_without_a_date_the_page_shows_the_last_thirty_days(client, history):
    page = client.get("/changes/").content.decode()
    assert 'value="2026-02-08"' in page
    assert len(rows(page)) == 2
    assert (
        "No status changed on the public record since then."
        in client.get("/changes/?since=2026-03-01").content.decode()
    )


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-13-01", "20260101", "2006-04-25", "2026-03-11", "2026-03-10T00:00", "²⁰²⁶-01-01"]
)
@time_machine.travel(DAY, tick=False)
def test_a_date_that_cannot_be_read_is_a_bad_request(client, history, since):
    response = client.get("/changes/", {"since": since})
    assert response.status_code == 400


@time_machine.travel(DAY, tick=False)
def test_the_changes_come_fifty_a_page(client, workshop, thailand):
    add_actions(60, thailand, [])
    for number in range(7, 26):
        make_action(thailand, [number], Status.PLANNED)
        make_action(Actor.objects.get(code="AUS"), [number], Status.PLANNED)
        make_action(Actor.objects.get(code="VNM"), [number], Status.PLANNED)
    first = client.get("/changes/?since=2026-03-01").content.decode()
    assert len(rows(first)) == 50
    assert "1–50 of 57 changes" in first
    assert len(rows(client.get("/changes/?since=2026-03-01&page=2").content.decode())) == 7
    assert client.get("/changes/?since=2026-03-01&page=3").status_code == 404
    assert client.get("/changes/?since=2026-03-01&page=two").status_code == 400


@time_machine.travel(DAY, tick=False)
def test_the_changes_page_runs_the_same_queries_at_n_and_ten_times_n(
    client, history, thailand, django_assert_num_queries
):
    for count in (5, 50):
        add_actions(count, thailand, [13, 14])
        # the data version, the header (meeting, demo flags: read once per data version), the
        # milestones, actors, paragraphs with meetings, actions
        with django_assert_num_queries(6):
            assert client.get("/changes/?since=2008-01-01").status_code == 200


@time_machine.travel(DAY, tick=False)
def test_every_date_and_page_of_the_changes_reads_the_milestones_once_per_data_version(
    client, history, django_assert_num_queries
):
    first = rows(client.get("/changes/?since=2006-04-26").content.decode())
    # the data version, actors, paragraphs with meetings, actions: the changes are those worked out
    # for the first date, the header that of the first page
    with django_assert_num_queries(4):
        later = rows(client.get("/changes/?since=2026-01-01").content.decode())
    assert later == first[:2]
    make_action(Actor.objects.get(code="VNM"), [12], Status.IN_PROGRESS, as_of=datetime.date(2026, 3, 1))
    with django_assert_num_queries(6):
        assert len(rows(client.get("/changes/?since=2026-01-01").content.decode())) == 3


@time_machine.travel(DAY, tick=False)
def test_the_status_change_feeds_tell_each_change(client, history):
    feed = atom(client.get("/feeds/status-changes.atom"))
    assert titles(feed) == [
        "Australia on ¶12: No information provided → Completed",
        "Thailand on ¶12: Planned → Completed",
        "Thailand on ¶12: No information provided → Planned",
    ]
    entry = feed.findall(f"{ATOM}entry")[2]
    assert entry.find(f"{ATOM}updated").text.startswith("2008-02-01T00:00:00")
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/recommendations/bangkok-2006/12/#status-THA"
    assert "through the action “Plan &lt;b&gt;one&lt;/b&gt;”" in entry.find(f"{ATOM}summary").text
    ids = [entry.find(f"{ATOM}id").text for entry in feed.iter(f"{ATOM}entry")]
    assert len(set(ids)) == 3
    assert len(titles(atom(client.get("/actors/THA/status-changes.atom")))) == 2
    assert titles(atom(client.get("/actors/aus/status-changes.atom"))) == [titles(feed)[0]]
    assert len(titles(atom(client.get("/recommendations/bangkok-2006/12/status-changes.atom")))) == 3
    assert titles(atom(client.get("/recommendations/bangkok-2006/7/status-changes.atom"))) == []


# site: the cut-off day, the milestones, actors, paragraphs with meetings, actions; an actor's
# and a recommendation's: two more, for the actor or the recommendation itself and for the
# versions of the parts of the data the feed shows.
@pytest.mark.parametrize(
    "url, queries",
    [
        ("/feeds/status-changes.atom", 6),
        ("/actors/THA/status-changes.atom", 8),
        ("/recommendations/bangkok-2006/12/status-changes.atom", 8),
    ],
)
def test_a_status_change_feed_runs_the_same_queries_at_n_and_ten_times_n(
    client, history, thailand, django_assert_num_queries, url, queries
):
    for count in (5, 50):
        add_actions(count, thailand, [12, 13])
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@time_machine.travel(DAY, tick=False)
@pytest.mark.parametrize(
    "url, name, about",
    [
        ("/", "chart-all", "all actors"),
        ("/actors/THA/", "chart-actor", "Thailand on the recommendations"),
        ("/recommendations/bangkok-2006/12/", "chart-paragraph", "the actors on paragraph 12"),
    ],
)
def test_each_page_charts_its_statuses_by_month(client, history, url, name, about):
    page = client.get(url).content.decode()
    assert f'<title id="{name}-title">Statuses by month, {about}, April 2006 to March 2026</title>' in page
    assert "High-level Dialogue, 14 September 2006" in page
    assert "The chart as a table" in page


@time_machine.travel(DAY, tick=False)
def test_the_chart_follows_the_reading_and_marks_its_date(client, history):
    now = client.get("/actors/THA/?as_of=2008-01-31").content.decode()
    record = client.get("/actors/THA/?as_of=2008-01-31&record=1").content.decode()
    assert "As of 31 January 2008" in now and "As of 31 January 2008" in record
    # The plan holds as of 15 January 2008 but was published on 1 February.
    assert '<time datetime="2008-01-31">January 2008</time></th><td>0</td><td>0</td><td>0</td><td>1</td>' in now
    assert '<time datetime="2008-01-31">January 2008</time></th><td>0</td><td>0</td><td>0</td><td>0</td>' in record
    assert "from the day it was published" in record


@pytest.mark.parametrize("url", ["/", "/actors/THA/", "/recommendations/bangkok-2006/12/"])
def test_a_page_asked_for_a_date_it_cannot_read_says_so(client, history, url):
    assert client.get(f"{url}?as_of=2006-02-30").status_code == 400


def test_a_theme_has_a_page_with_its_chart_and_its_recommendations(client, history):
    theme = Theme.objects.get(meeting__code="bangkok-2006", position=2)
    page = client.get(f"/documents/bangkok-2006/themes/{theme.position}/").content.decode()
    assert f"<h1>{theme}</h1>" in page
    assert "Statuses by month, the actors on the recommendations of theme" in page
    for paragraph in theme.paragraphs.all():
        assert f'href="{paragraph.get_absolute_url()}"' in page
    assert (
        f'href="/documents/bangkok-2006/themes/{theme.position}/"'
        in client.get("/documents/bangkok-2006/").content.decode()
    )
    assert client.get("/documents/bangkok-2006/themes/99/").status_code == 404
    assert client.get("/documents/nowhere/themes/2/").status_code == 404
    assert client.get("/documents/bangkok-2006/themes/2/?as_of=1999-01-01").status_code == 400


def test_a_theme_page_runs_the_same_queries_at_n_and_ten_times_n(client, history, thailand, django_assert_num_queries):
    for count in (5, 50):
        add_actions(count, thailand, [9, 10])
        # Made afresh each time: more actions of the same statuses leave the cached page as it is.
        cache.clear()
        page_cache.recent.clear()
        # the data version, the header (meeting, demo flags: read once per data version), theme,
        # the versions of the parts of the data it shows, paragraphs, reporting actors, addressees
        # as written, group memberships, statuses, the milestones for the chart
        with django_assert_num_queries(10):
            assert client.get("/documents/bangkok-2006/themes/2/").status_code == 200


def test_the_pages_name_the_status_change_feeds(client, history):
    for url, feed in [
        ("/", "/feeds/status-changes.atom"),
        ("/actors/THA/", "/actors/THA/status-changes.atom"),
        ("/recommendations/bangkok-2006/12/", "/recommendations/bangkok-2006/12/status-changes.atom"),
        ("/changes/", "/feeds/status-changes.atom"),
    ]:
        page = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" title="Status changes' in page
        assert f'href="{feed}"' in page
