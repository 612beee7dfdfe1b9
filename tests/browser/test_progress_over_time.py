"""Progress over time and what changed, in headless Chromium: accessible, and usable on a phone."""

import pytest

from tests.public.conftest import follow_up  # noqa: F401 - the published follow-up the pages show

from .conftest import assert_fits_and_is_accessible

CHARTED = [
    "/",
    "/actors/THA/",
    "/recommendations/bangkok-2006/12/",
    "/documents/bangkok-2006/themes/5/",
    "/actors/THA/?as_of=2006-09-14&record=1",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_each_chart_fits_or_scrolls_in_its_labelled_box_and_its_page_is_accessible(site, width):
    site.set_viewport_size({"width": width, "height": 900})
    for url in CHARTED:
        site.goto(url)
        chart = site.get_by_role("img", name="Statuses by month")
        assert chart.is_visible()
        box = site.get_by_role("region", name="Statuses by month")
        assert box.get_attribute("tabindex") == "0"
        fits = box.evaluate("element => element.scrollWidth <= element.clientWidth")
        # On a phone the chart keeps a readable size and scrolls sideways in its box.
        assert fits is (width == 1280), url
        assert_fits_and_is_accessible(site)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chart_opens_as_a_table(site, width):
    site.set_viewport_size({"width": width, "height": 900})
    site.goto("/actors/THA/")
    table = site.get_by_role("table", name="Statuses by month, Thailand on the recommendations, at each month end")
    assert not table.is_visible()
    site.get_by_text("The chart as a table").click()
    assert table.is_visible()
    assert table.get_by_role("columnheader", name="Completed").is_visible()
    assert_fits_and_is_accessible(site)


@pytest.mark.parametrize("width", [1280, 390])
def test_pick_a_date_and_read_what_changed_since(site, width):
    site.set_viewport_size({"width": width, "height": 900})
    site.goto("/")
    site.get_by_role("navigation", name="Main").get_by_role("link", name="What changed").click()
    site.get_by_label("Since").fill("2006-04-26")
    site.get_by_role("button", name="Show the changes").click()
    assert site.url.endswith("/changes/?since=2006-04-26")
    assert site.get_by_role("heading", name="What changed since 26 April 2006").is_visible()
    changes = site.get_by_role("region", name="Status changes")
    # The MOU changed Thailand's and Australia's status, the plan and the survey one each.
    assert changes.get_by_role("row").count() == 1 + 4
    assert_fits_and_is_accessible(site)
    changes.get_by_role("link", name="National plan on migration data").click()
    assert site.get_by_role("heading", name="National plan on migration data", level=1).is_visible()
