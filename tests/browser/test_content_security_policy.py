"""Every page works under the Content-Security-Policy: the browser reports no violation."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import sign_in_with_second_factor

PUBLIC_PAGES = [
    "/",
    "/recommendations/?theme=2&status=completed",
    "/recommendations/bangkok-2006/23/",
    "/documents/bangkok-2006/",
    "/actors/THA/",
    "/about/",
    "/accounts/login/",
    "/no-such-page/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/recommendations/paragraph/",
    "/admin/recommendations/followupaction/add/",
    "/admin/recommendations/meeting/1/change/",
]


def violations_on(page, url: str) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [text for text in messages if "Content Security Policy" in text]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_break_no_rule_of_the_policy(page, live_workshop, url):
    assert violations_on(page, url) == []


def test_the_policy_forbids_inline_scripts(page, live_workshop):
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    with pytest.raises(PlaywrightError, match="violates the following Content Security Policy directive"):
        page.add_script_tag(content="document.title = 'injected'")
    assert page.title() != "injected"


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_breaks_no_rule_of_the_policy(page, live_server, live_workshop, secretariat, client, url):
    sign_in_with_second_factor(client, secretariat)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    assert violations_on(page, url) == []
