"""One progress rule on every page: the mean weight of the reported cells, pooled, with its coverage.

Hand-computed on the workshop: the governments' cells are the 3 × 17 recommendations addressed
to All States. Thailand reports ¶7 completed and ¶8 planned; Australia ¶7 not started. Pooled:
(100 + 25 + 0) / 3 = 41.67%; the mean of the recommendations' means would be (50 + 25) / 2 = 37.5%.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Actor, Paragraph, Status
from recommendations.progress import figures
from recommendations.public.templatetags import progress_bar

from .conftest import make_action


@pytest.fixture
def reports(workshop, thailand, australia):
    make_action(thailand, [7], Status.COMPLETED)
    make_action(thailand, [8], Status.PLANNED)
    make_action(australia, [7], Status.NOT_STARTED)


def test_a_kind_of_actor_has_the_same_pooled_figure_on_the_dashboard_and_on_an_actor_page(client, reports):
    kinds = {group.key: group.tally for group in figures.dashboard().kinds}
    assert kinds[Actor.Kind.GOVERNMENT].progress == pytest.approx(125 / 3)
    assert (kinds[Actor.Kind.GOVERNMENT].reported, kinds[Actor.Kind.GOVERNMENT].cells) == (3, 51)
    figure = "42% · 3 of 51 statuses reported"
    dashboard = client.get("/").content.decode()
    assert f'<th scope="row">Government</th><td>{figure}</td>' in dashboard
    for code in ("THA", "AUS", "VNM"):
        assert f'<th scope="row">All governments</th><td>{figure}</td>' in client.get(f"/actors/{code}/").text


def test_a_theme_and_the_overall_figure_pool_their_cells(reports):
    dashboard = figures.dashboard()
    # the mean of the recommendations' means would be 37.5%
    assert dashboard.overall.tally.progress == pytest.approx(125 / 3)
    themes = {group.key.position: group.tally for group in dashboard.themes}
    assert themes[1].progress == pytest.approx(50)  # ¶7: completed and not started
    assert themes[2].progress == pytest.approx(25)  # ¶8: planned


@pytest.mark.parametrize(
    ("url", "coverage"),
    [
        ("/", "42% <span>3 of 72 statuses reported:"),  # overall, the figure large and its coverage below
        ("/", "62% · 2 of 17 statuses reported"),  # Thailand's row of the matrix
        ("/", "<td>— · 0 of 12 statuses reported</td>"),  # the organisations
        ("/recommendations/", "Progress 50% · 2 of 8 statuses reported"),  # ¶7: 3 governments, 5 organisations
        ("/recommendations/bangkok-2006/7/", "Progress 50% · 2 of 8 statuses reported"),
        ("/actors/THA/", "<td>62% · 2 of 17 statuses reported</td>"),
        ("/actors/IOM/", "<td>— · 0 of 3 statuses reported</td>"),  # ¶7, ¶14 and ¶24
        ("/documents/bangkok-2006/", "Progress 25% · 1 of 3 statuses reported"),  # ¶8
    ],
)
def test_every_figure_shows_its_coverage_beside_it(client, reports, url, coverage):
    assert coverage in client.get(url).content.decode()


def test_the_theme_and_kind_tables_show_coverage(client, reports):
    page = client.get("/").content.decode()
    assert "<td>— · 0 of 9 statuses reported</td>" in page  # the regional processes: ¶12, ¶22, ¶23 each


def test_the_cells_read_today_s_statuses_alone_without_sorting_them(reports, thailand, australia):
    paragraphs = list(Paragraph.objects.tracked().values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        found = figures.cells(paragraphs, [thailand, australia])
    (statuses,) = [query["sql"] for query in queries if 'FROM "recommendations_implementationstatus"' in query["sql"]]
    assert "ORDER BY" not in statuses
    assert "recommendations_meeting" not in statuses
    assert sorted(status for status in found.values() if status) == ["completed", "not_started", "planned"]


def test_a_progress_bar_stacks_the_reported_statuses_and_names_them_in_words():
    tally = figures.tally(["completed", "completed", "planned", ""])
    bar = progress_bar(tally, 'Thai <script> & "co"', 12)
    assert bar.startswith(
        '<figure class="bar">\n  <svg role="img" aria-label="Thai &lt;script&gt; &amp; &quot;co&quot; on paragraph 12:'
        ' Completed: 2; Planned: 1; No information provided: 1" viewBox="0 0 100 6"'
    )
    assert (
        '<rect class="fill-completed" x="0.000" y="0" width="50.000" height="6"><title>Completed: 2</title></rect>'
        '<rect class="fill-planned" x="50.000" y="0" width="25.000" height="6"><title>Planned: 1</title></rect>'
        '<rect class="fill-none" x="75.000" y="0" width="25.000" height="6">'
    ) in bar
    assert '<span class="glyph" aria-hidden="true">●</span> Completed 2</span> ' in bar
    assert "In progress" not in bar
