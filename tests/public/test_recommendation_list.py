"""The recommendations list: filters in the URL, search, sorting, pagination and a result count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.documents.importer import import_outcomes
from recommendations.models import Actor, Paragraph, Status, Theme

from .conftest import add_actions, make_action


def numbers(response) -> list[int]:
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'<h2><a href="/recommendations/[\w-]+/(\d+)/">', response.content.decode())]


def test_the_list_shows_every_paragraph_in_document_order_with_a_count(client, workshop):
    response = client.get("/recommendations/")
    assert numbers(response) == list(range(1, 21))
    assert "1–20 of 25 paragraphs" in response.content.decode()
    assert numbers(client.get("/recommendations/?page=2")) == list(range(21, 26))


def test_tracked_or_context(client, workshop):
    assert numbers(client.get("/recommendations/?tracked=no")) == [1, 2, 3, 4, 5, 6]
    assert numbers(client.get("/recommendations/?tracked=yes&page=1"))[:2] == [7, 8]


def test_filter_by_theme_addressee_and_meeting(client, workshop):
    theme = Theme.objects.get(meeting=workshop, heading__startswith="Building partnership")
    found = numbers(client.get(f"/recommendations/?theme={theme.pk}"))
    assert found and all(n >= 21 for n in found)
    assert 23 in numbers(client.get("/recommendations/?addressee=BALI"))
    assert 7 not in numbers(client.get("/recommendations/?addressee=BALI"))
    import_outcomes(text="Later meeting\n\nI. Follow-up\n\n1. States report back.\n", code="apc-2007")
    assert numbers(client.get("/recommendations/?meeting=apc-2007")) == [1]


def test_a_meeting_whose_document_has_no_headings_can_be_chosen(client, workshop):
    import_outcomes(text="Later meeting\n\n1. States report back.\n\n2. States meet again.\n", code="apc-2007")
    response = client.get("/recommendations/?meeting=apc-2007")
    assert numbers(response) == [1, 2]
    page = response.content.decode()
    assert "Some filters were ignored" not in page
    assert '<option value="apc-2007" selected>Later meeting</option>' in page


def test_filter_by_reporting_actor_and_status(client, follow_up):
    assert numbers(client.get("/recommendations/?actor=THA")) == [7, 12]
    assert numbers(client.get("/recommendations/?status=completed")) == [12]
    assert numbers(client.get("/recommendations/?actor=AUS&status=completed")) == [12]
    assert numbers(client.get("/recommendations/?actor=AUS&status=planned")) == []
    # Viet Nam's only action is a draft: the public sees no status for it.
    assert numbers(client.get("/recommendations/?actor=VNM")) == []
    assert numbers(client.get("/recommendations/?status=in_progress")) == []


def test_search_finds_paragraph_text_and_published_action_text(client, follow_up):
    assert 23 in numbers(client.get("/recommendations/?q=Bali"))
    assert numbers(client.get("/recommendations/?q=Canberra")) == [12]
    assert numbers(client.get("/recommendations/?q=smuggling+secret")) == []


def test_a_quoted_phrase_finds_the_action_that_has_it(client, follow_up):
    assert 12 in numbers(client.get('/recommendations/?q="understanding+on+labour"'))
    assert numbers(client.get('/recommendations/?q="ministers+of+labour"&tracked=yes')) == [12]


def test_a_search_finds_the_words_in_any_order_not_only_the_exact_phrase(client, follow_up, thailand, australia):
    make_action(thailand, [7], title="Law against trafficking in persons")
    make_action(australia, [8], title="Review of labour-migration agreements")
    assert 16 in numbers(client.get("/recommendations/?q=victims+trafficking"))
    assert 7 in numbers(client.get("/recommendations/?q=trafficking+persons&tracked=yes"))
    assert 7 in numbers(client.get("/recommendations/?q=persons+trafficking&tracked=yes"))
    # Hyphenated words are words too, in the paragraphs and in the actions.
    assert {1, 9} <= set(numbers(client.get("/recommendations/?q=pacific-asia")))
    assert 8 in numbers(client.get("/recommendations/?q=migration-labour&tracked=yes"))
    assert 8 in numbers(client.get("/recommendations/?q=labour-migration&tracked=yes"))


def test_a_quoted_phrase_is_still_a_phrase_in_the_paragraph_text(client, follow_up):
    assert 16 in numbers(client.get('/recommendations/?q="combat+human+trafficking"'))
    assert numbers(client.get('/recommendations/?q="trafficking+human+combat"')) == []


def test_the_words_searched_for_are_marked_in_the_results(client, follow_up):
    page = client.get("/recommendations/?q=the+victims+of+trafficking+-remittances").content.decode()
    assert (
        "focus on prevention of <mark>trafficking</mark>, prosecution of <mark>traffickers</mark> "
        "and protection of <mark>victims</mark>"
    ) in page
    assert "<mark>of</mark>" not in page and "<mark>the</mark>" not in page.lower()
    assert "<mark>remittance" not in page


def test_marking_the_words_escapes_the_text_and_the_query(client, follow_up):
    Paragraph.objects.filter(meeting__code="bangkok-2006", number=16).update(
        text='<script>alert("victims")</script> Victims & <b>trafficking</b>'
    )
    page = client.get("/recommendations/", {"q": "victims"}).content.decode()
    assert (
        "&lt;script&gt;alert(&quot;<mark>victims</mark>&quot;)&lt;/script&gt; <mark>Victims</mark> &amp; "
        "&lt;b&gt;trafficking&lt;/b&gt;"
    ) in page
    for query in ["<b>victims</b>", "<script>alert(1)</script>", "script", "lt amp quot gt", 'victims" onmouseover="x']:
        response = client.get("/recommendations/", {"q": query})
        assert response.status_code == 200
        main = response.content.decode().split("<main")[1]
        assert "<script" not in main and "<b>" not in main and 'onmouseover="' not in main
        assert "&<mark>" not in main and "<mark>;" not in main


@pytest.mark.parametrize(
    "query",
    [
        "!!!",
        "the of and",
        '"',
        '""',
        '"unclosed phrase',
        "-",
        "or",
        "a:* & !b | (c)",
        "labour " * 28,
        "x" * 200,
        "é—ü’ß",
    ],
)
def test_any_search_text_answers_a_page(client, follow_up, query):
    response = client.get("/recommendations/", {"q": query})
    assert response.status_code == 200
    assert "Some filters were ignored" not in response.content.decode()


def test_a_search_with_a_null_character_is_ignored_with_a_message(client, follow_up):
    response = client.get("/recommendations/?q=labour%00")
    assert response.status_code == 200
    assert "Some filters were ignored" in response.content.decode()


def test_a_result_found_in_its_actions_shows_an_excerpt_of_one_of_them(client, follow_up, australia):
    opening = "An agreement between ministries. " * 8
    long = make_action(
        australia,
        [8],
        title="Seasonal worker scheme",
        description=f"{opening}It lets growers employ workers from Kiribati for up to seven months. " + "More. " * 40,
    )
    page = client.get("/recommendations/?q=kiribati+growers").content.decode()
    assert numbers(client.get("/recommendations/?q=kiribati+growers")) == [8]
    assert f'In its published action <a href="/actions/{long.pk}/">Seasonal worker scheme</a>: …' in page
    shown = re.search(r'<p class="match">.*?</a>: (.*?)</p>', page).group(1)
    assert "It lets <mark>growers</mark> employ workers from <mark>Kiribati</mark> for up to seven months." in shown
    assert shown.endswith("…") and len(re.sub(r"</?mark>", "", shown)) <= 200
    mou = follow_up["mou"]
    page = client.get("/recommendations/?q=canberra").content.decode()
    assert (
        f'<a href="/actions/{mou.pk}/">Memorandum of understanding on labour migration</a>: '
        "Signed by both ministers of labour in <mark>Canberra</mark>.</p>"
    ) in page
    assert 'class="match"' not in client.get("/recommendations/?tracked=yes").content.decode()


def test_an_action_excerpt_is_escaped(client, follow_up, australia):
    action = make_action(
        australia, [8], title="<script>alert(1)</script> Shelters", description='<b onclick="x">Shelters</b> & more'
    )
    page = client.get("/recommendations/?q=shelters").content.decode()
    assert (
        f'<a href="/actions/{action.pk}/">&lt;script&gt;alert(1)&lt;/script&gt; <mark>Shelters</mark></a>: '
        "&lt;b onclick=&quot;x&quot;&gt;<mark>Shelters</mark>&lt;/b&gt; &amp; more</p>"
    ) in page
    assert "<script" not in page.split("<main")[1]


def test_the_excerpt_is_of_a_published_action(client, follow_up):
    page = client.get("/recommendations/?q=smuggling").content.decode()
    assert "Secret draft" not in page and f"/actions/{follow_up['draft'].pk}/" not in page


def test_sort_by_progress(client, follow_up):
    assert numbers(client.get("/recommendations/?tracked=yes&sort=-progress"))[:3] == [12, 7, 8]
    assert numbers(client.get("/recommendations/?tracked=yes&sort=-reported"))[0] == 12


def paragraph_queries(client, url: str) -> list[str]:
    """The SQL of the queries that read the list's paragraphs: its count and its page."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if 'FROM "recommendations_paragraph" ' in query["sql"]]


def test_the_list_counts_and_reads_its_page_without_the_progress_unless_it_sorts_by_it(client, follow_up):
    count, page = paragraph_queries(client, "/recommendations/?addressee=THA&tracked=yes")
    assert count.startswith("SELECT COUNT(*)")
    assert "implementationstatus" not in count
    assert "implementationstatus" not in page
    count, page = paragraph_queries(client, "/recommendations/?addressee=THA&tracked=yes&sort=-progress")
    assert "implementationstatus" not in count
    assert "implementationstatus" in page


def test_the_export_links_carry_the_current_filters(client, follow_up):
    page = client.get("/recommendations/?status=completed&actor=THA&page=1&sort=-progress").content.decode()
    assert 'href="/actions/export.csv?status=completed&amp;actor=THA"' in page
    assert 'href="/recommendations/export.xlsx?status=completed&amp;actor=THA"' in page


def test_the_export_links_leave_out_a_filter_the_list_ignored(client, follow_up):
    """The export would answer 400 to it, while the page shows the results without it."""
    page = client.get("/recommendations/?status=finished&actor=THA").content.decode()
    assert 'href="/actions/export.csv?actor=THA"' in page
    assert client.get("/actions/export.csv?actor=THA").status_code == 200


def test_each_persona_sees_only_published_work_in_the_list(client, follow_up, secretariat, thai_focal_point):
    for user in (None, secretariat, thai_focal_point):
        if user:
            client.force_login(user)
        assert numbers(client.get("/recommendations/?q=secret")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=finished", "Unknown status"),
        ("actor=ZZZ", "No actor has the code given in ?actor="),
        ("addressee=%3Cscript%3E", "No actor has the code given in ?addressee="),
        ("meeting=nowhere", "No meeting has the code"),
        ("theme=abc", "No theme has the number"),
        ("tracked=maybe", "?tracked= is yes or no"),
        ("sort=random", "Unknown sort order"),
        ("q=" + "x" * 201, "at most 200 characters"),
    ],
)
def test_a_bad_filter_is_ignored_with_a_visible_message(client, workshop, query, message):
    response = client.get(f"/recommendations/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were ignored" in page
    assert message in page
    assert "<script>" not in page.split("<main")[1]
    assert "1–20 of 25 paragraphs" in page


def test_the_pager_links_the_pages_beside_this_one_keeping_the_filters(client, workshop):
    first = client.get("/recommendations/?sort=theme").content.decode()
    assert 'href="?sort=theme&amp;page=2" rel="next">Next page' in first
    assert 'rel="prev"' not in first and "Page 1 of 2" in first
    second = client.get("/recommendations/?sort=theme&page=2").content.decode()
    assert 'href="?sort=theme&amp;page=1" rel="prev">Previous page' in second
    assert 'rel="next"' not in second and "Page 2 of 2" in second
    assert "21–25 of 25 paragraphs" in second and '<ol class="results" start="21">' in second
    assert 'class="pager"' not in client.get("/recommendations/?tracked=yes").content.decode()
    none = client.get("/recommendations/?q=nothing+like+this")
    assert numbers(none) == []
    assert "No paragraph matches these filters." in none.content.decode()
    assert 'class="pager"' not in none.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "9" * 30, "¹", "٣"])
def test_a_malformed_page_number_is_a_400(client, workshop, page):
    assert client.get(f"/recommendations/?page={page}").status_code == 400


def test_a_page_beyond_the_last_is_a_404(client, workshop):
    assert client.get("/recommendations/?page=3").status_code == 404
    assert client.get("/recommendations/?page=999999999").status_code == 404


def test_the_list_runs_the_same_queries_at_n_and_ten_times_n_actions(
    client, follow_up, thailand, django_assert_num_queries
):
    # the data version and the header (read once per version), meetings with their themes and
    # actors for the filter choices, the count, the page of paragraphs with their progress, the
    # page's addressees as written and the group memberships (its addressed pairs), the statuses,
    # and one published action with the words searched for per paragraph shown
    url = "/recommendations/?q=labour&status=completed&actor=THA&sort=-progress"
    with django_assert_num_queries(10):
        client.get(url)
    add_actions(20, thailand, [12, 13])
    make_action(Actor.objects.get(code="IOM"), [12], Status.COMPLETED, title="labour")
    with django_assert_num_queries(10):
        client.get(url)
    add_actions(200, thailand, [12, 14, 15])
    with django_assert_num_queries(10):
        assert numbers(client.get(url)) == [12]
    assert 'class="match"' in client.get(url).content.decode()


def test_each_filter_menu_offers_its_empty_choice_once(client, follow_up):
    page = client.get("/recommendations/").content.decode()
    menus = dict(re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S))
    assert set(menus) == {"meeting", "theme", "addressee", "actor", "status", "tracked", "sort"}
    empty = {name: re.findall(r'<option value=""[^>]*>([^<]*)<', options) for name, options in menus.items()}
    assert empty == {
        "meeting": ["Any meeting"],
        "theme": ["Any theme"],
        "addressee": ["Anyone"],
        "actor": ["Any actor"],
        "status": ["Any status"],
        "tracked": ["Recommendations and context"],
        "sort": [],
    }
