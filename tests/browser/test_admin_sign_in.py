"""The secretariat signs in to the admin in a real browser, with production's secure cookies."""

from playwright.sync_api import expect

from recommendations.models import Paragraph
from tests.conftest import PASSWORD, one_time_code


def test_the_secretariat_signs_in_and_marks_paragraph_4_as_tracked(page, live_workshop, secretariat):
    page.goto("/admin/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("One-time code").fill(one_time_code(secretariat))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Paragraphs").click()
    page.get_by_role("link", name="bangkok-2006 ¶4").click()
    expect(page.get_by_text("There was also a suggestion that national preparatory meetings")).to_be_visible()
    page.get_by_label("Tracked recommendation").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Paragraph.objects.get(number=4).is_tracked
