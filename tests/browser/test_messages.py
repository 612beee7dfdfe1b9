"""Messages show as boxes, without list bullets, on the workspace and on every other page.

The live server answers 404 for static files under their hashed names (it looks them up with
the finders, which know only the plain names), so the pages' stylesheets are added here from
the repository, in the order the templates link them.
"""

from pathlib import Path

from playwright.sync_api import expect

from recommendations.reporting.appointments import add_focal_point

from ..conftest import PASSWORD

STATIC = Path(__file__).resolve().parents[2] / "static"


def list_styles(page, *stylesheets: str) -> list[str]:
    """Each message's list style, with Pico, site.css and `stylesheets` applied."""
    for name in ["vendor/pico/pico.min.css", "recommendations/site.css", *stylesheets]:
        page.add_style_tag(content=(STATIC / name).read_text(encoding="utf-8"))
    return page.eval_on_selector_all(".messages li", "items => items.map(li => getComputedStyle(li).listStyleType)")


def test_a_message_has_no_bullet_on_the_workspace(page, live_workshop):
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("somchai")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log an action").click()
    page.get_by_label("¶15 —").check()
    page.get_by_label("Title").fill("Memorandum of understanding on labour cooperation")
    page.get_by_label("Status", exact=True).select_option("completed")
    page.get_by_label("Status as of").fill("2006-06-01")
    page.get_by_label("Source").fill("Ministry of Labour press release")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The action is saved as a draft.")).to_be_visible()
    assert list_styles(page, "recommendations/workspace.css") == ["none"]


def test_a_message_has_no_bullet_on_a_public_page(page, live_workshop):
    """Public pages load no workspace.css: base.html's list of messages is put on one as it renders it."""
    page.goto("/")
    page.eval_on_selector(
        "main",
        """main => main.insertAdjacentHTML("afterbegin",
            '<ul class="messages" role="status"><li class="message message-success">Saved.</li></ul>')""",
    )
    assert list_styles(page) == ["none"]
