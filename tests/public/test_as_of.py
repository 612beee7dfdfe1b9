"""The public pages and the status exports as of a past date, in both readings."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Actor, Status
from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs
from recommendations.public import page_cache

from .conftest import add_actions, make_action

DIALOGUE = "as_of=2006-09-14"
RECORD = "as_of=2006-09-14&record=1"

PAGES = ["/", "/recommendations/", "/recommendations/bangkok-2006/12/", "/actors/THA/", "/documents/bangkok-2006/"]
EXPORTS = ["/statuses/export.csv", "/statuses/export.json", "/statuses/export.xlsx", "/matrix/export.csv"]


def made_on(day: str, *args, **kwargs):
    """An action published on `day`, as if it had been entered then."""
    with time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+00:00"), tick=False):
        return make_action(*args, **kwargs)


@pytest.fixture
def late_report(workshop, thailand, australia):
    """Thailand's ¶12: in progress as of August 2006, reported in 2010; completed as of 2009, revised in 2010.

    Australia's ¶8: planned as of June 2006, published at once.
    """
    action = made_on("2010-03-01", thailand, [12], Status.IN_PROGRESS, as_of=datetime.date(2006, 8, 1))
    with time_machine.travel(datetime.datetime(2010, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        action.status, action.status_as_of = Status.COMPLETED, datetime.date(2009, 5, 1)
        action.save()
        refresh_implementation_statuses(status_pairs(action))
    made_on("2006-06-02", australia, [8], Status.PLANNED, as_of=datetime.date(2006, 6, 1))
    return action


def matrix_rows(response) -> dict:
    text = response.getvalue().decode("utf-8-sig")
    return {row["actor"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_dashboard_shows_the_statuses_of_the_day_in_each_reading(client, late_report, thailand, australia):
    today = client.get("/").context["figures"]
    known = client.get(f"/?{DIALOGUE}").context["figures"]
    record = client.get(f"/?{RECORD}").context["figures"]
    p12 = next(p for p in known.recommendations if p.number == 12)
    p8 = next(p for p in known.recommendations if p.number == 8)
    assert today.cells[thailand.pk, p12.pk] == "completed"
    assert known.cells[thailand.pk, p12.pk] == "in_progress"
    assert record.cells[thailand.pk, p12.pk] == ""
    assert known.cells[australia.pk, p8.pk] == record.cells[australia.pk, p8.pk] == "planned"
    page = client.get(f"/?{RECORD}").content.decode()
    assert "as of 14 September 2006 (the public record of that day)" in page
    assert "The actors, the addressees and the paragraphs are today's." in page


def test_the_dashboard_caches_each_reading_apart(client, late_report):
    first = client.get("/").content.decode()
    assert client.get(f"/?{RECORD}").content.decode() != first
    assert client.get("/").content.decode() == first


def test_a_dashboard_on_another_date_of_the_same_reading_counts_the_chart_s_months_no_more(
    client, late_report, django_assert_num_queries
):
    client.get(f"/?{DIALOGUE}")
    # the data version, the parts of the data the page shows, recommendations, actors, the
    # addressees as written, the group memberships, the statuses of the day, latest actions, their
    # recommendations: the months are those counted for the Dialogue's day, with the new date marked
    with django_assert_num_queries(9):
        page = client.get("/?as_of=2010-01-01").content.decode()
    assert "As of 1 January 2010" in page
    # the other reading counts its own months
    with django_assert_num_queries(10):
        client.get("/?as_of=2010-01-01&record=1")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("query", [DIALOGUE, RECORD])
def test_every_page_takes_a_date_and_a_reading_and_offers_the_picker(client, late_report, url, query):
    page = client.get(f"{url}?{query}").content.decode()
    assert "as of 14 September 2006" in page
    assert 'name="as_of"' in page and 'value="2006-09-14"' in page
    assert ('name="record" value="1" checked' in page) == ("record" in query)
    assert "Opening of the High-level Dialogue" in page and "End of 2006" in page


@pytest.mark.parametrize("url", PAGES + EXPORTS + ["/datapackage.json"])
@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("as_of=2006-04-25", "before the workshop"),
        ("as_of=2999-01-01", "after today"),
        ("as_of=14-09-2006", "is not a date"),
        (f"{DIALOGUE}&record=maybe", "is not a reading"),
    ],
)
def test_a_date_that_cannot_be_read_is_a_clear_400(client, workshop, url, query, reason):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_the_paragraph_page_lists_each_actors_status_of_the_day(client, late_report):
    known = client.get(f"/recommendations/bangkok-2006/12/?{DIALOGUE}")
    assert [(row.actor.code, row.status, row.as_of) for row in known.context["statuses"]] == [
        ("THA", "in_progress", datetime.date(2006, 8, 1))
    ]
    record = client.get(f"/recommendations/bangkok-2006/12/?{RECORD}")
    assert record.context["statuses"] == []
    later = client.get("/recommendations/bangkok-2006/12/?as_of=2010-03-01&record=1")
    assert [row.status for row in later.context["statuses"]] == ["in_progress"]


def test_the_actor_page_shows_the_status_of_the_day(client, late_report):
    rows = dict(client.get(f"/actors/THA/?{DIALOGUE}").context["rows"])
    assert {p.number: row.status for p, row in rows.items() if row} == {12: "in_progress"}
    rows = dict(client.get("/actors/THA/?as_of=2009-06-01").context["rows"])
    assert {p.number: row.status for p, row in rows.items() if row} == {12: "completed"}


def test_the_list_filters_and_sorts_by_the_status_of_the_day(client, late_report):
    found = client.get(f"/recommendations/?status=in_progress&{DIALOGUE}").context["page"]
    assert [p.number for p in found] == [12]
    assert not client.get(f"/recommendations/?status=in_progress&{RECORD}").context["page"].object_list
    assert [p.number for p in client.get("/recommendations/?status=completed").context["page"]] == [12]
    ranked = client.get(f"/recommendations/?sort=-progress&{DIALOGUE}").context["page"]
    assert [p.number for p in ranked][:2] == [12, 8]


def test_the_matrix_export_names_its_date_and_reading(client, late_report):
    response = client.get(f"/matrix/export.csv?{RECORD}")
    assert "apc-tracker-matrix-as-of-2006-09-14-record-" in response["Content-Disposition"]
    rows = matrix_rows(response)
    assert rows["AUS"]["bangkok-2006/8"] == "Planned"
    assert rows["THA"]["bangkok-2006/12"] == "No information provided"
    rows = matrix_rows(client.get(f"/matrix/export.csv?{DIALOGUE}"))
    assert rows["THA"]["bangkok-2006/12"] == "In progress"
    assert matrix_rows(client.get("/matrix/export.csv"))["THA"]["bangkok-2006/12"] == "Completed"


def test_the_statuses_export_gives_the_statuses_of_the_day(client, late_report):
    response = client.get(f"/statuses/export.json?{DIALOGUE}&actor=THA")
    rows = json.loads(response.getvalue())
    assert [(r["recommendation"], r["status"], r["as_of"], r["set_by"]) for r in rows] == [
        ("bangkok-2006/12", "in_progress", "2006-08-01", "actions")
    ]
    response = client.get(f"/statuses/export.csv?{RECORD}")
    assert "apc-tracker-statuses-as-of-2006-09-14-record-" in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8-sig")
    assert [row["actor"] for row in csv.DictReader(io.StringIO(text))] == ["AUS"]


def test_the_data_package_says_its_date_and_reading(client, workshop):
    package = client.get(f"/datapackage.json?{RECORD}").json()
    assert package["name"] == "apc-tracker-as-of-2006-09-14-record"
    assert package["asOf"] == {"date": "2006-09-14", "reading": "record"}
    statuses = next(r for r in package["resources"] if r["name"] == "statuses")
    assert statuses["path"].endswith("/statuses/export.csv?as_of=2006-09-14&record=1")
    assert "asOf" not in client.get("/datapackage.json").json()


def queries_of(client, url: str) -> list[int]:
    """How many queries the page or export runs, in each reading of the Dialogue's day."""
    counts = []
    for query in (DIALOGUE, RECORD):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?{query}")
            if response.streaming:
                response.getvalue()
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("url", PAGES + ["/statuses/export.csv", "/matrix/export.csv", "/datapackage.json"])
def test_a_page_on_a_date_runs_the_same_queries_at_n_and_ten_times_n_actions(client, late_report, thailand, url):
    cache.clear()
    page_cache.recent.clear()
    few = queries_of(client, url)
    assert max(few) <= 17
    add_actions(30, thailand, [10, 11])
    for code in ("IOM", "AUS", "VNM"):
        make_action(Actor.objects.get(code=code), [20, 21], Status.ONGOING_PRACTICE, as_of=datetime.date(2006, 7, 1))
    cache.clear()
    page_cache.recent.clear()
    assert queries_of(client, url) == few
