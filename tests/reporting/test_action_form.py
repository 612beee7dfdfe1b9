"""The action form prevents mistakes: nothing chosen for the reporter, no group as a partner,
files that can be taken back, and no editing of what waits for review."""

import html
import re

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Actor, FollowUpAction
from recommendations.reporting import workflow

from ..conftest import PASSWORD, action_form
from .conftest import action_input


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


def test_partners_are_ticked_in_a_list_that_a_script_of_the_site_can_filter(thai_client):
    response = thai_client.get("/my/actions/new/")
    page = response.text
    assert '<input type="checkbox" name="partners"' in page
    assert '<select name="partners"' not in page
    assert '<div id="id_partners" class="filterable-choices">' in page
    assert re.search(r'<script src="/static/recommendations/partner-filter\.[0-9a-f]+\.js" defer>', page)
    offered = {actor.code for actor in response.context["form"].fields["partners"].queryset}
    assert {"AUS", "IOM", "ILO"} <= offered
    assert "THA" not in offered


def test_a_group_of_actors_is_not_offered_as_a_partner_and_is_refused_if_posted(thai_client, p15):
    groups = Actor.objects.filter(kind=Actor.Kind.STAKEHOLDER_GROUP)
    assert {"ALL-STATES", "CIVIL-SOCIETY", "DONOR-COUNTRIES"} <= set(groups.values_list("code", flat=True))
    response = thai_client.get("/my/actions/new/")
    assert not set(response.context["form"].fields["partners"].queryset) & set(groups)

    all_states = groups.get(code="ALL-STATES")
    australia = Actor.objects.get(code="AUS")
    response = thai_client.post("/my/actions/new/", action_form(p15, partners=[australia.pk, all_states.pk]))
    assert response.status_code == 200
    assert "groups such as “All States” cannot be partners" in html.unescape(response.text)
    assert "Memorandum of understanding on labour cooperation" in response.text
    assert not FollowUpAction.objects.exists()

    thai_client.post("/my/actions/new/", action_form(p15, partners=[australia.pk]))
    assert list(FollowUpAction.objects.get().partners.all()) == [australia]


def test_the_workflow_refuses_a_group_of_actors_as_a_partner(thailand, thai_focal_point, thai_draft, p15):
    civil_society = Actor.objects.get(code="CIVIL-SOCIETY")
    data = action_input([p15])
    data.partners = [civil_society]
    with pytest.raises(ValidationError, match="Civil society: a group of actors cannot be a partner"):
        workflow.create_action(actor=thailand, user=thai_focal_point, data=data)
    with pytest.raises(ValidationError, match="a group of actors cannot be a partner"):
        workflow.edit_action(action=thai_draft, user=thai_focal_point, version=thai_draft.version, data=data)
    assert FollowUpAction.objects.get() == thai_draft
    thai_draft.refresh_from_db()
    assert not thai_draft.partners.exists()
