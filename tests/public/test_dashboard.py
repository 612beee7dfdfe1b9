"""The dashboard: progress figures, the actor × recommendation matrix and the latest actions."""

import pytest
import time_machine
from django.core.cache import cache

from recommendations.models import Actor, Status
from recommendations.progress import figures

from .conftest import add_actions, make_action


def test_the_matrix_shows_each_actors_status_and_keeps_no_information_apart_from_not_started(client, follow_up):
    page = client.get("/").content.decode()
    assert 'href="/recommendations/bangkok-2006/12/#status-THA" class="status status-completed"' in page
    assert "Thailand on paragraph 12: Completed" in page
    assert "Australia on paragraph 8: Not started" in page
    assert "Australia on paragraph 9: No information provided" in page
    assert "Viet Nam on paragraph 9: No information provided" in page


def test_the_matrix_escapes_the_actor_names_in_its_cells(client, follow_up, thailand):
    thailand.short_name = 'Thai <script>alert("x")</script> & co'
    thailand.save()
    page = client.get("/").content.decode()
    assert "<script>" not in page
    escaped = "Thai &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"
    assert f"{escaped} on paragraph 12: Completed" in page
    assert f"{escaped} on paragraph 23: not addressed to it" in page


def test_the_dashboard_never_shows_unpublished_actions(client, follow_up):
    page = client.get("/").content.decode()
    assert "Secret draft" not in page
    assert "Memorandum of understanding on labour migration" in page


def test_each_persona_sees_the_same_public_dashboard(client, follow_up, secretariat, thai_focal_point):
    anonymous = client.get("/")
    for user in (secretariat, thai_focal_point):
        client.force_login(user)
        signed_in = client.get("/")
        assert signed_in.status_code == 200
        assert "Secret draft" not in signed_in.content.decode()
    assert anonymous.status_code == 200


def test_the_dashboard_shows_progress_per_theme_kind_and_actor(client, follow_up):
    dashboard = figures.dashboard()
    by_actor = {group.key.code: group for group in dashboard.by_actor}
    # Thailand: completed (100) and planned (25) → mean 62.5; Australia: completed and not started → 50.
    assert by_actor["THA"].tally.progress == pytest.approx(62.5)
    assert by_actor["AUS"].tally.progress == pytest.approx(50)
    assert by_actor["IOM"].tally.progress is None
    # The four reported cells pooled: ¶12 completed twice, ¶7 planned, ¶8 not started.
    assert dashboard.overall.tally.progress == pytest.approx((100 + 100 + 25 + 0) / 4)
    assert dashboard.overall.tally.reported == 4
    # The addressed pairs: each government 17 (All States), each organisation 2 (¶7, ¶14) and
    # IOM and UNHCR one more (¶24), each regional process 3 (¶12, ¶22, ¶23).
    assert dashboard.overall.tally.cells == 3 * 17 + 5 * 2 + 2 + 3 * 3
    kinds = {group.key: group for group in dashboard.kinds}
    assert kinds[Actor.Kind.GOVERNMENT].tally.progress == pytest.approx((100 + 100 + 25 + 0) / 4)
    assert kinds[Actor.Kind.INTERNATIONAL_ORGANISATION].tally.progress is None
    page = client.get("/").content.decode()
    assert "56% <span>4 of 72 statuses reported:" in page  # overall, rounded, with its coverage
    assert "5. Building partnership" in page


def test_roll_up_arithmetic():
    statuses = [Status.COMPLETED, Status.ONGOING_PRACTICE, Status.IN_PROGRESS, Status.PLANNED, Status.NOT_STARTED]
    tally = figures.tally([*(status.value for status in statuses), Status.NO_ACTION_PLANNED.value, *[""] * 4])
    assert tally.cells == 10
    assert tally.reported == 6
    assert tally.no_information == 4
    assert tally.progress == pytest.approx(100 * (1 + 1 + 0.5 + 0.25) / 6)
    assert [segment.count for segment in tally.segments] == [1, 1, 1, 1, 1, 1, 4]
    assert sum(segment.percent for segment in tally.segments) == pytest.approx(100)
    assert figures.tally(["", "", ""]).progress is None


@pytest.mark.parametrize(
    ("today", "text"),
    [
        ("2006-09-04", "10 days to the United Nations High-level Dialogue"),
        ("2006-09-13", "1 day to the United Nations High-level Dialogue"),
        ("2006-09-15", "is under way"),
        ("2026-11-28", "was held on 14–15 September 2006"),
    ],
)
def test_the_header_counts_down_to_the_high_level_dialogue(client, workshop, today, text):
    with time_machine.travel(today):
        assert text in client.get("/").content.decode()


def test_the_dashboard_runs_the_same_queries_at_n_and_ten_times_n_actions(
    client, follow_up, thailand, django_assert_num_queries
):
    # Made afresh each time, with nothing in the cache: the data version, the header (meeting,
    # demo flags: read once per data version), recommendations, actors, the addressees as
    # written, the group memberships, statuses, the versions of the milestones the chart is drawn
    # from, the status milestones for the chart, latest actions, their recommendations
    cache.clear()
    with django_assert_num_queries(11):
        client.get("/")
    add_actions(30, thailand, [10, 11])
    make_action(Actor.objects.get(code="IOM"), [20], Status.ONGOING_PRACTICE)
    cache.clear()
    with django_assert_num_queries(11):
        assert client.get("/").status_code == 200
    add_actions(300, thailand, [13, 14, 15])
    cache.clear()
    with django_assert_num_queries(11):
        assert client.get("/").status_code == 200


def test_the_demo_notice_shows_while_any_demo_record_exists(client, follow_up):
    assert "Demo data:" not in client.get("/").content.decode()
    follow_up["plan"].is_demo = True
    follow_up["plan"].save()
    assert "Demo data:" in client.get("/").content.decode()


def test_the_dashboard_body_is_cached_until_the_figures_change(client, follow_up, thailand, django_assert_num_queries):
    client.get("/")
    # only the data version: the header and the body come from the cache
    with django_assert_num_queries(1):
        first = client.get("/").content.decode()
    make_action(Actor.objects.get(code="IOM"), [20], Status.ONGOING_PRACTICE)
    # The new status is a new milestone: the chart is counted again.
    with django_assert_num_queries(11):
        second = client.get("/").content.decode()
    assert second != first
    thailand.short_name = "Kingdom of Thailand"
    thailand.save()
    assert "Kingdom of Thailand" in client.get("/").content.decode()
