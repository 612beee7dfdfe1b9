"""whitenoise serves the stylesheet under its hashed name, compressed, with debug off."""

import re


def test_pages_link_the_stylesheet_by_its_hashed_name_and_whitenoise_serves_it(client, db, settings):
    assert not settings.DEBUG
    page = client.get("/").content.decode()
    href = re.search(r'href="(/static/recommendations/site\.[0-9a-f]{12}\.css)"', page)
    assert href, "the stylesheet is not linked by a hashed name"
    response = client.get(href.group(1), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert "max-age=315360000" in response["Cache-Control"]


def test_pages_link_the_favicon_and_favicon_ico_leads_to_it(client, db):
    page = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="(/static/recommendations/favicon\.[0-9a-f]{12}\.svg)"', page)
    assert href, "the favicon is not linked by a hashed name"
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == href.group(1)
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
