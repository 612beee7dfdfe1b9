"""The action form prevents mistakes: nothing chosen for the reporter, no group as a partner,
files that can be taken back, and no editing of what waits for review."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat

from recommendations.models import Actor, EvidenceFile, FollowUpAction
from recommendations.reporting import workflow

from ..conftest import action_form
from .conftest import PDF, action_input, pdf


@pytest.fixture
def thai_client(client, thai_focal_point):
    client.force_login(thai_focal_point)
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


def with_files(data, *names, restricted=False):
    data.files = [(pdf(name), restricted) for name in names]
    return data


@pytest.fixture
def thai_draft_with_files(thailand, thai_focal_point, p15):
    data = with_files(action_input([p15]), "resolution.pdf", "annex.pdf")
    return workflow.create_action(actor=thailand, user=thai_focal_point, data=data)


def test_editing_a_draft_lists_its_files_and_removes_the_ticked_one_after_the_commit(
    thai_client, thai_draft_with_files, p15, django_capture_on_commit_callbacks
):
    action = thai_draft_with_files
    url = f"/my/actions/{action.pk}/edit/"
    resolution, annex = EvidenceFile.objects.order_by("pk")
    page = thai_client.get(url).text
    assert "Files attached" in page
    size = filesizeformat(len(PDF))
    assert f"Remove resolution.pdf ({size})" in page and f"Remove annex.pdf ({size})" in page

    with django_capture_on_commit_callbacks() as after_commit:
        response = thai_client.post(url, action_form(p15, version=action.version, remove_files=[annex.pk]))
    assert response.status_code == 302
    assert list(EvidenceFile.objects.all()) == [resolution]
    assert default_storage.exists(annex.file.name), "the stored copy waits for the commit"
    for callback in after_commit:
        callback()
    assert not default_storage.exists(annex.file.name)
    assert default_storage.exists(resolution.file.name)


def test_a_new_action_and_a_draft_without_files_have_nothing_to_remove(thai_client, thai_draft):
    assert "remove_files" not in thai_client.get("/my/actions/new/").context["form"].fields
    assert "remove_files" not in thai_client.get(f"/my/actions/{thai_draft.pk}/edit/").context["form"].fields


def test_an_update_lists_only_its_own_files_never_the_published_ones(
    thai_client, thai_published, thai_focal_point, p15
):
    published_file = EvidenceFile.objects.create(
        action=thai_published, file=pdf("act.pdf"), name="act.pdf", content_type="application/pdf", size=len(PDF)
    )
    url = f"/my/actions/{thai_published.pk}/edit/"
    assert "remove_files" not in thai_client.get(url).context["form"].fields

    data = with_files(action_input([p15], title="Second edition"), "amendment.pdf")
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    thai_published.refresh_from_db()
    offered = thai_client.get(url).context["form"].fields["remove_files"].queryset
    assert [evidence.name for evidence in offered] == ["amendment.pdf"]

    response = thai_client.post(url, action_form(p15, version=thai_published.version, remove_files=[published_file.pk]))
    assert response.status_code == 200
    assert "Only the files listed here can be removed." in response.text
    assert EvidenceFile.objects.filter(pk=published_file.pk).exists()

    refused = action_input([p15], title="Second edition")
    refused.removed_files = [published_file]
    with pytest.raises(ValidationError, match="act.pdf: only the files of this draft or update can be removed"):
        workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=refused)
    assert EvidenceFile.objects.filter(pk=published_file.pk).exists()


def test_another_actors_file_cannot_be_removed(
    thai_client, thai_draft_with_files, australia, australian_focal_point, p15
):
    australian = workflow.create_action(
        actor=australia, user=australian_focal_point, data=with_files(action_input([p15]), "visa-policy.pdf")
    )
    theirs = EvidenceFile.objects.get(action=australian)
    action = thai_draft_with_files
    response = thai_client.post(
        f"/my/actions/{action.pk}/edit/", action_form(p15, version=action.version, remove_files=[theirs.pk])
    )
    assert response.status_code == 200
    assert "Only the files listed here can be removed." in response.text
    assert EvidenceFile.objects.count() == 3


def test_a_returned_action_lists_its_files_for_removal(
    thai_client, thai_draft_with_files, thai_focal_point, secretariat
):
    action = thai_draft_with_files
    workflow.submit(action=action, user=thai_focal_point, version=action.version)
    workflow.return_for_revision(action=action, user=secretariat, comment="Is the annex the right one?")
    offered = thai_client.get(f"/my/actions/{action.pk}/edit/").context["form"].fields["remove_files"].queryset
    assert [evidence.name for evidence in offered] == ["resolution.pdf", "annex.pdf"]


def test_a_submitted_action_does_not_open_for_editing_but_says_it_waits_for_review(thai_client, thai_submitted, p15):
    url = f"/my/actions/{thai_submitted.pk}/edit/"
    response = thai_client.get(url)
    assert response.status_code == 409
    page = response.text
    assert "This action was submitted by somchai on " in page
    assert "waits for the secretariat's review, so it cannot be edited now" in page
    assert f'<a href="/my/actions/{thai_submitted.pk}/">See the action as submitted</a>' in page
    assert 'name="title"' not in page

    version = thai_submitted.version
    response = thai_client.post(url, action_form(p15, version=version))
    assert response.status_code == 409
    thai_submitted.refresh_from_db()
    assert (thai_submitted.title, thai_submitted.version) == ("National action plan on labour migration", version)


def test_a_published_action_whose_update_is_submitted_does_not_open_for_editing(
    thai_client, thai_published, thai_focal_point, p15
):
    data = action_input([p15], title="Second edition")
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    thai_published.refresh_from_db()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    response = thai_client.get(f"/my/actions/{thai_published.pk}/edit/")
    assert response.status_code == 409
    assert "Your update of this published action was submitted" in response.text
