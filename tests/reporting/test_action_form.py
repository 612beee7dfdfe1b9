"""The action form prevents mistakes: nothing chosen for the reporter, no group as a partner,
files that can be taken back, and no editing of what waits for review."""

import re

import pytest

from recommendations.models import FollowUpAction

from ..conftest import PASSWORD, action_form


@pytest.fixture
def thai_client(client, thai_focal_point):
    client.login(username="somchai", password=PASSWORD)
    return client


def chosen_statuses(page: str) -> list[str]:
    select = re.search(r'<select name="status".*?</select>', page, re.DOTALL).group()
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_a_new_action_has_no_status_until_the_focal_point_chooses_one(thai_client, p15):
    page = thai_client.get("/my/actions/new/").text
    assert chosen_statuses(page) == [""]
    assert '<option value="" selected>Choose a status</option>' in page

    response = thai_client.post("/my/actions/new/", action_form(p15, status=""))
    assert response.status_code == 200
    assert "Choose the status of the action." in response.text
    assert "Memorandum of understanding on labour cooperation" in response.text
    assert not FollowUpAction.objects.exists()


def test_an_edit_shows_the_stored_status(thai_client, thai_draft):
    assert chosen_statuses(thai_client.get(f"/my/actions/{thai_draft.pk}/edit/").text) == ["planned"]
