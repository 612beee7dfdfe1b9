"""The public site's published follow-up, and API helpers."""

import datetime

import pytest

from tests.public.conftest import add_actions, follow_up, make_action  # noqa: F401


def every_item(client, url: str, **headers) -> list[dict]:
    """Every item of a list, following its cursor from page to page."""
    items = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        url = body["next"]
    return items


def as_exported(value):
    """An API value as the JSON export writes it: null is an empty cell, datetimes in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        return datetime.datetime.fromisoformat(value).isoformat()
    return value


@pytest.fixture
def unthrottled(settings):
    settings.API_ANONYMOUS_RATE = settings.API_TOKEN_RATE = "100000/minute"
