"""The recommendation, actor and document pages."""

import pytest
from django.core.cache import cache

from recommendations.models import Actor, FollowUpAction, ImplementationStatus, Status

from .conftest import add_actions, make_action


def test_a_recommendation_shows_its_text_neighbours_addressees_statuses_and_actions(client, follow_up):
    page = client.get("/recommendations/bangkok-2006/12/").content.decode()
    assert 'rel="prev">← Paragraph 11' in page
    assert 'rel="next">Paragraph 13 →' in page
    assert 'id="status-THA"' in page and 'id="status-AUS"' in page
    assert "Memorandum of understanding on labour migration" in page
    assert "Signed by both ministers of labour in Canberra." in page
    assert 'href="https://example.org/mou"' in page
    assert "1 August 2006" in page  # status as of
    assert 'with <a href="/actors/AUS/">Australia</a>' in page
    assert "Permalink:" in page


def test_the_first_and_last_paragraphs_have_one_neighbour(client, workshop):
    first = client.get("/recommendations/bangkok-2006/1/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next">Paragraph 2' in first
    last = client.get("/recommendations/bangkok-2006/25/").content.decode()
    assert 'rel="next"' not in last and 'rel="prev">← Paragraph 24' in last


def test_an_addressee_without_a_report_shows_no_information_provided(client, follow_up):
    page = client.get("/recommendations/bangkok-2006/23/").content.decode()
    assert 'id="status-BALI"' in page
    assert "No information provided" in page


def test_a_status_set_by_the_secretariat_shows_its_source(client, follow_up, thailand, workshop):
    row = ImplementationStatus.objects.get(actor=thailand, paragraph__number=7)
    row.explicit_status, row.explicit_source = Status.COMPLETED, "Royal Gazette, vol. 124"
    row.explicit_as_of = row.derived_as_of
    row.save()
    page = client.get("/recommendations/bangkok-2006/7/").content.decode()
    assert "Set by the secretariat: Royal Gazette, vol. 124" in page


def test_no_page_shows_a_draft(client, follow_up):
    for url in ["/recommendations/bangkok-2006/9/", "/actors/VNM/", "/documents/bangkok-2006/", "/"]:
        assert "Secret draft" not in client.get(url).content.decode()


def test_the_actor_page_lists_its_statuses_its_own_and_joint_actions_and_regional_figures(client, follow_up):
    page = client.get("/actors/AUS/").content.decode()
    assert "Survey of remittance costs" in page
    assert "Memorandum of understanding on labour migration" in page  # as partner
    assert "National plan on migration data" not in page
    assert "All governments" in page
    # Australia: completed and not started → 50%, of the 17 recommendations addressed to All
    # States; the governments: ¶12 ×2, ¶7 planned, ¶8 not started, pooled, of 3 × 17.
    assert "<td>50% · 2 of 17 statuses reported</td>" in page
    assert "<td>56% · 4 of 51 statuses reported</td>" in page
    assert 'href="/actions/export.csv?actor=AUS"' in page


def test_actor_codes_are_read_in_any_case_and_unknown_ones_are_404(client, follow_up):
    assert client.get("/actors/aus/").status_code == 200
    assert client.get("/actors/ZZZ/").status_code == 404
    assert client.get("/actors/" + "X" * 300 + "/").status_code == 404


@pytest.mark.parametrize("url", ["/recommendations/bangkok-2006/12/", "/actors/THA/"])
@pytest.mark.parametrize("page", ["abc", "0", "1.5", "9" * 30, "¹", "٣"])
def test_a_malformed_page_of_actions_is_a_400(client, follow_up, url, page):
    assert client.get(url, {"page": page}).status_code == 400


def test_the_document_reads_whole_with_anchors_and_regional_status_beside_recommendations(client, follow_up):
    page = client.get("/documents/bangkok-2006/").content.decode()
    for number in range(1, 26):
        assert f'id="para-{number}"' in page
    assert 'class="paragraph context"' in page and 'class="paragraph tracked"' in page
    # ¶12: Thailand and Australia, of the three governments and three regional processes it addresses
    assert "100% · 2 of 6 statuses reported" in page
    assert "5. Building partnership" in page
    assert client.get("/documents/nowhere/").status_code == 404


def test_actions_are_paged_without_counting_them(client, follow_up, thailand):
    add_actions(45, thailand, [12])
    first = client.get("/recommendations/bangkok-2006/12/").content.decode()
    assert "Older actions" in first and "Newer actions" not in first
    second = client.get("/recommendations/bangkok-2006/12/?page=2").content.decode()
    assert 'href="?page=1#actions">Newer actions' in second
    assert 'href="?page=3#actions">Older actions' in second
    assert '<ol class="actions" start="21">' in second
    third = client.get("/recommendations/bangkok-2006/12/?page=3").content.decode()
    assert "Newer actions" in third and "Older actions" not in third
    assert client.get("/recommendations/bangkok-2006/12/?page=4").status_code == 404
    assert client.get("/actors/THA/?page=x").status_code == 400


def test_action_pages_stop_where_the_export_takes_over(client, follow_up):
    response = client.get("/actors/THA/?page=999999999")
    assert response.status_code == 404
    assert b"the actions export holds them all" in response.content


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the data version, the header (read once per version), paragraph, the versions of the
        # parts of the data the page shows (see page_cache.shows_only), neighbours, statuses,
        # reporting actors, the addressees as written and the group memberships (the addressed
        # pairs), the reporting actors' statuses, addressees to show, the status milestones for
        # the chart, actions with partners, recommendations and evidence links
        ("/recommendations/bangkok-2006/12/", 16),
        # the data version, the header (read once per version), actor, the versions of the parts
        # of the data the page shows, recommendations (whether
        # each is addressed to it), its statuses, the kind's actors, addressees as written and group
        # memberships, the kind's statuses, the status milestones for the chart, its own and joint
        # actions with partners, recommendations and evidence links
        ("/actors/THA/", 16),
        # the data version, the header (read once per version), meeting, the versions of the
        # parts of the data it shows, paragraphs, reporting actors, addressees as written, group
        # memberships, their statuses
        ("/documents/bangkok-2006/", 9),
        # the data version, the header (read once per version), the group, its members, the
        # paragraphs addressed to it
        ("/actors/ALL-STATES/", 5),
        ("/actors/CIVIL-SOCIETY/", 5),
        # the data version, the header (read once per version)
        ("/about/", 2),
    ],
)
def test_detail_pages_run_the_same_queries_at_n_and_ten_times_n_actions(
    client, follow_up, thailand, django_assert_num_queries, url, expected
):
    # Each made afresh, with nothing in the cache.
    with django_assert_num_queries(expected):
        client.get(url)
    add_actions(25, thailand, [12, 13])
    make_action(
        Actor.objects.get(code="IOM"), [12], Status.COMPLETED, partners=(thailand,), evidence="https://a.example"
    )
    cache.clear()
    with django_assert_num_queries(expected):
        client.get(url)
    add_actions(250, thailand, [12, 14])
    cache.clear()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_an_actors_joint_actions_are_read_whole_then_sorted(follow_up, australia, thailand):
    for number in range(3):
        make_action(thailand, [13], Status.PLANNED, partners=(australia,), title=f"Joint plan {number}")
    joined = FollowUpAction.objects.published().filter(partners=australia)
    found = joined.leading_few("-status_as_of", "-pk", count=2)
    assert list(found) == list(joined.order_by("-status_as_of", "-pk")[:2])
    # An order no index holds: PostgreSQL reads the few joint actions rather than walking them all.
    assert "NULLS LAST" in str(found.query)
