"""The workspace and the review queue, each role trying what it may and may not do."""

import html

import pytest

from recommendations.models import (
    EvidenceFile,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    ImplementationStatus,
    ReportingRound,
)
from recommendations.reporting import workflow

from ..conftest import PASSWORD, action_form, sign_in_with_second_factor
from .conftest import action_input, pdf


@pytest.fixture
def thai_client(client, thai_focal_point):
    client.force_login(thai_focal_point)
    return client


@pytest.fixture
def secretariat_client(client, secretariat):
    sign_in_with_second_factor(client, secretariat)
    return client


def test_anonymous_visitors_are_sent_to_sign_in_from_the_workspace_and_the_queue(client, workshop):
    for url in ("/my/", "/my/actions/new/", "/review/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_sign_in_page_signs_a_focal_point_in_to_their_workspace(client, thai_focal_point):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD})
    assert response["Location"] == "/my/"
    assert "My workspace: Thailand" in client.get("/my/").text


def test_the_workspace_names_each_recommendation_in_words_not_by_the_meetings_code(thai_client):
    page = thai_client.get("/my/").text
    assert '/recommendations/bangkok-2006/12/">Paragraph 12 — Bangkok, April 2006</a>' in page
    assert "bangkok-2006 ¶" not in page


def test_a_focal_point_logs_an_action_with_a_file_as_a_draft_of_their_actor(thai_client, p15, thailand):
    data = action_form(p15, evidence_file=pdf(), evidence_restricted="on")
    response = thai_client.post("/my/actions/new/", data)
    action = FollowUpAction.objects.get()
    assert response["Location"] == f"/my/actions/{action.pk}/"
    assert (action.actor, action.state, action.created_by.username) == (thailand, "draft", "somchai")
    assert list(action.evidence_links.values_list("url", "label")) == [("https://example.org/mou", "Text of the MOU")]
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.is_restricted) == (
        "resolution.pdf",
        "application/pdf",
        True,
    )
    assert "Submit for review" in thai_client.get(response["Location"]).text


def test_a_bad_form_keeps_what_was_typed_and_says_what_to_fix(thai_client, p15):
    data = action_form(p15, recommendations=[], status_as_of="2999-01-01", evidence_links="not a link")
    response = thai_client.post("/my/actions/new/", data)
    assert response.status_code == 200
    page = response.text
    assert "Choose at least one recommendation the action answers." in page
    assert "is not a web address" in page
    assert "Memorandum of understanding on labour cooperation" in page
    assert not FollowUpAction.objects.exists()


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (
            "https://example.org/mou MOU\nhttps://example.org/mou The MOU again",
            "Line 2: 'https://example.org/mou' is already listed",
        ),
        ("https://example.org/" + "a" * 1000, "Line 1: the address is longer than 1000 characters."),
        ("https://example.org/mou " + "MOU " * 80, "Line 1: the label is longer than 300 characters."),
    ],
    ids=["address twice", "long address", "long label"],
)
def test_links_the_database_cannot_hold_are_refused_with_a_message(thai_client, p15, links, message):
    response = thai_client.post("/my/actions/new/", action_form(p15, evidence_links=links))
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert not FollowUpAction.objects.exists()


def test_a_date_in_the_future_is_refused_with_the_models_message(thai_client, p15):
    response = thai_client.post("/my/actions/new/", action_form(p15, status_as_of="2999-01-01"))
    assert "The status cannot hold as of a date in the future." in response.text
    assert not FollowUpAction.objects.exists()


def test_a_focal_point_submits_but_cannot_approve_or_reach_the_queue(thai_client, thai_draft):
    thai_client.post(f"/my/actions/{thai_draft.pk}/submit/", {"version": thai_draft.version})
    thai_draft.refresh_from_db()
    assert thai_draft.state == "submitted"
    assert thai_client.post(f"/review/actions/{thai_draft.pk}/approve/").status_code == 404
    assert thai_client.post("/review/approve/", {"actions": [thai_draft.pk]}).status_code == 404
    assert thai_client.get("/review/").status_code == 404
    thai_draft.refresh_from_db()
    assert thai_draft.state == "submitted"


def test_submitting_twice_says_why_it_cannot(thai_client, thai_submitted):
    response = thai_client.post(f"/my/actions/{thai_submitted.pk}/submit/", {"version": thai_submitted.version})
    assert "this one is submitted for review" in thai_client.get(response["Location"]).text


def test_the_secretariat_returns_with_a_comment_and_the_focal_point_is_told(
    secretariat_client, thai_submitted, mailoutbox
):
    assert thai_submitted.title in secretariat_client.get("/review/").text
    response = secretariat_client.post(f"/review/actions/{thai_submitted.pk}/return/", {"comment": "Add the link."})
    assert response["Location"] == "/review/"
    thai_submitted.refresh_from_db()
    assert (thai_submitted.state, thai_submitted.review_comment) == ("returned", "Add the link.")
    assert mailoutbox[0].to == ["somchai@example.org"]


def test_the_review_notice_links_to_the_sites_address(secretariat_client, thai_submitted, mailoutbox, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    secretariat_client.post(f"/review/actions/{thai_submitted.pk}/return/", {"comment": "Add the link."})
    assert f"http://127.0.0.1:8101/my/actions/{thai_submitted.pk}/" in mailoutbox[0].body


def test_returning_without_a_comment_is_refused(secretariat_client, thai_submitted):
    response = secretariat_client.post(f"/review/actions/{thai_submitted.pk}/return/", {"comment": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "submitted"


def test_the_secretariat_approves_with_a_validated_status(secretariat_client, thai_submitted, mailoutbox):
    secretariat_client.post(f"/review/actions/{thai_submitted.pk}/approve/", {"validated_status": "not_started"})
    row = ImplementationStatus.objects.get()
    assert (row.status, row.reported_status, row.reported_differs) == ("not_started", "planned", True)
    assert mailoutbox[0].subject.startswith("[APC Tracker] Published")


def test_approving_sends_the_reviewer_back_to_the_queue_saying_so(secretariat_client, thai_submitted):
    response = secretariat_client.post(f"/review/actions/{thai_submitted.pk}/approve/", {"validated_status": ""})
    assert response["Location"] == "/review/"
    assert "its focal points are told by email" in secretariat_client.get("/review/").text


def test_approving_with_a_status_not_in_the_list_goes_back_to_the_action(secretariat_client, thai_submitted):
    url = f"/review/actions/{thai_submitted.pk}/"
    response = secretariat_client.post(f"{url}approve/", {"validated_status": "finished"})
    assert response["Location"] == url
    assert "Choose a status from the list." in secretariat_client.get(url).text
    thai_submitted.refresh_from_db()
    assert thai_submitted.state == "submitted"


@pytest.mark.parametrize(
    ("step", "data", "reason"),
    [
        ("approve", {}, "Only a submitted action can be approved"),
        ("return", {"comment": "Add the link."}, "Only a submitted action can be returned"),
    ],
)
def test_a_decision_on_an_action_not_submitted_goes_back_to_it_saying_why(
    secretariat_client, thai_draft, step, data, reason
):
    url = f"/review/actions/{thai_draft.pk}/"
    response = secretariat_client.post(f"{url}{step}/", data)
    assert response["Location"] == url
    assert reason in secretariat_client.get(url).text
    thai_draft.refresh_from_db()
    assert thai_draft.state == "draft"


def test_bulk_approval_publishes_what_is_submitted_and_names_what_is_not(
    secretariat_client, thai_submitted, thailand, thai_focal_point, p15
):
    second = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title="Two"))
    workflow.submit(action=second, user=thai_focal_point, version=second.version)
    response = secretariat_client.post("/review/approve/", {"actions": [thai_submitted.pk, second.pk]}, follow=True)
    assert "Published 2 action(s)." in response.text
    assert FollowUpAction.objects.published().count() == 2


def test_an_unknown_queue_filter_is_ignored_with_a_message(secretariat_client, workshop):
    response = secretariat_client.get("/review/?show=everything")
    assert response.status_code == 200
    assert "There is no filter" in response.text


def test_the_secretariat_workspace_link_leads_to_the_queue(secretariat_client):
    assert secretariat_client.get("/my/")["Location"] == "/review/"


def test_a_user_without_an_appointment_is_told_so(client, django_user_model, workshop):
    client.force_login(django_user_model.objects.create_user("visitor", password=PASSWORD))
    assert "not the focal point" in client.get("/my/").text
    assert client.post("/my/actions/new/", {}).status_code == 403


def test_two_people_editing_the_same_action_the_second_is_refused_and_shown_the_change(thai_client, thai_draft, p15):
    url = f"/my/actions/{thai_draft.pk}/edit/"
    version = thai_client.get(url).context["form"].initial["version"]
    thai_client.post(url, action_form(p15, title="Labour cooperation MOU", version=version))
    response = thai_client.post(url, action_form(p15, title="MOU with Cambodia", version=version))
    assert response.status_code == 409
    page = response.text
    assert "someone else changed this action" in page
    assert "Labour cooperation MOU" in page and "MOU with Cambodia" in page
    assert FollowUpAction.objects.get().title == "Labour cooperation MOU"
    again = thai_client.post(
        url, action_form(p15, title="MOU with Cambodia", version=response.context["form"]["version"].value())
    )
    assert again.status_code == 302
    assert FollowUpAction.objects.get().title == "MOU with Cambodia"


def test_editing_a_published_action_shows_the_public_version_until_approval(thai_client, thai_published, p15):
    url = f"/my/actions/{thai_published.pk}/edit/"
    thai_client.post(url, action_form(p15, title="Updated title", version=thai_published.version))
    assert FollowUpAction.objects.published().get().title == thai_published.title
    page = thai_client.get(f"/my/actions/{thai_published.pk}/").text
    assert "Updated title" in page and "What the public sees now" in page


def test_the_form_of_an_edit_under_way_shows_the_edits_links_not_the_published_ones(thai_client, thai_published, p15):
    EvidenceLink.objects.create(action=thai_published, url="https://example.org/plan", label="The plan")
    url = f"/my/actions/{thai_published.pk}/edit/"
    assert thai_client.get(url).context["form"]["evidence_links"].value() == "https://example.org/plan The plan"
    links = "https://example.org/act The act\nhttps://example.org/gazette"
    thai_client.post(url, action_form(p15, evidence_links=links, version=thai_published.version))
    assert list(thai_published.evidence_links.values_list("url", flat=True)) == ["https://example.org/plan"]
    assert thai_client.get(url).context["form"]["evidence_links"].value() == links


def make_actions(actor, user, paragraph, count, *, submit=False):
    for number in range(count):
        action = workflow.create_action(actor=actor, user=user, data=action_input([paragraph], title=f"A{number}"))
        if submit:
            workflow.submit(action=action, user=user, version=action.version)


@pytest.mark.parametrize("count", [3, 30])
def test_the_review_queue_takes_a_fixed_number_of_queries(
    secretariat_client, thailand, thai_focal_point, p15, count, django_assert_num_queries
):
    make_actions(thailand, thai_focal_point, p15, count, submit=True)
    # session, user, second-factor device, the data version and the header's meeting (read once
    # per version), the reviewer's last visit (read, then recorded), actions with actors and
    # submitters, their recommendations with meetings (two queries), their open revisions,
    # rounds, and the session's renewed idle timeout (savepoint, update, release)
    with django_assert_num_queries(15):
        assert secretariat_client.get("/review/").status_code == 200


def test_the_edit_form_gives_dates_to_the_browsers_date_picker_in_iso_form(thai_client, thai_draft):
    assert 'value="2006-06-01"' in thai_client.get(f"/my/actions/{thai_draft.pk}/edit/").text


def test_the_workspace_says_whether_the_actor_has_reported_in_an_open_round(thai_client, thai_submitted, workshop):
    ReportingRound.objects.create(
        meeting=workshop, title="Report before the HLD", opens_on="2006-06-01", due_date="2006-08-31"
    )
    assert "Thailand has submitted since the round opened." in thai_client.get("/my/").text
    ReportingRound.objects.update(opens_on="2099-01-01", due_date="2099-02-01")
    assert "Thailand has not submitted anything since the round opened" in thai_client.get("/my/").text


def test_a_focal_point_whose_appointment_ended_loses_access(thai_client, thai_draft, thai_focal_point):
    FocalPoint.objects.filter(user=thai_focal_point).update(end_date="2026-01-01", start_date="2025-01-01")
    assert thai_client.get(f"/my/actions/{thai_draft.pk}/").status_code == 404
    assert "not the focal point" in thai_client.get("/my/").text


def test_a_submitted_action_cannot_be_edited_through_the_form(thai_client, thai_submitted, p15):
    url = f"/my/actions/{thai_submitted.pk}/edit/"
    response = thai_client.post(url, action_form(p15, version=thai_submitted.version), follow=True)
    assert "waits for review" in response.text
    assert FollowUpAction.objects.get().title == thai_submitted.title


def test_the_action_page_shows_who_submitted_and_who_reviewed(thai_client, thai_published):
    page = thai_client.get(f"/my/actions/{thai_published.pk}/").text
    assert "submitted by somchai" in page and "reviewed by secretariat" in page
    assert "Propose an update" in page


def test_a_focal_point_changes_their_password(thai_client, thai_focal_point):
    assert thai_client.get("/accounts/password_change/").status_code == 200
    new = "another long passphrase 2006"
    response = thai_client.post(
        "/accounts/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/accounts/password_change/done/"
    thai_focal_point.refresh_from_db()
    assert thai_focal_point.check_password(new)


def test_the_reviewer_sees_the_links_an_update_proposes_beside_the_published_ones(
    secretariat_client, thai_published, thai_focal_point, p15
):
    workflow.edit_action(
        action=thai_published,
        user=thai_focal_point,
        version=thai_published.version,
        data=action_input([p15], links=[("https://example.org/gazette-2007", "Gazette 2007")]),
    )
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    page = secretariat_client.get(f"/review/actions/{thai_published.pk}/").text
    proposed, published = page.split("<h2>Published now</h2>")
    assert 'href="https://example.org/gazette-2007"' in proposed
    assert "gazette-2007" not in published
