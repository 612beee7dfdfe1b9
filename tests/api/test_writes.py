"""Reporting with a personal token: the workspace's writes, and each role trying what it must not."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken

from recommendations.api.tokens import create_token
from recommendations.models import ActionState, FocalPoint, FollowUpAction, StatusMilestone
from recommendations.progress.history import recount_milestones, stored_milestones
from recommendations.reporting import workflow

pytestmark = pytest.mark.usefixtures("unthrottled")

DRAFT = {
    "recommendations": ["bangkok-2006/12"],
    "title": "Memorandum of understanding on labour cooperation",
    "description": "Signed in Bangkok.",
    "status": "completed",
    "status_as_of": "2006-06-01",
    "status_source": "Ministry of Labour press release",
    "partners": ["AUS"],
    "evidence_links": [{"url": "https://example.org/mou", "label": "Text of the MOU"}],
}


def token_for(user, days=90) -> str:
    appointment = FocalPoint.objects.current().get(user=user)
    return create_token(appointment=appointment, name="Reporting system", days=days)[1]


@pytest.fixture
def thai_token(thai_focal_point):
    return token_for(thai_focal_point)


def call(client, method, url, token=None, body=None):
    headers = {"Authorization": f"Token {token}"} if token else {}
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_a_focal_point_logs_edits_links_and_submits_a_draft_with_a_token(client, thai_token, follow_up, mailoutbox):
    created = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["version"] == 1 and body["partners"] == ["AUS"]
    assert body["recommendations"] == ["bangkok-2006/12"]
    action = FollowUpAction.objects.get(pk=body["number"])
    assert action.actor.code == "THA" and action.created_by.username == "somchai"
    assert action.history.latest().history_change_reason == "Created"

    url = f"/api/v1/my/actions/{action.pk}/"
    edited = call(client, "put", url, thai_token, {**DRAFT, "title": "MOU on labour cooperation", "version": 1})
    assert edited.status_code == 200, edited.content
    assert edited.json()["title"] == "MOU on labour cooperation" and edited.json()["version"] == 2

    linked = call(
        client,
        "post",
        f"{url}evidence-links/",
        thai_token,
        {"version": 2, "links": [{"url": "https://example.org/gazette", "label": "Gazette"}]},
    )
    assert linked.status_code == 200, linked.content
    assert [link["url"] for link in linked.json()["evidence_links"]] == [
        "https://example.org/mou",
        "https://example.org/gazette",
    ]

    submitted = call(client, "post", f"{url}submit/", thai_token, {"version": 3})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    action.refresh_from_db()
    assert action.state == ActionState.SUBMITTED and action.submitted_by.username == "somchai"
    assert action.published_at is None
    assert call(client, "get", url, thai_token).json()["state"] == "submitted"


def test_an_action_reported_with_a_token_and_approved_keeps_the_status_milestones_right(
    client, thai_token, workshop, secretariat
):
    number = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).json()["number"]
    submitted = call(client, "post", f"/api/v1/my/actions/{number}/submit/", thai_token, {"version": 1})
    assert submitted.status_code == 200, submitted.content
    workflow.approve(action=FollowUpAction.objects.get(pk=number), user=secretariat)
    assert StatusMilestone.objects.filter(action_id=number).exists()
    assert stored_milestones() == recount_milestones()
    statuses = client.get("/api/v1/statuses/?actor=AUS").json()["results"]
    assert [(row["recommendation"], row["status"]) for row in statuses] == [("bangkok-2006/12", "completed")]


def test_the_action_forms_rules_apply(client, thai_token, workshop):
    cases = [
        ({**DRAFT, "recommendations": ["bangkok-2006/3"]}, "recommendations", "No tracked recommendation"),
        ({**DRAFT, "partners": ["ALL-STATES"]}, "partners", "Choose partners from the list"),
        ({**DRAFT, "partners": ["THA"]}, "partners", "Choose partners from the list"),
        ({**DRAFT, "partners": ["XYZ"]}, "partners", "No actor has the code XYZ"),
        ({**DRAFT, "status": "done"}, "status", "is not a valid choice"),
        ({**DRAFT, "evidence_links": [{"url": "https://example.org/a"}] * 2}, "evidence_links", "already listed"),
        # The model's own rule, checked by the workflow as for the workspace's form.
        ({**DRAFT, "end_date": "2006-01-01", "start_date": "2006-05-01"}, "end_date", "before the start date"),
        ({**DRAFT, "title": ""}, "title", "may not be blank"),
    ]
    for body, field, message in cases:
        response = call(client, "post", "/api/v1/my/actions/", thai_token, body)
        assert response.status_code == 400, (body, response.content)
        errors = response.json()["errors"]
        assert field in errors and message in " ".join(errors[field]), (field, errors)
    assert not FollowUpAction.objects.exists()


def test_an_edit_from_an_old_version_is_a_409_with_the_differences(client, thai_token, thai_focal_point, workshop):
    number = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).json()["number"]
    url = f"/api/v1/my/actions/{number}/"
    assert call(client, "put", url, thai_token, {**DRAFT, "title": "First", "version": 1}).status_code == 200
    stale = call(client, "put", url, thai_token, {**DRAFT, "title": "Second", "version": 1})
    assert stale.status_code == 409
    assert {"field": "Title", "stored": "First", "sent": "Second"} in stale.json()["differences"]
    assert FollowUpAction.objects.get(pk=number).title == "First"
    assert call(client, "post", f"{url}submit/", thai_token, {"version": 1}).status_code == 409


def test_a_submitted_action_is_not_edited_until_it_is_returned(client, thai_token, workshop):
    number = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).json()["number"]
    url = f"/api/v1/my/actions/{number}/"
    assert call(client, "post", f"{url}submit/", thai_token, {"version": 1}).status_code == 200
    refused = call(client, "put", url, thai_token, {**DRAFT, "version": 2})
    assert refused.status_code == 409 and "waits for review" in refused.json()["detail"]
    assert call(client, "post", f"{url}submit/", thai_token, {"version": 2}).status_code == 409


def test_a_token_never_reaches_another_actors_action(client, thai_token, follow_up, security_log):
    survey = follow_up["survey"]  # Australia's
    draft = follow_up["draft"]  # Viet Nam's
    for action in (survey, draft):
        url = f"/api/v1/my/actions/{action.pk}/"
        assert call(client, "get", url, thai_token).status_code == 404
        assert call(client, "put", url, thai_token, {**DRAFT, "version": action.version}).status_code == 404
        assert call(client, "post", f"{url}submit/", thai_token, {"version": action.version}).status_code == 404
        links = {"version": action.version, "links": [{"url": "https://example.org/x"}]}
        assert call(client, "post", f"{url}evidence-links/", thai_token, links).status_code == 404
    draft.refresh_from_db()
    assert draft.state == ActionState.DRAFT and draft.title == "Secret draft about smuggling"
    assert ("permission refused", "somchai", f"action {draft.pk} (report)") in security_log()


def test_a_token_never_publishes_or_approves(client, thai_token, workshop):
    number = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).json()["number"]
    call(client, "post", f"/api/v1/my/actions/{number}/submit/", thai_token, {"version": 1})
    for url in (f"/api/v1/my/actions/{number}/approve/", f"/review/actions/{number}/approve/", "/api/v1/actions/"):
        response = call(client, "post", url, thai_token, {"version": 2})
        assert response.status_code in (302, 403, 404, 405), url
    action = FollowUpAction.objects.get(pk=number)
    assert action.state == ActionState.SUBMITTED and action.published_at is None
    assert FollowUpAction.objects.published().count() == 0


def test_a_token_is_refused_once_its_appointment_ends(client, thai_token, thai_focal_point, workshop, security_log):
    assert call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).status_code == 201
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    FocalPoint.objects.filter(user=thai_focal_point).update(start_date="2006-01-01", end_date=yesterday)
    refused = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT)
    assert refused.status_code == 401 and "appointment" in refused.json()["detail"]
    assert refused["WWW-Authenticate"] == "Token"
    assert FollowUpAction.objects.count() == 1
    assert ("API token refused", "somchai", "POST /api/v1/my/actions/ (appointment ended)") in security_log()


def test_a_revoked_or_expired_token_is_refused(client, thai_focal_point, workshop):
    revoked = token_for(thai_focal_point)
    AuthToken.objects.all().delete()
    assert call(client, "post", "/api/v1/my/actions/", revoked, DRAFT).status_code == 401
    expiring = token_for(thai_focal_point, days=30)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert call(client, "post", "/api/v1/my/actions/", expiring, DRAFT).status_code == 401
    assert not AuthToken.objects.exists()
    assert call(client, "post", "/api/v1/my/actions/", "apc_" + "0" * 64, DRAFT).status_code == 401
    assert not FollowUpAction.objects.exists()


def test_anonymous_and_signed_in_browsers_cannot_write_without_a_token(client, thai_focal_point, workshop):
    assert call(client, "post", "/api/v1/my/actions/", None, DRAFT).status_code == 401
    client.force_login(thai_focal_point)
    assert call(client, "post", "/api/v1/my/actions/", None, DRAFT).status_code == 401
    assert not FollowUpAction.objects.exists()


def test_every_use_of_a_token_is_in_the_security_log_without_the_token(client, thai_token, workshop, caplog):
    caplog.set_level("INFO", logger="security")
    call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT)
    used = [record for record in caplog.records if record.name == "security" and record.event == "API token used"]
    assert [(record.user, record.target) for record in used] == [
        ("somchai", "POST /api/v1/my/actions/ (API token 'Reporting system' for THA)")
    ]
    assert thai_token not in caplog.text and thai_token[:15] not in caplog.text


def test_an_edit_through_the_api_goes_through_the_same_workflow_as_the_workspace(client, thai_token, workshop):
    number = call(client, "post", "/api/v1/my/actions/", thai_token, DRAFT).json()["number"]
    action = FollowUpAction.objects.get(pk=number)
    workflow.submit(action=action, user=action.created_by, version=1)
    assert call(client, "get", f"/api/v1/my/actions/{number}/", thai_token).json()["version"] == 2
