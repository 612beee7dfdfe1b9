"""Other sites' scripts may read the open data, and nothing else, never with credentials."""

import pytest

ORIGIN = "https://reuser.example"
OPEN = ["/recommendations/export.csv", "/actions/export.json", "/statuses/export.xlsx"]


@pytest.mark.parametrize("url", OPEN)
def test_the_open_data_may_be_read_from_any_origin(client, workshop, url):
    response = client.get(url, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("url", OPEN)
def test_a_preflight_for_the_open_data_is_answered(client, workshop, url):
    response = client.options(
        url,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "url", ["/", "/about/", "/recommendations/", "/my/", "/review/", "/admin/", "/admin/login/", "/accounts/login/"]
)
def test_nothing_else_is_readable_from_another_site(client, workshop, url):
    response = client.get(url, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in preflight


def test_a_signed_in_persons_pages_are_not_readable_from_another_site(client, thai_focal_point):
    client.force_login(thai_focal_point)
    for url in ("/my/", "/my/actions/new/", "/accounts/password_change/"):
        assert "Access-Control-Allow-Origin" not in client.get(url, headers={"Origin": ORIGIN}), url
