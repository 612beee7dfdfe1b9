"""The public site in headless Chromium: every page accessible, and the main journeys."""

import csv
import io

from recommendations.models import Theme
from tests.public.conftest import follow_up  # noqa: F401 - the published follow-up the pages show

from .conftest import assert_accessible

PAGES = [
    "/",
    "/recommendations/",
    "/recommendations/?status=finished",
    "/recommendations/bangkok-2006/12/",
    "/recommendations/bangkok-2006/4/",
    "/actors/THA/",
    "/actors/BALI/",
    "/documents/bangkok-2006/",
    "/about/",
    "/actors/NOWHERE/",
]


def test_every_public_page_has_no_accessibility_violations(site):
    for url in PAGES:
        site.goto(url)
        assert_accessible(site)


def test_the_demo_notice_and_its_page_are_accessible(request, site):
    plan = request.getfixturevalue("follow_up")["plan"]
    plan.is_demo = True
    plan.save()
    site.goto("/actors/THA/")
    assert site.get_by_role("note").is_visible()
    assert_accessible(site)


def test_a_matrix_cell_leads_to_the_evidence_on_the_recommendation_page(site):
    site.goto("/")
    site.get_by_role("link", name="Thailand on paragraph 12: Completed").click()
    assert site.url.endswith("/recommendations/bangkok-2006/12/#status-THA")
    row = site.locator("#status-THA")
    assert "Completed" in row.inner_text()
    assert site.get_by_role("heading", name="Memorandum of understanding on labour migration").is_visible()


def test_filter_the_list_by_theme_and_status_then_download_and_read_the_csv(site):
    theme = Theme.objects.get(position=2)
    site.goto("/recommendations/")
    site.get_by_label("Theme", exact=True).select_option(str(theme.pk))
    site.get_by_label("Status", exact=True).select_option("completed")
    site.get_by_role("button", name="Apply filters").click()
    assert f"theme={theme.pk}" in site.url and "status=completed" in site.url
    assert site.locator(".result-count").inner_text() == "1–1 of 1 paragraph"
    with site.expect_download() as download:
        site.get_by_role("link", name="CSV").first.click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115 - read at once
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == ["bangkok-2006/12"]


def test_the_keyboard_reaches_the_content_with_a_visible_focus(site):
    site.goto("/recommendations/")
    site.keyboard.press("Tab")
    skip = site.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    site.keyboard.press("Enter")
    assert site.url.endswith("#main")
    site.keyboard.press("Tab")
    focused = site.evaluate("document.activeElement.closest('main') !== null")
    assert focused
