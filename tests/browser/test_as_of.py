"""The date picker in headless Chromium: a date and a reading, kept while filtering, on a desktop and a phone."""

import pytest

from tests.public.conftest import follow_up  # noqa: F401 - the published follow-up the pages show

from .conftest import assert_fits_and_is_accessible

PAGES = ["/", "/recommendations/", "/recommendations/bangkok-2006/12/", "/actors/THA/", "/documents/bangkok-2006/"]


@pytest.fixture
def site(request, page):
    request.getfixturevalue("follow_up")
    return page


def test_pick_a_date_and_the_public_record_then_a_quick_choice_then_today(site):
    site.goto("/")
    site.get_by_label("Statuses as of").fill("2006-09-14")
    site.get_by_label("Only what was public that day").check()
    site.get_by_role("button", name="Show").click()
    assert site.url.endswith("/?as_of=2006-09-14&record=1")
    heading = site.get_by_role("heading", level=1).inner_text()
    assert "as of 14 September 2006 (the public record of that day)" in heading
    assert "today's" in site.get_by_role("status").inner_text()
    assert_fits_and_is_accessible(site)
    site.get_by_role("link", name="End of 2010").click()
    assert site.url.endswith("/?as_of=2010-12-31&record=1")
    assert site.get_by_label("Only what was public that day").is_checked()
    site.get_by_role("link", name="Back to today").click()
    assert site.url.endswith("/?")
    assert site.get_by_label("Statuses as of").input_value() == ""


def test_filtering_the_list_keeps_the_date(site):
    site.goto("/recommendations/?as_of=2006-09-14")
    site.get_by_label("Status", exact=True).select_option("completed")
    site.get_by_role("button", name="Apply filters").click()
    assert "as_of=2006-09-14" in site.url and "status=completed" in site.url
    assert site.locator(".result-count").inner_text() == "1–1 of 1 paragraph"


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_with_a_date_fits_and_is_accessible(site, width):
    site.set_viewport_size({"width": width, "height": 900})
    for url in PAGES:
        site.goto(f"{url}?as_of=2006-09-14&record=1")
        assert_fits_and_is_accessible(site)
