"""A focal point signs in and changes the password in Chromium, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from recommendations.reporting.appointments import add_focal_point

from ..conftest import PASSWORD
from .conftest import assert_fits_and_is_accessible

NEW_PASSWORD = "another long passphrase 2006"


def sign_in(page, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("somchai")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_focal_point_changes_the_password_on_pages_that_fit_the_screen(page, live_workshop, width):
    page.set_viewport_size({"width": width, "height": 800})
    add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD)

    page.goto("/accounts/login/")
    assert_fits_and_is_accessible(page)
    sign_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="My workspace: Thailand")).to_be_visible()

    page.get_by_role("link", name="Password", exact=True).click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_fits_and_is_accessible(page)
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert "/admin/" not in page.url
    assert_fits_and_is_accessible(page)
    page.get_by_role("button", name="Sign out (somchai)").click()

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Forgotten your password?")).to_be_visible()
    assert_fits_and_is_accessible(page)

    sign_in(page, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My workspace: Thailand")).to_be_visible()
