"""Pages for signed-in people are never stored by a cache; anonymous visitors' public pages keep their caching."""

import pytest

from tests.conftest import sign_in_with_second_factor

NO_STORE = "private, no-store"


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/password_reset/", "/admin/login/", "/admin/", "/my/", "/review/"]
)
def test_signing_in_and_the_signed_in_parts_are_never_stored_even_when_a_visitor_asks(client, db, url):
    assert client.get(url)["Cache-Control"] == NO_STORE


def test_a_focal_points_pages_are_never_stored(client, thai_focal_point):
    client.force_login(thai_focal_point)
    for url in ("/my/", "/my/actions/new/", "/accounts/password_change/", "/", "/recommendations/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url


def test_the_secretariats_pages_are_never_stored(client, secretariat, workshop):
    sign_in_with_second_factor(client, secretariat)
    for url in ("/review/", "/admin/", "/admin/recommendations/paragraph/", "/admin/axes/accessattempt/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url


def test_signing_out_is_never_stored(client, thai_focal_point):
    client.force_login(thai_focal_point)
    assert client.post("/accounts/logout/")["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("url", ["/", "/recommendations/", "/about/", "/recommendations/export.json"])
def test_public_pages_for_visitors_keep_their_caching(client, workshop, url):
    """Any cache may keep them, asking each time whether they changed (a 304 while not)."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
