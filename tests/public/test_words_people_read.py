"""Where people read, pages name things in words: no meeting codes, no lower-cased labels."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from recommendations.models import Meeting


class Reading(HTMLParser):
    """A page's title, its h1 and the text it shows in words.

    Attributes (where URLs hold codes) and <code> elements (addresses and identifiers, as on
    the about page) are not read.
    """

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.title = self.h1 = ""
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)

    def handle_endtag(self, tag):
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data):
        if "title" in self.open and "svg" not in self.open:
            self.title += data
        if "h1" in self.open:
            self.h1 += data
        if not {"script", "style", "code"} & set(self.open):
            self.text.append(data)


def read(client, url: str) -> Reading:
    response = client.get(url)
    assert response.status_code == 200, url
    reading = Reading()
    reading.feed(response.content.decode())
    return reading


@pytest.fixture
def make_run_data(workshop):
    """The data `make run` loads: the workshop and its demo follow-up."""
    call_command("generate_demo_data", "--actors", "12", "--actions", "300", verbosity=0)
    return workshop


PAGES = [
    "/",
    "/recommendations/",
    "/recommendations/bangkok-2006/12/",
    "/actors/THA/",
    "/actors/IOM/",
    "/documents/bangkok-2006/",
    "/about/",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_title_heading_or_text_shows_the_meetings_code(client, make_run_data, url):
    page = read(client, url)
    # A permalink shown as an address keeps the code, as every URL does.
    shown = re.sub(r"https?://\S+", "", " ".join(page.text))
    assert page.title.strip() and page.h1.strip()
    assert "bangkok-2006" not in page.title + page.h1
    assert not re.search(r"bangkok-2006\s*¶", shown)
    assert "bangkok-2006" not in shown


def test_a_paragraph_page_is_titled_with_its_number_and_the_meeting_in_words(client, make_run_data):
    page = read(client, "/recommendations/bangkok-2006/12/")
    assert page.title.strip() == "Paragraph 12 — Bangkok, April 2006 — APC Tracker"
    assert page.h1.strip() == "Paragraph 12"


def test_a_meeting_is_labelled_by_its_city_and_month(workshop):
    assert workshop.label == "Bangkok, April 2006"
    assert str(workshop.paragraphs.get(number=12)) == "Paragraph 12 — Bangkok, April 2006"


def test_a_meeting_without_place_or_date_is_labelled_by_its_title():
    assert Meeting(code="x", title="Regional consultation", place="Bangkok").label == "Regional consultation"


def test_the_kind_row_names_the_kind_in_the_plural_with_its_capitals(client, make_run_data):
    page = " ".join(read(client, "/actors/IOM/").text)
    assert "All UN agencies and intergovernmental organisations" in page
    assert "UN agency or intergovernmental organisation" in page
    assert "un agency" not in page
