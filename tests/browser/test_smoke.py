"""The browser set-up itself: Chromium opens the site and axe-core reads it."""

from .conftest import assert_accessible


def test_the_home_page_opens_in_chromium_and_has_no_accessibility_violations(page, live_workshop):
    page.goto("/")
    assert page.title() == "APC Tracker"
    page.get_by_role("link", name="JSON").first.click()
    assert page.url.endswith("/export.json")
    page.goto("/")
    assert_accessible(page)
