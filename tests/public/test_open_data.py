"""Open data: recommendations, actions and statuses as CSV, JSON and Excel, with the list's filters."""

import csv
import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.http import StreamingHttpResponse

from recommendations.models import Status
from recommendations.public.exports import DATASETS

from .conftest import add_actions, make_action

SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def download(client, dataset, fmt, query=""):
    response = client.get(f"/{dataset}/export.{fmt}?{query}")
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    body = response.getvalue()
    if fmt == "json":
        return json.loads(body)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - our own output
    rows = [["".join(cell.itertext()) for cell in row.iter(f"{SHEET}c")] for row in sheet.iter(f"{SHEET}row")]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def listed(client, query):
    """The page's paragraphs, and how many the list holds in all."""
    response = client.get(f"/recommendations/?{query}")
    page = response.content.decode()
    found = re.findall(r'<h2><a href="/recommendations/bangkok-2006/(\d+)/">', page)
    return [f"bangkok-2006/{n}" for n in found], response.context["page"].paginator.count


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("query", ["", "status=completed", "actor=THA", "tracked=no", "q=Canberra", "addressee=BALI"])
def test_the_recommendations_export_holds_the_same_rows_as_the_page(client, follow_up, fmt, query):
    rows = download(client, "recommendations", fmt, query)
    expected, count = listed(client, query)
    assert [row["id"] for row in rows][: len(expected)] == expected
    assert len(rows) == count


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_actions_export_holds_published_actions_only(client, follow_up, fmt):
    rows = download(client, "actions", fmt)
    assert sorted(row["title"] for row in rows) == [
        "Memorandum of understanding on labour migration",
        "National plan on migration data",
        "Survey of remittance costs",
    ]
    mou = next(row for row in rows if row["title"].startswith("Memorandum"))
    assert mou["id"] == f"action-{follow_up['mou'].pk}"
    assert mou["recommendations"] in (["bangkok-2006/12"], "bangkok-2006/12")
    assert mou["partners"] in (["AUS"], "AUS")
    assert mou["url"] == f"http://testserver/actions/{follow_up['mou'].pk}/"
    assert client.get(mou["url"]).context["action"] == follow_up["mou"]


def test_the_actions_export_honours_actor_and_status(client, follow_up):
    assert [row["title"] for row in download(client, "actions", "json", "actor=AUS&status=completed")] == [
        "Memorandum of understanding on labour migration"
    ]
    assert download(client, "actions", "json", "actor=AUS&tracked=no") == []


def test_the_status_matrix_export_has_one_row_per_reported_pair(client, follow_up):
    rows = download(client, "statuses", "csv")
    assert {(row["recommendation"], row["actor"], row["status"]) for row in rows} == {
        ("bangkok-2006/7", "THA", "planned"),
        ("bangkok-2006/8", "AUS", "not_started"),
        ("bangkok-2006/12", "AUS", "completed"),
        ("bangkok-2006/12", "THA", "completed"),
    }
    assert {row["set_by"] for row in rows} == {"actions"}
    assert [row["actor"] for row in download(client, "statuses", "xlsx", "actor=THA&status=planned")] == ["THA"]


def test_every_export_cell_a_spreadsheet_would_run_is_neutralised_in_csv(client, follow_up, thailand):
    make_action(thailand, [10], Status.PLANNED, title='=HYPERLINK("http://evil.example")')
    titles = [row["title"] for row in download(client, "actions", "csv")]
    assert '\'=HYPERLINK("http://evil.example")' in titles
    xlsx_titles = [row["title"] for row in download(client, "actions", "xlsx")]
    assert '=HYPERLINK("http://evil.example")' in xlsx_titles  # an inline string, never a formula


def test_excel_keeps_text_that_xml_cannot_hold_out_of_the_file(client, follow_up, thailand):
    make_action(thailand, [10], Status.PLANNED, title="Bell \x07 and <tag> & more")
    assert "Bell  and <tag> & more" in [row["title"] for row in download(client, "actions", "xlsx")]


@pytest.mark.parametrize("url", ["/nothing/export.csv", "/actions/export.pdf", "/recommendations/export.exe"])
def test_an_unknown_dataset_or_format_is_a_404(client, workshop, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_a_bad_filter_on_an_export_is_a_400_with_the_reason(client, workshop, dataset):
    response = client.get(f"/{dataset}/export.json?status=finished")
    assert response.status_code == 400
    assert "Unknown status" in response.json()["error"]
    assert client.get(f"/{dataset}/export.csv?q=" + "x" * 500).status_code == 400


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_exports_run_the_same_queries_at_n_and_ten_times_n_actions(
    client, follow_up, thailand, django_assert_num_queries, dataset
):
    expected = {
        # meetings with their themes and actors for the filter choices, the data version for the
        # ETag, then the paragraphs and addressees, the paragraph ids, their addressees as written
        # and the group memberships
        "recommendations": 8,
        # choices, the data version, the recommendation ids, the actions, their partners,
        # recommendations, evidence
        "actions": 8,
        # choices, the data version, the recommendation ids, the statuses with actors and paragraphs
        "statuses": 5,
        # choices (the actors among them), the data version
        "actors": 3,
        # choices, the data version, the recommendation ids, then the pairs of published actions
        "action-recommendations": 5,
        "action-partners": 5,
        "paragraph-addressees": 5,
    }[dataset]
    with django_assert_num_queries(expected):
        download(client, dataset, "csv")
    add_actions(30, thailand, [12, 13])
    with django_assert_num_queries(expected):
        download(client, dataset, "csv")
    add_actions(300, thailand, [14])
    with django_assert_num_queries(expected):
        download(client, dataset, "csv")
