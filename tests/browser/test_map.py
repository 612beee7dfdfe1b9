"""The map in headless Chromium: accessible on a desktop and a phone, each country a working link."""

import pytest

from tests.public.conftest import follow_up  # noqa: F401 - the published follow-up the map shows

from .conftest import assert_fits_and_is_accessible


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("url", ["/", "/recommendations/bangkok-2006/12/"])
def test_the_map_is_accessible_and_fits_the_window(request, page, width, url):
    request.getfixturevalue("follow_up")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    map_image = page.locator("svg.map")
    assert map_image.is_visible()
    assert map_image.bounding_box()["width"] <= width
    page.get_by_text("The map as a table").click()
    assert page.locator(".map-table table").is_visible()
    assert_fits_and_is_accessible(page)


def test_a_country_on_the_map_leads_to_its_page(request, page):
    request.getfixturevalue("follow_up")
    page.goto("/recommendations/bangkok-2006/12/")
    page.locator('svg.map a[href="/actors/THA/"] path').click()
    page.wait_for_url("**/actors/THA/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kingdom of Thailand")
