"""A focal point makes an API token in the workspace, copies it once, and revokes it; the API's
documentation works in the browser under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from recommendations.models import ApiToken
from recommendations.reporting.appointments import add_focal_point

from ..conftest import PASSWORD
from .conftest import assert_fits_and_is_accessible, sign_in


@pytest.mark.parametrize("width", [1280, 390])
def test_a_focal_point_makes_a_token_sees_it_once_and_revokes_it(page, live_workshop, width):
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "somchai")
    page.get_by_role("link", name="API tokens").click()
    assert_fits_and_is_accessible(page)
    page.get_by_label("Name").fill("Ministry of Labour reporting system")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create the token").click()
    secret = page.get_by_role("textbox", name="Token").input_value()
    assert secret.startswith("apc_")
    expect(page.get_by_text("Copy it now: it is shown this once.")).to_be_visible()
    assert_fits_and_is_accessible(page)
    page.goto("/my/tokens/")
    expect(page.get_by_role("textbox", name="Token")).to_have_count(0)
    page.get_by_role("button", name="Revoke Ministry of Labour reporting system").click()
    expect(page.get_by_text("is revoked: it no longer works")).to_be_visible()
    assert not ApiToken.objects.exists()


def test_the_api_documentation_shows_every_endpoint_under_the_content_security_policy(page, live_workshop):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("APC Tracker API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/actions/", exact=True).first).to_be_visible()
    expect(page.get_by_text("/api/v1/my/actions/{number}/submit/", exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert [text for text in messages if "Content Security Policy" in text] == []
