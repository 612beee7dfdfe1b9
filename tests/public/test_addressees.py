"""A paragraph addressed to a group is addressed to each of its members, on every page and export.

The workshop addresses 18 of its 25 paragraphs to "All States" (¶4, ¶7–22 and ¶25), never to a
government by name; "International organisations" are named in ¶7 and ¶14, donor countries in ¶24.
"""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations.models import Actor, GroupMembership, Paragraph, Status
from recommendations.progress import figures
from tests.conftest import sign_in_with_second_factor

from .conftest import make_action

ALL_STATES = [4, *range(7, 23), 25]
GROUPS = ["ALL-STATES", "CIVIL-SOCIETY", "PRIVATE-SECTOR", "TRADE-UNIONS", "EMPLOYMENT-SECTOR", "DONOR-COUNTRIES",
          "INTERNATIONAL-ORGANISATIONS"]  # fmt: skip


def listed(client, **params) -> list[int]:
    response = client.get("/recommendations/", {"sort": "document", **params})
    assert response.status_code == 200
    assert not response.context["filterset"].messages
    return [paragraph.number for paragraph in response.context["page"].paginator.object_list]


def export_json(client, dataset: str, **params) -> list[dict]:
    response = client.get(reverse("recommendations:export", args=[dataset, "json"]), params)
    assert response.status_code == 200, response.content
    return json.loads(response.getvalue())


@pytest.fixture
def donors(workshop, australia) -> Actor:
    """Australia entered as a donor country, with its source."""
    group = Actor.objects.get(code="DONOR-COUNTRIES")
    GroupMembership.objects.create(group=group, member=australia, source="OECD DAC member list")
    return group


def test_filtering_by_a_government_finds_the_paragraphs_addressed_to_all_states(client, workshop):
    assert listed(client, addressee="THA") == ALL_STATES
    assert listed(client, addressee="ALL-STATES") == ALL_STATES


def test_filtering_by_an_organisation_finds_it_by_name_and_as_an_international_organisation(client, workshop):
    assert listed(client, addressee="IOM") == [4, 7, 14, 24]
    assert listed(client, addressee="ILO") == [7, 14]
    assert listed(client, addressee="APC") == [12, 22, 23]


def test_the_addressee_filter_offers_the_groups_and_the_reporting_actor_filter_does_not(client, workshop):
    form = client.get("/recommendations/").context["filterset"].form
    addressees = {code for code, _ in form.fields["addressee"].choices}
    reporting = {code for code, _ in form.fields["actor"].choices}
    assert set(GROUPS) <= addressees
    assert not set(GROUPS) & reporting
    assert {"THA", "IOM", "APC"} <= reporting


def test_a_listed_group_addresses_only_the_members_the_secretariat_entered(client, donors):
    assert listed(client, addressee="AUS") == sorted([*ALL_STATES, 24])
    assert listed(client, addressee="VNM") == ALL_STATES
    assert listed(client, addressee="DONOR-COUNTRIES") == [24]


def test_the_sql_and_the_matrix_forms_of_the_rule_agree(donors):
    actors = list(Actor.objects.all())
    paragraphs = list(Paragraph.objects.values_list("pk", flat=True))
    pairs = Paragraph.objects.addressed_pairs(paragraphs, actors)
    for actor in actors:
        expected = set(Paragraph.objects.addressed_to(actor).values_list("pk", flat=True))
        assert {paragraph for actor_id, paragraph in pairs if actor_id == actor.pk} == expected, actor.code


def test_the_actor_page_marks_what_is_addressed_to_the_actor_through_its_groups(client, workshop):
    rows = client.get("/actors/THA/").context["rows"]
    assert [paragraph.number for paragraph, _ in rows if paragraph.addressed] == [n for n in ALL_STATES if n >= 7]
    page = client.get("/actors/ILO/").content.decode()
    assert page.count("<td>Yes</td>") == 2


def test_the_workspace_puts_the_recommendations_addressed_through_all_states_first(client, workshop, thai_focal_point):
    client.force_login(thai_focal_point)
    page = client.get("/my/").content.decode()
    marked = re.findall(r"Paragraph (\d+) — [^<]*</a>( <span class=\"tag\">addressed</span>)?", page)
    assert [int(number) for number, tag in marked if tag] == [n for n in ALL_STATES if n >= 7]
    assert [int(number) for number, _ in marked] == [n for n in ALL_STATES if n >= 7] + [23, 24]


def test_the_recommendations_export_keeps_the_addressees_as_written_and_adds_them_resolved(client, donors):
    rows = {row["paragraph"]: row for row in export_json(client, "recommendations", meeting="bangkok-2006")}
    assert rows[8]["addressees"] == ["ALL-STATES"]
    assert rows[8]["addressed_to"] == ["AUS", "THA", "VNM"]
    assert rows[24]["addressees"] == ["DONOR-COUNTRIES", "IOM", "UNHCR"]
    assert rows[24]["addressed_to"] == ["AUS", "IOM", "UNHCR"]
    assert rows[14]["addressed_to"] == ["AUS", "ESCAP", "ILO", "IOM", "THA", "UNDP", "UNHCR", "VNM"]
    assert rows[1]["addressed_to"] == []
    assert [row["paragraph"] for row in export_json(client, "recommendations", addressee="VNM")] == ALL_STATES


def test_coverage_counts_the_addressed_pairs_and_grows_with_a_listed_member(client, donors, workshop):
    dashboard = figures.dashboard()
    p24 = Paragraph.objects.get(number=24)
    # IOM and UNHCR by name, Australia as a donor country
    assert dashboard.by_recommendation[p24.pk].cells == 3
    by_actor = {group.key.code: group.tally for group in dashboard.by_actor}
    assert by_actor["AUS"].cells == 17 + 1
    assert by_actor["VNM"].cells == 17


def test_a_status_on_a_recommendation_not_addressed_to_the_actor_counts_as_a_cell(client, workshop):
    make_action(Actor.objects.get(code="APC"), [8], Status.COMPLETED)
    dashboard = figures.dashboard()
    tally = dashboard.by_recommendation[Paragraph.objects.get(number=8).pk]
    assert (tally.reported, tally.cells) == (1, 3 + 1)


@pytest.mark.parametrize("code", GROUPS)
def test_every_group_page_and_every_export_link_on_it_answers(client, donors, code):
    response = client.get(f"/actors/{code}/")
    assert response.status_code == 200
    page = response.content.decode()
    links = re.findall(r'href="(/[a-z]+/export\.[a-z]+[^"]*)"', page)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_group_page_lists_its_members_by_rule_or_as_entered_with_their_source(client, donors):
    page = client.get("/actors/ALL-STATES/").content.decode()
    assert "by rule" in page and "Thailand" in page and "Viet Nam" in page
    assert "/recommendations/bangkok-2006/25/" in page
    page = client.get("/actors/DONOR-COUNTRIES/").content.decode()
    assert "Australia" in page and "OECD DAC member list" in page and "Thailand" not in page
    assert "No member has been entered yet" in client.get("/actors/CIVIL-SOCIETY/").content.decode()
    assert 'href="/recommendations/export.csv?addressee=DONOR-COUNTRIES"' in page


@pytest.mark.parametrize(
    ("group", "member", "field"),
    [
        ("AUS", "VNM", "group"),  # a government is not a group
        ("ALL-STATES", "AUS", "group"),  # All States holds every government by rule
        ("INTERNATIONAL-ORGANISATIONS", "IOM", "group"),
        ("CIVIL-SOCIETY", "TRADE-UNIONS", "member"),  # a group is not a member
    ],
)
def test_a_membership_is_of_an_actor_in_a_group_without_a_rule(workshop, group, member, field):
    membership = GroupMembership(
        group=Actor.objects.get(code=group), member=Actor.objects.get(code=member), source="A source"
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert field in error.value.message_dict


def test_the_secretariat_enters_members_on_the_groups_admin_page(client, secretariat, workshop, australia):
    sign_in_with_second_factor(client, secretariat)
    group = Actor.objects.get(code="CIVIL-SOCIETY")
    url = reverse("admin:recommendations_actor_change", args=[group.pk])
    page = client.get(url)
    inline = page.context["inline_admin_formsets"][0].formset
    assert inline.model is GroupMembership
    rule = client.get(reverse("admin:recommendations_actor_change", args=[Actor.objects.get(code="ALL-STATES").pk]))
    assert GroupMembership not in [formset.formset.model for formset in rule.context["inline_admin_formsets"]]
    data = {
        "name": group.name,
        "short_name": group.short_name,
        "kind": group.kind,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-member": str(australia.pk),
        "memberships-0-source": "",
        **{
            f"{formset.formset.prefix}-{key}": "0"
            for formset in page.context["inline_admin_formsets"][1:]
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    assert client.post(url, data).status_code == 200  # the source is required
    assert not GroupMembership.objects.exists()
    data["memberships-0-source"] = "ITUC affiliate list"
    data["memberships-0-member"] = str(Actor.objects.get(code="TRADE-UNIONS").pk)
    assert client.post(url, data).status_code == 200  # a group is not a member
    data["memberships-0-member"] = str(australia.pk)
    assert client.post(url, data).status_code == 302
    assert GroupMembership.objects.get().member == australia
