"""Atom feeds of newly published actions: the whole site, an actor, a recommendation."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest

from recommendations.models import Status
from recommendations.public.feeds import FEED_LENGTH

from .conftest import add_actions, make_action

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response) -> ElementTree.Element:
    """The feed as an XML parser reads it, checked against what Atom 1.0 requires of a feed and its entries."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the app's own output
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.iter(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{required}") is not None, f"{element.tag} has no {required}"
        assert element.find(f"{ATOM}link[@rel='alternate']") is not None
        datetime.datetime.fromisoformat(element.find(f"{ATOM}updated").text)
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    return feed


def titles(feed: ElementTree.Element) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


def test_the_site_feed_lists_published_actions_newest_first_and_never_a_draft(client, follow_up):
    feed = atom(client.get("/feeds/actions.atom"))
    assert titles(feed) == ["Survey of remittance costs", "National plan on migration data", follow_up["mou"].title]
    assert "Secret draft about smuggling" not in client.get("/feeds/actions.atom").content.decode()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/actions/{follow_up['survey'].pk}/"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Australia"
    assert [category.get("term") for category in entry.iter(f"{ATOM}category")] == ["bangkok-2006/8"]
    summary = feed.findall(f"{ATOM}entry")[2].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == (
        "<p>Thailand: Completed as of 1 August 2006, on ¶12.</p><p>Signed by both ministers of labour in Canberra.</p>"
    )


def test_an_actors_feed_holds_its_own_and_its_joint_actions(client, follow_up):
    assert titles(atom(client.get("/actors/THA/actions.atom"))) == [
        "National plan on migration data",
        follow_up["mou"].title,
    ]
    assert titles(atom(client.get("/actors/aus/actions.atom"))) == [
        "Survey of remittance costs",
        follow_up["mou"].title,
    ]
    feed = atom(client.get("/actors/IOM/actions.atom"))
    assert titles(feed) == []
    assert (
        feed.find(f"{ATOM}title").text
        == "APC Tracker: newly published actions of International Organization for Migration"
    )
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/actors/IOM/"


def test_a_recommendations_feed_holds_the_actions_that_answer_it(client, follow_up):
    feed = atom(client.get("/recommendations/bangkok-2006/12/actions.atom"))
    assert titles(feed) == [follow_up["mou"].title]
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/recommendations/bangkok-2006/12/"
    )
    assert titles(atom(client.get("/recommendations/bangkok-2006/9/actions.atom"))) == []


@pytest.mark.parametrize(
    "url",
    [
        "/actors/NOWHERE/actions.atom",
        "/actors/ALL-STATES/actions.atom",
        "/recommendations/bangkok-2006/99/actions.atom",
        "/recommendations/nowhere-1999/12/actions.atom",
        "/actors/NOWHERE/status-changes.atom",
        "/actors/ALL-STATES/status-changes.atom",
        "/recommendations/bangkok-2006/99/status-changes.atom",
    ],
)
def test_a_feed_of_an_unknown_actor_or_recommendation_is_not_found(client, follow_up, url):
    assert client.get(url).status_code == 404


def test_every_value_is_escaped(client, workshop, thailand):
    action = make_action(
        thailand,
        [12],
        Status.PLANNED,
        title='Plan <script>alert("x")</script> & "more"',
        description="<b>bold</b> & <img src=x onerror=alert(1)>",
    )
    action.is_demo = True
    action.save()
    response = client.get("/feeds/actions.atom")
    feed = atom(response)
    assert titles(feed) == ['Plan <script>alert("x")</script> & "more" (demo data)']
    summary = feed.find(f"{ATOM}entry/{ATOM}summary").text
    # The summary is HTML: the description's markup is text in it, escaped once more.
    assert "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>" in summary
    assert b"<script>" not in response.content


def test_a_feed_holds_the_twenty_newest(client, workshop, thailand):
    add_actions(FEED_LENGTH + 5, thailand, [12])
    newest = make_action(thailand, [7], title="The newest")
    assert titles(atom(client.get("/feeds/actions.atom")))[0] == "The newest"
    assert len(titles(atom(client.get("/actors/THA/actions.atom")))) == FEED_LENGTH
    assert newest.title not in titles(atom(client.get("/recommendations/bangkok-2006/12/actions.atom")))


# Each reads the data version (whether the cached feed is current), then
# site: the actions, then their recommendations with their meetings;
# actor: the actor, the version of its part of the data, its own actions, its joint ones, and
# each list's recommendations; recommendation: the paragraph with its meeting, the version of its
# part of the data, its actions, their recommendations.
@pytest.mark.parametrize(
    "url, queries",
    [("/feeds/actions.atom", 3), ("/actors/THA/actions.atom", 7), ("/recommendations/bangkok-2006/12/actions.atom", 5)],
)
def test_a_feed_reads_the_same_number_of_queries_at_n_and_ten_times_n(
    client, workshop, thailand, australia, django_assert_num_queries, url, queries
):
    for count in (3, 30):
        add_actions(count, thailand, [12, 15])
        add_actions(count, australia, [7], partner=thailand)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url, feed",
    [
        ("/", "/feeds/actions.atom"),
        ("/actors/THA/", "/actors/THA/actions.atom"),
        ("/recommendations/bangkok-2006/12/", "/recommendations/bangkok-2006/12/actions.atom"),
    ],
)
def test_pages_name_their_feed_for_feed_readers_and_people(client, follow_up, url, feed):
    page = client.get(url).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="Newly published actions' in page
    assert f'href="{feed}"' in page
    assert page.count(f'href="{feed}"') == 2
