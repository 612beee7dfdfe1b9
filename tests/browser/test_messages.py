"""Messages show as boxes, without list bullets, on the workspace and on every other page."""

from playwright.sync_api import expect

from recommendations.reporting.appointments import add_focal_point

from ..conftest import PASSWORD
from .conftest import fill_new_action, sign_in


def list_styles(page) -> list[str]:
    """Each message's list style, as the page's own stylesheets give it."""
    return page.eval_on_selector_all(".messages li", "items => items.map(li => getComputedStyle(li).listStyleType)")


def test_a_message_has_no_bullet_on_the_workspace(page, live_workshop):
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)
    sign_in(page, "somchai")
    page.get_by_role("link", name="Log an action").click()
    fill_new_action(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The action is saved as a draft.")).to_be_visible()
    assert list_styles(page) == ["none"]


def test_a_message_has_no_bullet_on_a_public_page(page, live_workshop):
    """Public pages load no workspace.css: base.html's list of messages is put on one as it renders it."""
    page.goto("/")
    page.eval_on_selector(
        "main",
        """main => main.insertAdjacentHTML("afterbegin",
            '<div role="status"><ul class="messages"><li class="message message-success">Saved.</li></ul></div>')""",
    )
    assert list_styles(page) == ["none"]
