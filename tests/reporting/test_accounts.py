"""Account pages: password change and reset, as a focal point meets them."""

import re


def reset_link(message) -> str:
    return re.search(r"\S+/accounts/reset/\S+", message.body).group()


def test_the_reset_mail_names_the_site_and_links_to_its_address(client, thai_focal_point, mailoutbox, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.post("/accounts/password_reset/", {"email": "somchai@example.org"})
    (message,) = mailoutbox
    assert message.to == ["somchai@example.org"]
    assert message.subject == "[APC Tracker] Reset your password"
    assert "APC Tracker" in message.body and "somchai" in message.body
    assert "testserver" not in message.subject + message.body
    assert reset_link(message).startswith("http://127.0.0.1:8101/accounts/reset/")
