"""The status matrix in wide form: an actor a row, a tracked recommendation a column."""

import csv
import io
import json

import pytest
from django.urls import reverse

from recommendations.models import Actor, Paragraph, Status
from recommendations.public.exports import NO_INFORMATION, NOT_ADDRESSED

from .conftest import add_actions, make_action


def wide(client, query="", fmt="csv"):
    response = client.get(f"/matrix/export.{fmt}?{query}")
    assert response.status_code == 200, response.content
    assert "attachment" in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def long_form(client, dataset, query=""):
    return json.loads(client.get(f"/{dataset}/export.json?{query}").getvalue())


def test_each_cell_is_the_status_no_information_or_not_addressed(client, follow_up, thailand):
    # Thailand reports on a recommendation that is not addressed to it.
    assert not Paragraph.objects.addressed_to(thailand).filter(number=23).exists()
    make_action(thailand, [23], Status.IN_PROGRESS, title="Regional dialogue anyway")
    rows = wide(client)
    recommendations = [row for row in long_form(client, "recommendations") if row["tracked"]]
    assert list(rows[0]) == ["actor", "actor_name", "actor_kind", *(row["id"] for row in recommendations)]
    reporting = Actor.objects.exclude(kind=Actor.Kind.STAKEHOLDER_GROUP).order_by("code")
    assert [row["actor"] for row in rows] == [actor.code for actor in reporting]
    labels = {(row["recommendation"], row["actor"]): row["status_label"] for row in long_form(client, "statuses")}
    for row in rows:
        for recommendation in recommendations:
            expected = labels.get((recommendation["id"], row["actor"])) or (
                NO_INFORMATION if row["actor"] in recommendation["addressed_to"] else NOT_ADDRESSED
            )
            assert row[recommendation["id"]] == expected, (row["actor"], recommendation["id"])
    by_actor = {row["actor"]: row for row in rows}
    assert by_actor["THA"]["bangkok-2006/12"] == "Completed"
    assert by_actor["THA"]["bangkok-2006/7"] == "Planned"
    assert by_actor["THA"]["bangkok-2006/23"] == "In progress"
    assert by_actor["AUS"]["bangkok-2006/8"] == "Not started"
    assert {row["bangkok-2006/8"] for row in rows if row["actor"] not in ("AUS", "THA")} >= {NO_INFORMATION}
    assert NOT_ADDRESSED in by_actor["AUS"].values()


def test_the_list_filters_choose_the_columns_and_the_kind_the_rows(client, follow_up):
    theme = Paragraph.objects.get(meeting__code="bangkok-2006", number=12).theme
    rows = wide(client, f"meeting=bangkok-2006&theme={theme.pk}&kind=government")
    expected = [
        f"bangkok-2006/{number}"
        for number in theme.paragraphs.filter(is_tracked=True).order_by("number").values_list("number", flat=True)
    ]
    assert list(rows[0])[3:] == expected
    assert {row["actor_kind"] for row in rows} == {"government"}
    assert [row["actor"] for row in rows] == sorted(
        Actor.objects.filter(kind=Actor.Kind.GOVERNMENT).values_list("code", flat=True)
    )
    assert [row["actor"] for row in wide(client, "actor=THA&status=completed")] == ["THA"]
    assert list(wide(client, "actor=THA&status=completed")[0])[3:] == ["bangkok-2006/12"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["stakeholder_group", "nation", "<b>x</b>", "x" * 5000])
def test_an_unknown_kind_is_a_400_that_says_so(client, workshop, fmt, kind):
    response = client.get(f"/matrix/export.{fmt}", {"kind": kind})
    assert response.status_code == 400
    assert b"?kind= is government, international_organisation or regional_process." in response.content
    assert b"<b>" not in response.content


def test_the_wide_matrix_has_no_json_form_the_statuses_export_has_it(client, workshop):
    assert client.get("/matrix/export.json").status_code == 404
    assert client.get("/statuses/export.json").status_code == 200


def test_the_wide_matrix_runs_a_fixed_number_of_queries(client, follow_up, thailand, django_assert_num_queries):
    # the filter's meetings with their themes and its actors, the data version for the ETag, the
    # tracked paragraphs, the addressees and group memberships, and the statuses
    with django_assert_num_queries(7):
        wide(client)
    add_actions(50, thailand, [9, 10, 11])
    Actor.objects.bulk_create(
        Actor(code=f"XA{chr(65 + n)}", name=f"Extra {n}", short_name=f"Extra {n}", kind=Actor.Kind.GOVERNMENT)
        for n in range(20)
    )
    reporting = Actor.objects.exclude(kind=Actor.Kind.STAKEHOLDER_GROUP).count()
    with django_assert_num_queries(7):
        assert len(wide(client)) == reporting


def test_the_dashboard_the_list_and_about_link_to_the_wide_matrix(client, workshop):
    dashboard = client.get("/").content.decode()
    assert 'href="/matrix/export.csv"' in dashboard and 'href="/matrix/export.xlsx"' in dashboard
    assert 'href="/matrix/export.csv?meeting=bangkok-2006"' in client.get(
        "/recommendations/?meeting=bangkok-2006"
    ).content.decode().replace("&amp;", "&")
    about = client.get(reverse("recommendations:about")).content.decode()
    assert 'href="/matrix/export.csv"' in about
    assert 'href="/matrix/export.xlsx"' in about


def test_the_wide_matrix_answers_304_while_the_data_is_unchanged(client, follow_up):
    first = client.get("/matrix/export.csv")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/matrix/export.csv", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
