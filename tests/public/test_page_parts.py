"""Pages that show only some parts of the data stay cached while other parts change.

An actor's page, brief and feeds show its actions and the statuses; a recommendation's page and
feeds show the actions that answer it and the statuses. A publication for one actor leaves the
other actors' pages in the cache; one that changes the statuses or a change to the whole (an
actor's name, a deletion) makes them all again.
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import Actor, DataPart, DataVersion, FollowUpAction, Status, StatusMilestone
from recommendations.progress.freshness import figures_changed
from recommendations.public import page_cache

from .conftest import add_actions, make_action

THAILAND_PAGES = [
    "/actors/THA/",
    "/actors/THA/brief.pdf",
    "/actors/THA/actions.atom",
    "/actors/THA/status-changes.atom",
]
AUSTRALIA_PAGES = ["/actors/AUS/", "/actors/AUS/brief.pdf", "/actors/AUS/actions.atom"]
PARAGRAPH_12 = ["/recommendations/bangkok-2006/12/", "/recommendations/bangkok-2006/12/actions.atom"]
PARAGRAPH_9 = ["/recommendations/bangkok-2006/9/", "/recommendations/bangkok-2006/9/status-changes.atom"]


def generations() -> dict[str, str]:
    return dict(DataPart.objects.values_list("name", "generation"))


def advanced(before: dict[str, str]) -> set[str]:
    return {name for name, generation in generations().items() if before.get(name) != generation}


def served_from_cache(client, url: str, django_assert_num_queries) -> bool:
    """That the page is answered from the cache: the versions it depends on, in one query, and no view."""
    with django_assert_num_queries(1):
        response = client.get(url)
    return response.status_code == 200


def made_again(client, url: str) -> bool:
    """Whether the view ran: more than the one query of a page answered from the cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 1


@pytest.fixture
def cached(client, follow_up):
    for url in THAILAND_PAGES + AUSTRALIA_PAGES + PARAGRAPH_12 + PARAGRAPH_9:
        assert client.get(url).status_code == 200
    return client


def test_a_change_to_one_actor_leaves_the_other_actors_pages_in_the_cache(cached, thailand, django_assert_num_queries):
    figures_changed({DataPart.of_actor(thailand.pk)})
    for url in AUSTRALIA_PAGES + PARAGRAPH_12 + PARAGRAPH_9:
        assert served_from_cache(cached, url, django_assert_num_queries)
    for url in THAILAND_PAGES:
        assert made_again(cached, url), url


def test_a_change_to_one_recommendation_leaves_the_others_in_the_cache(cached, follow_up, django_assert_num_queries):
    figures_changed({DataPart.of_paragraph(follow_up["mou"].recommendations.get().pk)})
    for url in THAILAND_PAGES + AUSTRALIA_PAGES + PARAGRAPH_9:
        assert served_from_cache(cached, url, django_assert_num_queries)
    for url in PARAGRAPH_12:
        assert made_again(cached, url), url


ALL_PAGES = THAILAND_PAGES + AUSTRALIA_PAGES + PARAGRAPH_12 + PARAGRAPH_9
ACTOR_PAGES = ["/actors/THA/", "/actors/THA/brief.pdf", "/actors/AUS/", "/actors/AUS/brief.pdf"]


@pytest.mark.parametrize(
    ("part", "made"),
    [
        (lambda paragraphs: DataPart.WHOLE, ALL_PAGES),
        # Both are governments: each page compares the actor with the others of its kind.
        (lambda paragraphs: DataPart.statuses_of_kind("government"), ACTOR_PAGES),
        (lambda paragraphs: DataPart.statuses_of_paragraph(paragraphs[12]), PARAGRAPH_12[:1]),
        # The status-change feeds read the milestones, the action feeds no status.
        (lambda paragraphs: DataPart.milestones_of_kind("government"), [*ACTOR_PAGES, THAILAND_PAGES[3]]),
        (lambda paragraphs: DataPart.milestones_of_paragraph(paragraphs[9]), PARAGRAPH_9),
    ],
    ids=["whole", "statuses of a kind", "statuses of a paragraph", "milestones of a kind", "milestones of a paragraph"],
)
def test_a_change_to_statuses_makes_again_the_pages_that_show_them_and_no_other(
    cached, workshop, part, made, django_assert_num_queries
):
    paragraphs = dict(workshop.paragraphs.values_list("number", "pk"))
    figures_changed({part(paragraphs)})
    for url in ALL_PAGES:
        if url in made:
            assert made_again(cached, url), url
        else:
            assert served_from_cache(cached, url, django_assert_num_queries)


def test_a_past_date_of_the_dashboard_stays_while_actions_are_published_after_it(
    cached, thailand, django_assert_num_queries
):
    today = f"/?as_of={timezone.localdate().isoformat()}"
    for url in ("/?as_of=2006-09-14", "/?as_of=2006-09-14&record=1", today):
        assert cached.get(url).status_code == 200
    make_action(thailand, [12], Status.COMPLETED, title="Second labour agreement", as_of=datetime.date(2006, 8, 1))
    for url in ("/?as_of=2006-09-14", "/?as_of=2006-09-14&record=1"):
        assert served_from_cache(cached, url, django_assert_num_queries)
    # Published today: among the latest by today.
    assert "Second labour agreement" in cached.get(today).content.decode()


def test_a_change_to_the_milestones_makes_every_past_date_of_the_dashboard_again(cached):
    cached.get("/?as_of=2006-09-14")
    figures_changed({DataPart.MILESTONES})
    assert made_again(cached, "/?as_of=2006-09-14")


def test_a_change_without_parts_is_a_change_to_the_whole(cached):
    figures_changed()
    assert made_again(cached, "/actors/AUS/")


def test_a_publication_is_seen_at_once_on_its_actor_and_recommendation_pages(cached, thailand):
    make_action(thailand, [12], Status.COMPLETED, title="Second labour agreement", as_of=datetime.date(2006, 8, 1))
    for url in ["/actors/THA/", "/actors/THA/actions.atom", *PARAGRAPH_12]:
        assert "Second labour agreement" in cached.get(url).content.decode(), url


def test_an_actors_name_changed_is_seen_at_once_on_every_page_that_names_it(cached, australia):
    australia.short_name = "Commonwealth of Australia"
    australia.save()
    # Thailand's page names its partner in the memorandum.
    assert "Commonwealth of Australia" in cached.get("/actors/THA/").content.decode()


def test_a_publication_advances_the_parts_of_its_actor_partners_and_recommendations(follow_up, thailand, australia):
    before = generations()
    action = make_action(
        Actor.objects.get(code="IOM"), [9], Status.PLANNED, partners=(thailand,), as_of=datetime.date(2007, 1, 1)
    )
    touched = advanced(before)
    assert {DataPart.of_actor(action.actor_id), DataPart.of_actor(thailand.pk)} <= touched
    assert DataPart.of_paragraph(action.recommendations.get().pk) in touched
    assert DataPart.of_actor(australia.pk) not in touched
    assert DataPart.WHOLE not in touched
    # New pairs: the statuses and their milestones changed, of the organisations and of the governments.
    nine = DataPart.of_paragraph(action.recommendations.get().pk).removeprefix("paragraph:")
    assert {
        DataPart.statuses_of_kind("international_organisation"),
        DataPart.statuses_of_kind("government"),
        f"statuses:paragraph:{nine}",
        DataPart.milestones_of_kind("government"),
        f"milestones:paragraph:{nine}",
        DataPart.MILESTONES,
        DataPart.published_in(action.published_at.year),
    } <= touched


def test_a_publication_that_changes_no_status_leaves_the_statuses_part_as_it_was(follow_up, thailand):
    make_action(thailand, [12], Status.PLANNED, as_of=datetime.date(2006, 7, 1))
    before = generations()
    make_action(thailand, [12], Status.PLANNED, as_of=datetime.date(2006, 7, 1))
    touched = advanced(before)
    assert DataPart.of_actor(thailand.pk) in touched
    assert not {name for name in touched if name.startswith(("statuses", "milestones"))}


def test_a_draft_advances_nothing(follow_up, australia, workshop):
    before = generations()
    version = DataVersion.objects.current().generation
    draft = FollowUpAction.objects.create(
        actor=australia, title="Draft on smuggling", status=Status.PLANNED, status_as_of=datetime.date(2007, 1, 1)
    )
    draft.recommendations.set(workshop.paragraphs.filter(number=9))
    draft.partners.set([Actor.objects.get(code="IOM")])
    draft.save()
    assert not advanced(before)
    assert DataVersion.objects.current().generation == version


def test_a_deleted_action_is_a_change_to_the_whole(follow_up):
    before = generations()
    follow_up["plan"].delete()
    assert DataPart.WHOLE in advanced(before)


def test_links_changed_on_a_published_action_advance_the_parts_of_both_ends(follow_up, australia):
    mou = follow_up["mou"]
    before = generations()
    mou.partners.remove(australia)
    assert {DataPart.of_actor(mou.actor_id), DataPart.of_actor(australia.pk)} <= advanced(before)
    before = generations()
    mou.recommendations.clear()
    assert DataPart.WHOLE in advanced(before)


def test_a_page_made_while_the_data_changes_is_kept_under_the_data_version_read_first(follow_up, thailand):
    @page_cache.cached_page
    def view(request):
        # Another write commits after this request read the data version, before the page says what it shows.
        figures_changed()
        page_cache.shows_only(request, DataPart.of_actor(thailand.pk))
        return HttpResponse("made while the data changed")

    request = RequestFactory().get("/changing/")
    view(request)
    entry = cache.get(f"{page_cache.cache_key(request)}:")
    assert entry.parts is None
    assert entry.generation != DataVersion.objects.current().generation


def test_shows_only_reads_nothing_for_a_page_not_made_for_the_cache(
    client, follow_up, thai_focal_point, django_assert_num_queries
):
    request = RequestFactory().get("/actors/THA/")
    with django_assert_num_queries(0):
        page_cache.shows_only(request, DataPart.MILESTONES)
    assert not hasattr(request, "_page_version")


def test_while_the_database_cannot_be_reached_a_page_of_some_parts_is_served_as_it_was(cached, monkeypatch):
    first = cached.get("/actors/AUS/").content
    page_cache.recent.clear()

    def unreachable(*args, **kwargs):
        raise OperationalError("the database cannot be reached")

    monkeypatch.setattr(type(DataPart.objects), "read_with_data_version", unreachable)
    assert cached.get("/actors/AUS/").content == first


def test_actions_of_many_actors_published_in_bulk_advance_only_their_parts(follow_up, thailand, australia):
    before = generations()
    add_actions(3, thailand, [20])
    touched = advanced(before)
    assert DataPart.of_actor(thailand.pk) in touched and DataPart.of_actor(australia.pk) not in touched
    assert FollowUpAction.objects.filter(actor=thailand, title__startswith="Bulk").count() == 3


def test_demo_data_written_in_bulk_is_a_change_to_the_whole(workshop):
    before = generations()
    call_command("generate_demo_data", "--actors", "2", "--actions", "20", verbosity=0)
    assert DataPart.WHOLE in advanced(before)


def test_milestones_rebuilt_by_the_command_make_the_pages_that_read_them_again(follow_up, thailand, workshop):
    StatusMilestone.objects.filter(actor=thailand).delete()
    before = generations()
    call_command("rebuild_status_milestones", stdout=io.StringIO())
    twelve = workshop.paragraphs.get(number=12).pk
    touched = advanced(before)
    assert {DataPart.MILESTONES, DataPart.milestones_of_kind("government"), f"milestones:paragraph:{twelve}"} <= touched
    assert DataPart.WHOLE not in touched


STATUS_PAGES = ["/recommendations/?addressee=THA", "/documents/bangkok-2006/", "/documents/bangkok-2006/themes/2/"]


def test_the_list_the_document_and_its_themes_stay_cached_while_no_status_changes(
    client, follow_up, thailand, django_assert_num_queries
):
    searched = "/recommendations/?q=labour"
    on_a_date = "/documents/bangkok-2006/?as_of=2006-09-14"
    for url in [*STATUS_PAGES, searched, on_a_date]:
        assert client.get(url).status_code == 200
    # A publication that moves no status: the search reads the actions' words.
    figures_changed({DataPart.of_actor(thailand.pk), DataPart.published_in(timezone.now().year)})
    for url in [*STATUS_PAGES, on_a_date]:
        assert served_from_cache(client, url, django_assert_num_queries)
    assert made_again(client, searched)
    figures_changed({DataPart.STATUSES})
    for url in STATUS_PAGES:
        assert made_again(client, url), url
    assert served_from_cache(client, on_a_date, django_assert_num_queries)
    figures_changed({DataPart.MILESTONES})
    assert made_again(client, on_a_date)


def test_a_publication_that_moves_a_status_advances_the_statuses_part(follow_up, thailand):
    before = generations()
    make_action(thailand, [20], Status.PLANNED)
    assert DataPart.STATUSES in advanced(before)


@pytest.fixture
def counted_charts(monkeypatch):
    """The scopes whose monthly statuses are counted, in order."""
    from recommendations.progress import history

    counted = []
    count = history.monthly_statuses

    def counting(reading, **scope):
        counted.append(scope)
        return count(reading, **scope)

    monkeypatch.setattr(history, "monthly_statuses", counting)
    return counted


def test_a_recommendations_chart_is_kept_while_its_milestones_stay_as_they_were(cached, follow_up, counted_charts):
    paragraph = follow_up["mou"].recommendations.get()
    figures_changed({DataPart.of_paragraph(paragraph.pk)})
    assert made_again(cached, PARAGRAPH_12[0])
    assert counted_charts == []
    figures_changed({DataPart.of_paragraph(paragraph.pk), DataPart.milestones_of_paragraph(paragraph.pk)})
    assert made_again(cached, PARAGRAPH_12[0])
    assert [scope["paragraph_ids"] for scope in counted_charts] == [[paragraph.pk]]


def test_an_actors_chart_is_counted_again_when_its_kinds_milestones_or_the_whole_change(
    cached, thailand, counted_charts
):
    figures_changed({DataPart.of_actor(thailand.pk)})
    assert made_again(cached, THAILAND_PAGES[0])
    assert counted_charts == []
    figures_changed({DataPart.of_actor(thailand.pk), DataPart.milestones_of_kind(thailand.kind)})
    assert made_again(cached, THAILAND_PAGES[0])
    figures_changed()
    assert made_again(cached, THAILAND_PAGES[0])
    assert [scope["actor_ids"] for scope in counted_charts] == [[thailand.pk], [thailand.pk]]


def test_the_dashboards_chart_is_kept_while_no_milestone_changes(client, follow_up, counted_charts):
    assert client.get("/").status_code == 200
    assert len(counted_charts) == 1
    figures_changed({DataPart.STATUSES})
    assert made_again(client, "/")
    assert len(counted_charts) == 1
    figures_changed({DataPart.STATUSES, DataPart.MILESTONES})
    assert made_again(client, "/")
    assert len(counted_charts) == 2
