"""Account pages: sign-in, password change and reset, as a focal point meets them.

They are pages of the site, in its look, and nothing on them leads a focal point to the
admin or to its sign-in, which asks for a one-time code that focal points do not have.
"""

import re
from html.parser import HTMLParser

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..conftest import PASSWORD

NEW_PASSWORD = "another long passphrase 2006"


def reset_link(message) -> str:
    return re.search(r"\S+/accounts/reset/\S+", message.body).group()


def reset_path(user) -> str:
    """The path of the link a reset mail to `user` holds."""
    return f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"


class Links(HTMLParser):
    """The addresses a page links to and posts to."""

    def __init__(self, html: str):
        super().__init__()
        self.addresses: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        address = attributes.get("href") if tag == "a" else attributes.get("action") if tag == "form" else None
        if address:
            self.addresses.add(address)


def account_pages(client, user) -> dict:
    """Every account page as the focal point `user` meets it: signed out, then signed in."""
    pages = {
        path: client.get(path)
        for path in (
            "/accounts/login/",
            "/accounts/password_reset/",
            "/accounts/password_reset/done/",
            "/accounts/reset/MQ/used-or-expired/",
            "/accounts/reset/done/",
        )
    }
    set_password = client.get(reset_path(user), follow=True)
    pages[set_password.redirect_chain[-1][0]] = set_password
    client.force_login(user)
    pages.update({path: client.get(path) for path in ("/accounts/password_change/", "/accounts/password_change/done/")})
    client.logout()
    return pages


def assert_site_page(response) -> None:
    page = response.content.decode()
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert '<header class="site-header' in page and 'aria-label="Main"' in page, response.request["PATH_INFO"]
    assert "Django administration" not in page and "/static/admin/" not in page, response.request["PATH_INFO"]


def test_every_account_page_is_a_page_of_the_site(client, thai_focal_point):
    pages = account_pages(client, thai_focal_point)
    assert len(pages) == 8
    for response in pages.values():
        assert_site_page(response)


def test_nothing_on_an_account_page_leads_a_focal_point_to_the_admin(client, thai_focal_point):
    addresses = set().union(
        *(Links(response.content.decode()).addresses for response in account_pages(client, thai_focal_point).values())
    )
    assert not [address for address in addresses if "/admin/" in address]
    client.force_login(thai_focal_point)
    for address in sorted(address for address in addresses if address.startswith("/")):
        if address == "/accounts/logout/":
            continue
        response = client.get(address, follow=True)
        visited = [address] + [hop for hop, _ in response.redirect_chain]
        assert not [hop for hop in visited if "/admin/" in hop], visited
        assert response.status_code == 200, visited


def test_sign_in_and_sign_out_are_pages_of_the_site(client, thai_focal_point):
    response = client.get("/accounts/password_change/")
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"
    client.force_login(thai_focal_point)
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_the_sign_in_page_says_the_one_time_code_is_for_the_secretariat_only(client, db):
    response = client.get("/accounts/login/")
    code = response.context["form"]["otp_token"]
    assert code.label == "One-time code (secretariat only)"
    assert not code.field.required
    assert "Focal points leave it empty" in code.help_text
    page = response.content.decode()
    assert 'aria-describedby="id_otp_token_helptext"' in page and 'id="id_otp_token_helptext"' in page


def test_a_focal_point_changes_their_password_and_stays_on_the_site(client, thai_focal_point):
    client.force_login(thai_focal_point)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/password_change/done/", 302)]
    assert_site_page(response)
    assert "Password changed" in response.content.decode()
    assert client.post("/accounts/logout/")["Location"] == "/"
    refused = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    response = client.post("/accounts/login/", {"username": "somchai", "password": NEW_PASSWORD})
    assert response["Location"] == "/my/"


def test_the_reset_mail_names_the_site_and_links_to_its_address(client, thai_focal_point, mailoutbox, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.post("/accounts/password_reset/", {"email": "somchai@example.org"})
    (message,) = mailoutbox
    assert message.to == ["somchai@example.org"]
    assert message.subject == "[APC Tracker] Reset your password"
    assert "APC Tracker" in message.body and "somchai" in message.body
    assert "testserver" not in message.subject + message.body
    assert reset_link(message).startswith("http://127.0.0.1:8101/accounts/reset/")


def test_a_focal_point_resets_a_forgotten_password_with_the_link_in_the_mail(
    client, thai_focal_point, mailoutbox, settings
):
    settings.SITE_URL = "http://127.0.0.1:8101"
    response = client.post("/accounts/password_reset/", {"email": "somchai@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    link = reset_link(mailoutbox[0]).removeprefix(settings.SITE_URL)
    form = client.get(link, follow=True)
    assert "Choose a new password for somchai" in form.content.decode()
    set_password = form.redirect_chain[-1][0]
    response = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain == [("/accounts/reset/done/", 302)]
    assert_site_page(response)
    assert 'href="/accounts/login/"' in response.content.decode()
    response = client.post("/accounts/login/", {"username": "somchai", "password": NEW_PASSWORD})
    assert response["Location"] == "/my/"
    assert "This link no longer works" in client.get(link, follow=True).content.decode()
