"""The public read API: the exports' rows and filters, paged, cached by the data version, limited."""

import json

import pytest
from django.test import Client

from recommendations.models import Actor

from .conftest import add_actions, as_exported, every_item

pytestmark = pytest.mark.usefixtures("unthrottled")

# Each list, the export whose rows it gives, and the field(s) identifying a row.
RESOURCES = [
    ("recommendations", "recommendations", ("id",)),
    ("actions", "actions", ("id",)),
    ("statuses", "statuses", ("recommendation", "actor")),
    ("actors", "actors", ("code",)),
]
FILTERS = ["", "?actor=THA", "?status=completed", "?tracked=yes&addressee=AUS", "?q=labour", "?meeting=bangkok-2006"]


def _by_key(rows: list[dict], key: tuple[str, ...]) -> dict:
    return {tuple(row[name] for name in key): row for row in rows}


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize(("resource", "dataset", "key"), RESOURCES)
def test_an_api_item_is_the_export_row_with_the_same_identifier(client, follow_up, resource, dataset, key, query):
    exported = json.loads(client.get(f"/{dataset}/export.json{query}").getvalue())
    items = every_item(client, f"/api/v1/{resource}/{query}{'&' if query else '?'}page_size=7")
    assert items, "the fixture gives every list something to compare"
    exported, items = _by_key(exported, key), _by_key(items, key)
    assert items.keys() == exported.keys()
    for identifier, item in items.items():
        assert item.keys() == exported[identifier].keys(), identifier
        for name, value in item.items():
            assert as_exported(value) == exported[identifier][name], (identifier, name)


def test_the_statuses_are_todays_whatever_date_is_asked(client, follow_up):
    today = every_item(client, "/api/v1/statuses/")
    assert every_item(client, "/api/v1/statuses/?as_of=2006-05-01&record=1") == today
    assert every_item(client, "/api/v1/statuses/?as_of=not-a-date") == today


def test_drafts_never_reach_the_api(client, follow_up):
    titles = {item["title"] for item in every_item(client, "/api/v1/actions/")}
    assert "Secret draft about smuggling" not in titles
    assert len(titles) == 3


def test_meetings_and_themes_are_listed_with_their_identifiers(client, workshop):
    meetings = every_item(client, "/api/v1/meetings/")
    assert [meeting["code"] for meeting in meetings] == ["bangkok-2006"]
    assert meetings[0]["start_date"] == "2006-04-26"
    assert meetings[0]["url"] == "http://testserver/documents/bangkok-2006/"
    themes = every_item(client, "/api/v1/themes/?page_size=2")
    assert themes and all(theme["meeting"] == "bangkok-2006" for theme in themes)
    first = themes[0]
    paragraphs = every_item(client, f"/api/v1/recommendations/?theme={first['id']}")
    assert paragraphs and {paragraph["theme"] for paragraph in paragraphs} == {first["heading"]}


def test_pages_follow_one_another_without_gaps_or_repeats(client, follow_up):
    everything = [item["id"] for item in every_item(client, "/api/v1/recommendations/?page_size=1000")]
    paged = [item["id"] for item in every_item(client, "/api/v1/recommendations/?page_size=4")]
    assert paged == everything and len(set(paged)) == len(paged) == 25
    first = client.get("/api/v1/recommendations/?page_size=4").json()
    back = client.get(client.get(first["next"]).json()["previous"]).json()
    assert [item["id"] for item in back["results"]] == [item["id"] for item in first["results"]]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("meeting=nowhere", "No meeting has the code given in ?meeting=."),
        ("theme=999999", "No theme has the number given in ?theme=."),
        ("addressee=XXX", "No actor has the code given in ?addressee=."),
        ("actor=ALL-STATES", "No actor has the code given in ?actor=."),
        ("status=finished", "Unknown status in ?status="),
        ("tracked=maybe", "?tracked= is yes or no."),
    ],
)
@pytest.mark.parametrize("resource", ["recommendations", "actions", "statuses"])
def test_a_bad_filter_is_a_400_with_the_reason(client, workshop, resource, query, reason):
    response = client.get(f"/api/v1/{resource}/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert reason in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actions/?cursor=nonsense",
        # p=abc and p=99999999999999999999: not a key.
        "/api/v1/actions/?cursor=cD1hYmM%3D",
        "/api/v1/statuses/?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OQ%3D%3D",
        # p= and 40 letters: no actor code is so long.
        "/api/v1/actors/?cursor=cD1BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB",
    ],
)
def test_a_cursor_the_api_did_not_give_is_a_404(client, workshop, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid cursor"


def test_the_index_gives_the_address_of_each_list_the_schema_and_the_docs(client, workshop):
    index = client.get("/api/v1/").json()
    assert index["actions"] == "http://testserver/api/v1/actions/"
    assert index["docs"] == "http://testserver/api/v1/docs/"
    for url in index.values():
        assert client.get(url).status_code == 200, url


def test_errors_are_json_with_a_reason(client, workshop):
    unknown = client.get("/api/v1/nothing-here/")
    assert unknown.status_code == 404 and "/api/v1/docs/" in unknown.json()["detail"]
    posted = client.post("/api/v1/actions/", {}, content_type="application/json")
    assert posted.status_code == 405 and posted.json()["detail"] == 'Method "POST" not allowed.'
    strict = Client(enforce_csrf_checks=True)
    for url in ("/api/v1/my/actions/-1/submit/", "/api/v1/my/actions/1234567890123456789/", "/api/v1/my/%0A/"):
        refused = strict.post(url, {}, content_type="application/json")
        assert refused.status_code == 404 and "detail" in refused.json()


@pytest.mark.parametrize("resource", ["recommendations", "actions", "statuses", "actors", "meetings", "themes"])
def test_a_client_holding_the_data_version_gets_304(client, follow_up, resource):
    first = client.get(f"/api/v1/{resource}/")
    assert first.status_code == 200
    assert first["ETag"] == client.get("/actions/export.json")["ETag"]
    again = client.get(f"/api/v1/{resource}/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(f"/api/v1/{resource}/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    Actor.objects.filter(code="THA").update(short_name="Thailand")
    Actor.objects.get(code="THA").save()
    changed = client.get(f"/api/v1/{resource}/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_read_api_may_be_read_from_any_origin_but_not_its_reporting_part(client, workshop):
    origin = "https://data.example.net"
    response = client.get("/api/v1/actions/", headers={"Origin": origin})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/my/actions/", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_anonymous_clients_are_limited_per_address(client, workshop, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    for page_size in (1, 2, 3):
        assert client.get(f"/api/v1/meetings/?page_size={page_size}").status_code == 200
    refused = client.get("/api/v1/meetings/?page_size=4")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    assert client.get("/api/v1/meetings/?page_size=4", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_answers_from_the_cache_are_not_counted_against_the_limit(client, workshop, settings):
    """The limit spares the servers' work: an answer already made costs a cache read, not a query run."""
    settings.API_ANONYMOUS_RATE = "3/minute"
    for _ in range(6):
        assert client.get("/api/v1/meetings/").status_code == 200


# Queries of every filtered list: the meetings with their themes, the actors (the filters'
# choices), the data version, the page's keys, then its rows as the export reads them.
QUERIES = {
    # Whom the page's paragraphs address (their addressees, the groups' entered members), the
    # paragraphs, and their addressees as written.
    "recommendations": 4 + 4,
    # The paragraphs' keys, then the actions, their partners, recommendations and evidence.
    "actions": 4 + 1 + 4,
    # The paragraphs' keys, then the statuses with their actors and paragraphs.
    "statuses": 4 + 1 + 1,
}


@pytest.mark.parametrize("resource", QUERIES)
@pytest.mark.parametrize("query", ["", "?actor=THA&status=in_progress&tracked=yes"])
def test_every_list_runs_a_fixed_number_of_queries(client, follow_up, django_assert_num_queries, resource, query):
    thailand = Actor.objects.get(code="THA")
    counts = []
    for size in (10, 100):
        add_actions(size - (counts and 10 or 0), thailand, [10, 11])
        with django_assert_num_queries(QUERIES[resource]) as captured:
            assert client.get(f"/api/v1/{resource}/{query}").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("resource", "queries"), [("actors", 2), ("meetings", 2), ("themes", 2)])
def test_the_plain_lists_run_a_fixed_number_of_queries(client, workshop, django_assert_num_queries, resource, queries):
    # The data version, then the page.
    with django_assert_num_queries(queries):
        assert client.get(f"/api/v1/{resource}/").status_code == 200
