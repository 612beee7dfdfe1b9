"""The foundation's pages: the empty home page and a permalink for every paragraph."""

import pytest
from django.urls import reverse


def test_home_says_so_when_nothing_is_imported(client, db):
    assert "No outcome document has been imported yet." in client.get("/").content.decode()


def test_a_paragraph_has_a_stable_permalink_with_its_text_theme_and_addressees(client, workshop):
    response = client.get("/recommendations/bangkok-2006/23/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Regional consultative processes, particularly APC, the Bali Process, and PIDC" in page
    assert "5. Building partnership" in page
    assert "Bali Process on People Smuggling" in page
    assert workshop.paragraphs.get(number=23).get_absolute_url() == "/recommendations/bangkok-2006/23/"


def test_a_context_paragraph_is_marked_as_context(client, workshop):
    assert ">context<" in client.get("/recommendations/bangkok-2006/4/").content.decode()


@pytest.mark.parametrize(
    "url", ["/recommendations/bangkok-2006/99/", "/recommendations/nowhere/1/", "/recommendations/bangkok-2006/0/"]
)
def test_unknown_paragraphs_are_404(client, workshop, url):
    assert client.get(url).status_code == 404


def test_pages_answer_get_and_head_only(client, workshop):
    assert client.head(reverse("recommendations:home")).status_code == 200
    assert client.post(reverse("recommendations:home")).status_code == 405
    assert client.post(reverse("recommendations:export", args=["recommendations", "csv"])).status_code == 405
