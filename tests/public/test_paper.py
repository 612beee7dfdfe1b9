"""The country brief and the report to the Dialogue as PDF: their figures are the dashboard's."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from recommendations.models import Actor, DataVersion, Status
from recommendations.progress import figures
from recommendations.progress.history import Reading
from recommendations.public.paper.brief import brief
from recommendations.public.templatetags import figure
from tests.conftest import sign_in_with_second_factor
from tests.public.conftest import make_action

BRIEF = "/actors/THA/brief.pdf"
REPORT = "/documents/bangkok-2006/report.pdf"
# Every character Typst's markup gives a meaning to, and an attempt to run code.
HOSTILE = 'Tonga #1 $x^2$ *bold* _under_ [link] <label> @ref \\ `raw` ~ "q" #text(red)[no]'


def _pages(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def _flat(text: str) -> str:
    """Extracted text, its line breaks and runs of spaces made one space."""
    return re.sub(r"\s+", " ", text)


def test_the_brief_shows_the_actors_figures_as_the_dashboard_does(client, follow_up, thailand):
    pages = _pages(client.get(BRIEF))
    # The fixture's actor has few actions: its brief is one A4 page.
    assert len(pages) == 1
    text = _flat(" ".join(pages))
    found = figures.dashboard()
    mine = next(group for group in found.by_actor if group.key.code == "THA")
    assert figure(mine.tally) in text
    assert "Thailand" in text and "Kingdom of Thailand" in text
    assert "http://testserver/actors/THA/" in text
    assert "Memorandum of understanding on labour migration" in text
    assert "Completed" in text and "1 August 2006" in text and "Gazette notice" in text
    assert "https://example.org/mou" in text
    assert "Generated" in text and "UTC" in text
    # A draft is never shown.
    assert "Secret draft" not in _flat(" ".join(_pages(client.get("/actors/VNM/brief.pdf"))))


def test_the_brief_holds_to_two_pages_for_an_actor_with_many_actions(client, follow_up, thailand):
    for number in range(30):
        make_action(thailand, [7 + number % 19], Status.IN_PROGRESS, title=f"Programme number {number}")
    pages = _pages(client.get(BRIEF))
    assert len(pages) <= 2
    assert "of 32 published" in _flat(" ".join(pages))


def test_names_with_typst_markup_characters_print_as_written(client, follow_up, thailand):
    thailand.short_name = HOSTILE
    thailand.save()
    make_action(thailand, [9], Status.PLANNED, title="Plan *for* $all$ #migrants [2007] _now_")
    brief = _flat(" ".join(_pages(client.get(BRIEF))))
    assert HOSTILE in brief
    assert "Plan *for* $all$ #migrants [2007] _now_" in brief
    report = _flat(" ".join(_pages(client.get(REPORT))))
    assert HOSTILE in report


def test_a_brief_answers_not_modified_while_the_data_is_unchanged(client, follow_up):
    first = client.get(BRIEF)
    assert client.get(BRIEF, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_action(Actor.objects.get(code="AUS"), [10], Status.PLANNED)
    assert client.get(BRIEF, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize(
    "url", ["/actors/ALL-STATES/brief.pdf", "/actors/NOPE/brief.pdf", "/documents/nope/report.pdf"]
)
def test_there_is_no_pdf_of_a_group_or_of_what_does_not_exist(client, workshop, url):
    assert client.get(url).status_code == 404


def test_the_report_shows_the_dashboards_figures(client, follow_up):
    pages = _pages(client.get(REPORT))
    found = figures.dashboard()
    # The cover stands alone on the first page.
    assert "Follow-up of the recommendations" in pages[0] and "Method" not in pages[0]
    text = _flat(" ".join(pages))
    assert figure(found.overall.tally) in text
    for theme in found.themes:
        assert figure(theme.tally) in text
    for paragraph in found.recommendations:
        assert f"Paragraph {paragraph.number}" in text
        assert figure(found.by_recommendation[paragraph.pk]) in text
    for heading in ("Method", "Progress", "Each recommendation", "Completed actions", "Annex A", "Annex B"):
        assert heading in text
    assert "do not imply official endorsement or acceptance by the United Nations" in text
    # Progress over time, overall and on each theme, as the dashboard and the theme pages chart it.
    assert "Statuses by month, all actors, April 2006 to" in text
    for theme in found.themes:
        if theme.key:
            # The start of the theme's name: a long one is hyphenated across lines.
            assert f"Statuses by month, the actors on the recommendations of theme {theme.label[:24]}" in text
    assert "From the bottom of each bar: Ongoing practice (green, with bands)" in text
    # A cover, the method and progress with the map and the charts, and the recommendations.
    assert 5 <= len(pages) <= 12


def test_the_report_lists_completed_actions_with_their_sources_and_who_did_not_report(client, follow_up):
    text = _flat(" ".join(_pages(client.get(REPORT))))
    assert "Memorandum of understanding on labour migration" in text
    assert "https://example.org/mou" in text and "Gazette notice" in text
    # Planned and not started actions are not completed ones.
    assert "National plan on migration data" not in text
    # Viet Nam's only action is a draft: it has reported nothing.
    annex = text.split("Annex B")[-1]
    assert "Viet Nam" in annex and "Thailand" not in annex


def test_the_report_lists_only_the_highlights_once_the_secretariat_marks_some(client, follow_up, secretariat):
    later = make_action(Actor.objects.get(code="AUS"), [10], Status.COMPLETED, title="Labour migration agreement")
    assert "Labour migration agreement" in _flat(" ".join(_pages(client.get(REPORT))))
    version = DataVersion.objects.current().etag
    admin = sign_in_with_second_factor(client, secretariat)
    response = admin.post(
        "/admin/recommendations/followupaction/",
        {"action": "mark_highlights", "_selected_action": [follow_up["mou"].pk], "index": "0"},
    )
    assert response.status_code == 302
    assert DataVersion.objects.current().etag != version
    client.logout()
    text = _flat(" ".join(_pages(client.get(REPORT))))
    assert "Memorandum of understanding on labour migration" in text
    assert later.title not in text
    assert "highlights the secretariat chose" in text


def test_a_focal_point_cannot_mark_highlights(client, follow_up, thai_focal_point):
    client.force_login(thai_focal_point)
    client.post(
        "/admin/recommendations/followupaction/",
        {"action": "mark_highlights", "_selected_action": [follow_up["mou"].pk], "index": "0"},
    )
    follow_up["mou"].refresh_from_db()
    assert not follow_up["mou"].is_highlight


# Pinned so that a query added per action, per actor or per recommendation shows: the brief and
# the report each read the data version, the figures and their rows (the brief also the version
# of the parts of the data it shows, and its own and joint actions apart, each with its count);
# the report also reads one chart of progress over time overall and one per theme.
@pytest.mark.parametrize(
    ("url", "queries"),
    [(BRIEF, 15), (BRIEF + "?as_of=2006-09-14", 15), (REPORT, 18), (REPORT + "?as_of=2006-09-14&record=1", 16)],
)
def test_the_pdfs_run_the_same_queries_at_n_and_ten_times_n_actions(
    client, follow_up, thailand, django_assert_num_queries, url, queries
):
    for extra in (3, 30):
        for number in range(extra):
            make_action(thailand, [7 + number % 19], Status.COMPLETED, title=f"Done {extra}-{number}")
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["as_of=2006-01-01", "as_of=yesterday", "as_of=2006-9-14", "as_of=2999-01-01", "as_of=2006-09-14&record=2"],
)
@pytest.mark.parametrize("url", [BRIEF, REPORT])
def test_a_bad_date_or_reading_is_a_clear_400(client, follow_up, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.content


@pytest.mark.parametrize("record", [False, True])
def test_the_pdfs_on_a_date_show_the_dashboards_figures_for_that_date_and_reading(client, follow_up, thailand, record):
    reading = Reading(datetime.date(2006, 9, 14), record)
    query = "?as_of=2006-09-14" + ("&record=1" if record else "")
    found = figures.dashboard(reading)
    response = client.get(REPORT + query)
    suffix = "-record" if record else ""
    assert f'filename="apc-tracker-report-bangkok-2006-as-of-2006-09-14{suffix}.pdf"' in response["Content-Disposition"]
    report = _flat(" ".join(_pages(response)))
    assert reading.label in report
    assert figure(found.overall.tally) in report
    for theme in found.themes:
        assert figure(theme.tally) in report
    assert f"http://testserver{REPORT}{query}" in report
    mine = next(group for group in found.by_actor if group.key.code == "THA")
    brief = _flat(" ".join(_pages(client.get(BRIEF + query))))
    assert reading.label in brief and figure(mine.tally) in brief
    # The MOU holds as of 1 August 2006 but was published today: known now, not on that day's record.
    assert ("Memorandum of understanding" in brief) is not record
    # The plan's status holds only from 2007.
    assert "National plan on migration data" not in brief
    assert figure(mine.tally) != figure(next(g for g in figures.dashboard().by_actor if g.key.code == "THA").tally)


def test_the_brief_lists_own_and_joint_actions_newest_first_each_counted_once(follow_up, australia):
    own_and_partner = make_action(
        australia, [10], Status.PLANNED, title="Listed as its own partner too", partners=(australia,)
    )
    data = brief(australia, base_url="http://testserver").data
    # Newest status first, the later action first on the same day: both as of March 2007, then August 2006.
    assert [(action["title"], action["by"]) for action in data["actions"]] == [
        ("Listed as its own partner too", ""),
        ("Survey of remittance costs", ""),
        ("Memorandum of understanding on labour migration", "with Thailand"),
    ]
    assert data["actions_total"] == 3
    assert own_and_partner.partners.get() == australia


def test_the_report_goes_compressed_to_a_browser_that_accepts_it(client, follow_up):
    import brotli

    plain = client.get(REPORT).content
    response = client.get(REPORT, headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(response.content) == plain
    assert len(response.content) < len(plain)
