"""Open data: the recommendations as JSON and CSV, against the workshop's own text."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from recommendations.documents.importer import import_outcomes
from recommendations.models import Meeting, Paragraph
from recommendations.public.exports import PARAGRAPH_COLUMNS, neutralise

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "fixtures" / "source" / "apc-gcim-workshop-bangkok-2006.txt"
).read_text(encoding="utf-8")


def seed_paragraphs() -> dict[int, str]:
    """Each numbered paragraph of the seed as written, wrapped lines joined."""
    body = SEED_TEXT.split("\n1. Efforts to achieve")[0] + "\n" + SEED_TEXT.split("national level\n", 1)[1]
    body = body.replace("good governance \nand research", "good governance and research")
    return {
        int(number): text.strip()
        for number, text in re.findall(r"^ ?(\d+)\. (.*)$", body, flags=re.MULTILINE)
        if int(number) <= 25 and not (1 <= int(number) <= 5 and len(text) < 200 and not text.endswith("."))
    }


def get_json(client, **params):
    response = client.get(reverse("recommendations:export", args=["recommendations", "json"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.getvalue())


def get_csv(client, **params):
    response = client.get(reverse("recommendations:export", args=["recommendations", "csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_json_holds_every_paragraph_verbatim_under_its_source_heading(client, workshop):
    rows = get_json(client, meeting="bangkok-2006")
    assert [row["paragraph"] for row in rows] == list(range(1, 26))
    assert list(rows[0]) == PARAGRAPH_COLUMNS
    expected = seed_paragraphs()
    assert len(expected) == 25
    for row in rows:
        assert row["text"] == expected[row["paragraph"]]
        assert row["tracked"] is (row["paragraph"] >= 7)
        assert row["meeting"] == "bangkok-2006"
        assert row["id"] == f"bangkok-2006/{row['paragraph']}"
        assert row["url"] == f"http://testserver/recommendations/bangkok-2006/{row['paragraph']}/"
    by_number = {row["paragraph"]: row for row in rows}
    assert by_number[3]["theme"] == ""
    assert by_number[7]["theme"] == "Efforts to achieve policy coherence at the national level"
    assert by_number[7]["theme_number"] == "1"
    assert by_number[25]["theme"] == "Expectations Regarding the High Level Dialogue"
    assert by_number[25]["theme_number"] == ""
    assert by_number[23]["addressees"] == ["APC", "BALI", "PIDC"]
    assert by_number[24]["addressees"] == ["DONOR-COUNTRIES", "IOM", "UNHCR"]


def test_csv_has_the_same_rows_and_columns_as_json(client, workshop):
    rows = get_csv(client, meeting="bangkok-2006")
    as_json = get_json(client, meeting="bangkok-2006")
    assert list(rows[0]) == PARAGRAPH_COLUMNS
    assert len(rows) == len(as_json) == 25
    for row, json_row in zip(rows, as_json, strict=True):
        assert row["text"] == json_row["text"]
        assert row["tracked"] == ("true" if json_row["tracked"] else "false")
        assert row["addressees"] == ";".join(json_row["addressees"])
        assert row["paragraph"] == str(json_row["paragraph"])


def test_the_meeting_filter_keeps_only_that_meetings_paragraphs(client, workshop):
    import_outcomes(text="Later meeting\n\nI. Follow-up\n\n1. States report back.\n", code="apc-2007")
    assert len(get_json(client)) == 26
    assert [row["id"] for row in get_json(client, meeting="apc-2007")] == ["apc-2007/1"]
    assert [row["id"] for row in get_csv(client, meeting="apc-2007")] == ["apc-2007/1"]


def test_a_meeting_whose_document_has_no_headings_has_its_own_export(client, workshop):
    import_outcomes(text="Later meeting\n\n1. States report back.\n\n2. States meet again.\n", code="apc-2007")
    assert [row["id"] for row in get_json(client, meeting="apc-2007")] == ["apc-2007/1", "apc-2007/2"]
    assert [row["id"] for row in get_csv(client, meeting="apc-2007")] == ["apc-2007/1", "apc-2007/2"]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("code", ["no-such-meeting", "x" * 5000, "<script>alert(1)</script>"])
def test_an_unknown_meeting_is_a_400_that_says_so(client, workshop, fmt, code):
    response = client.get(reverse("recommendations:export", args=["recommendations", fmt]), {"meeting": code})
    assert response.status_code == 400
    assert b"No meeting has the code" in response.content
    assert b"<script>" not in response.content


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, workshop, start):
    Paragraph.objects.filter(number=7).update(text=f'{start}HYPERLINK("http://evil.example")')
    rows = get_csv(client, meeting="bangkok-2006")
    assert rows[6]["text"] == f'\'{start}HYPERLINK("http://evil.example")'
    assert get_json(client, meeting="bangkok-2006")[6]["text"].startswith(start)


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Participants recognized") == "Participants recognized"
    assert neutralise("") == ""


def test_the_exports_run_a_fixed_number_of_queries_whatever_the_number_of_paragraphs(
    client, workshop, django_assert_num_queries
):
    # meetings with their themes and actors for the filter's choices, the data version for the
    # ETag, paragraphs with meeting and theme, their addressees, and their addressees resolved:
    # the paragraph ids, their addressees as written and the group memberships
    with django_assert_num_queries(8):
        get_json(client, meeting="bangkok-2006")
    text = "Big meeting\n\nI. All\n\n" + "\n\n".join(f"{n}. Paragraph {n}." for n in range(1, 251))
    import_outcomes(text=text, code="big")
    meeting = Meeting.objects.get(code="big")
    meeting.paragraphs.first().addressees.add(*workshop.paragraphs.get(number=23).addressees.all())
    with django_assert_num_queries(8):
        assert len(get_json(client, meeting="big")) == 250
    with django_assert_num_queries(8):
        assert len(get_csv(client, meeting="big")) == 250
