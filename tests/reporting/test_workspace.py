"""The focal point's workspace: the open work in full, the published actions a page at a time."""

import datetime
import re

import pytest
from django.utils import timezone

from recommendations.models import FollowUpAction
from recommendations.reporting import workflow

from .conftest import JUNE_1, action_input


@pytest.fixture
def thai_client(client, thai_focal_point):
    client.force_login(thai_focal_point)
    return client


def add_published(actor, paragraph, count: int) -> None:
    """`count` more published actions in bulk, "Published 0" the latest published."""
    now = timezone.now()
    actions = FollowUpAction.objects.bulk_create(
        FollowUpAction(
            actor=actor,
            title=f"Published {n}",
            status="in_progress",
            status_as_of=JUNE_1,
            state=FollowUpAction.State.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )
    FollowUpAction.recommendations.through.objects.bulk_create(
        FollowUpAction.recommendations.through(action=action, paragraph=paragraph) for action in actions
    )


@pytest.fixture
def open_work(thailand, thai_focal_point, secretariat, p15) -> dict[str, FollowUpAction]:
    """One action in each open state: a draft, a submitted and a returned one, and a published one being edited."""

    def new(title: str) -> FollowUpAction:
        return workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title=title))

    def submitted(title: str) -> FollowUpAction:
        action = new(title)
        workflow.submit(action=action, user=thai_focal_point, version=action.version)
        action.refresh_from_db()
        return action

    returned = submitted("Returned action")
    workflow.return_for_revision(action=returned, user=secretariat, comment="Add the gazette notice.")
    edited = workflow.approve(action=submitted("Published action"), user=secretariat)
    workflow.edit_action(
        action=edited, user=thai_focal_point, version=edited.version, data=action_input([p15], title="Edit under way")
    )
    return {
        "draft": new("Draft action"),
        "submitted": submitted("Submitted action"),
        "returned": returned,
        "edited": edited,
    }


def test_the_workspace_runs_the_same_queries_at_n_and_ten_times_n_actions(
    thai_client, thailand, thai_focal_point, p15, open_work, django_assert_num_queries
):
    add_published(thailand, p15, 25)
    thai_client.get("/my/")  # reads the header's meeting, kept for the data version
    # session, user, the data version, appointment, recommendations, statuses; the open work
    # with its reviewers, its recommendations, its open revisions; the published actions
    # counted, their page, its recommendations, its open revisions; last submission (actions,
    # revisions), open rounds
    with django_assert_num_queries(16):
        assert thai_client.get("/my/").status_code == 200
    add_published(thailand, p15, 225)
    for number in range(30):
        workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title=f"Draft {number}"))
    with django_assert_num_queries(16):
        assert thai_client.get("/my/").status_code == 200
    with django_assert_num_queries(16):
        assert thai_client.get("/my/?page=13").status_code == 200


def test_the_open_work_is_listed_in_full_before_the_published_actions(thai_client, thailand, p15, open_work):
    add_published(thailand, p15, 250)
    page = thai_client.get("/my/").text
    open_part, published_part = page.split('<h2 id="published">')
    for title in ["Draft action", "Submitted action", "Returned action", "Edit under way"]:
        assert title in open_part
    assert "(edit of a published action)" in open_part
    assert "Add the gazette notice." in page
    assert "Published 0" not in open_part and "Published 0<" in published_part


def published_titles(page: str) -> list[str]:
    return re.findall(r'<a href="/my/actions/\d+/">([^<]+)</a>', page.split('<h2 id="published">')[1])


def test_the_published_actions_come_twenty_a_page_the_latest_first(thai_client, thailand, p15, open_work):
    add_published(thailand, p15, 45)
    first = thai_client.get("/my/").text
    assert "1–20 of 46 published actions" in first
    # The edited action was approved just before the bulk ones were added: between "Published 0"
    # (published now) and "Published 1" (a minute ago). The open work heads every page.
    assert published_titles(first) == ["Published 0", "Edit under way", *(f"Published {n}" for n in range(1, 19))]
    assert 'href="?page=2#published" rel="next"' in first
    assert f'href="/actors/{thailand.code}/#actions"' in first
    last = thai_client.get("/my/?page=3").text
    assert "41–46 of 46 published actions" in last
    assert published_titles(last) == [f"Published {n}" for n in range(39, 45)]
    assert 'href="?page=2#published" rel="prev"' in last and "Edit under way" in last


def test_the_workspace_without_published_actions_says_so(thai_client, open_work):
    FollowUpAction.objects.filter(pk=open_work["edited"].pk).delete()
    page = thai_client.get("/my/").text
    assert "No published actions yet." in page and "Draft action" in page


@pytest.mark.parametrize(("page", "status"), [("x", 400), ("1.5", 400), ("", 400), ("0", 404), ("2", 404)])
def test_a_page_that_is_not_there_is_refused_not_an_error(thai_client, thailand, p15, page, status):
    add_published(thailand, p15, 20)
    assert thai_client.get("/my/", {"page": page}).status_code == status
