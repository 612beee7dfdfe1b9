"""What the public sees of the workflow: published content only, the validated status, the history."""

import pytest

from recommendations.reporting import workflow

from .conftest import action_input


def test_a_published_action_has_a_public_page_with_the_validated_status_flagged(
    client, thai_submitted, secretariat, django_assert_num_queries
):
    workflow.approve(action=thai_submitted, user=secretariat, validated_status="not_started")
    # the data version and the header's meeting (read once per version), the action with its
    # actor, its partners, recommendations, evidence links, and its published history
    with django_assert_num_queries(7):
        page = client.get(f"/actions/{thai_submitted.pk}/").content.decode()
    assert "National action plan on labour migration" in page
    assert "Not started" in page
    assert "(the actor reports: planned)" in page


def test_the_recommendation_page_flags_where_the_reported_status_differs(client, thai_submitted, secretariat, p15):
    workflow.approve(action=thai_submitted, user=secretariat, validated_status="not_started")
    page = client.get(p15.get_absolute_url()).content.decode()
    assert "(the actor reports: planned)" in page


def test_the_public_timeline_lists_each_publication_and_an_edit_under_review_stays_private(
    client, thai_published, thai_focal_point, secretariat, p15
):
    workflow.edit_action(
        action=thai_published,
        user=thai_focal_point,
        version=thai_published.version,
        data=action_input([p15], status="completed", title="National action plan adopted"),
    )
    page = client.get(f"/actions/{thai_published.pk}/").content.decode()
    assert "National action plan adopted" not in page
    thai_published.refresh_from_db()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    workflow.approve(action=thai_published, user=secretariat)
    page = client.get(f"/actions/{thai_published.pk}/").content.decode()
    assert page.count("published “") == 2
    assert "published “National action plan adopted”, completed" in page


def test_the_links_of_an_edit_under_review_reach_the_public_pages_and_exports_only_once_approved(
    client, thai_published, thai_focal_point, secretariat, p15
):
    data = action_input([p15], [("https://example.org/labour-act", "Labour act")])
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    thai_published.refresh_from_db()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    pages = [f"/actions/{thai_published.pk}/", "/actors/THA/", p15.get_absolute_url(), "/actions/export.json"]

    def showing_the_link():
        return [page for page in pages if "https://example.org/labour-act" in fetched(client, page)]

    assert showing_the_link() == []
    workflow.approve(action=thai_published, user=secretariat)
    assert showing_the_link() == pages


def fetched(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.getvalue().decode()


@pytest.mark.parametrize("fixture", ["thai_draft", "thai_submitted"])
def test_an_unpublished_action_has_no_public_page(client, thai_focal_point, request, fixture):
    action = request.getfixturevalue(fixture)
    assert client.get(f"/actions/{action.pk}/").status_code == 404
    client.force_login(thai_focal_point)
    assert client.get(f"/actions/{action.pk}/").status_code == 404
