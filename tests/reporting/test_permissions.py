"""Every URL that names an object refuses whoever may not use it, and changes nothing.

The walk reads the URL configuration itself, so a new pattern with an object identifier is
covered as soon as it is added. The object named is a draft of Thailand (or a restricted
file, or a reporting round): the focal point of Australia gets a 404 (or the admin's
sign-in page); the anonymous visitor is sent to sign in, or gets a 404 from a public page.
"""

import re

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver

from recommendations.models import ActionRevision, EvidenceFile, FollowUpAction, ReportingRound
from recommendations.reporting import workflow

from .conftest import action_input

OBJECT_PARAMETER = re.compile(r"<(?:\w+:)?(pk|object_id|id|\w+_id|\w+_pk)>")


def routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


# Pages behind sign-in; any other page naming an object is public and hides what is not published.
SIGNED_IN_ROUTES = ("my/", "review/", "evidence/", "admin/", "accounts/")
OBJECT_ROUTES = sorted({route for route in routes() if OBJECT_PARAMETER.search(route)})


def test_the_walk_covers_the_workspace_review_evidence_and_admin_routes():
    assert "my/actions/<int:pk>/edit/" in OBJECT_ROUTES
    assert "review/actions/<int:pk>/approve/" in OBJECT_ROUTES
    assert "evidence/<int:pk>/" in OBJECT_ROUTES
    assert any(route.startswith("admin/") for route in OBJECT_ROUTES)


@pytest.fixture
def objects(thai_restricted_file, thailand, thai_focal_point, p15, workshop):
    """A Thai draft, a restricted file of a published Thai action, and a reporting round."""
    draft = workflow.create_action(actor=thailand, user=thai_focal_point, data=action_input([p15], title="Draft"))
    round_ = ReportingRound.objects.create(meeting=workshop, title="Report before the HLD", due_date="2026-12-31")
    return {"action": draft.pk, "file": thai_restricted_file.pk, "round": round_.pk}


def url_for(route: str, objects: dict) -> str:
    if route.startswith("evidence/"):
        identifier = objects["file"]
    elif "rounds/" in route:
        identifier = objects["round"]
    else:
        identifier = objects["action"]
    return "/" + OBJECT_PARAMETER.sub(str(identifier), route).replace("^", "").replace("$", "").replace("\\Z", "")


def snapshot():
    return (
        list(FollowUpAction.objects.order_by("pk").values_list("state", "version", "title", "validated_status")),
        ActionRevision.objects.count(),
        EvidenceFile.objects.count(),
        FollowUpAction.history.count(),
        len(mail.outbox),
    )


# One test walks all routes, so that the workshop data is loaded once per persona.
def test_the_focal_point_of_another_actor_gets_nothing_and_changes_nothing(objects, client, australian_focal_point):
    client.force_login(australian_focal_point)
    before = snapshot()
    for route in OBJECT_ROUTES:
        url = url_for(route, objects)
        for method in (client.get, client.post):
            response = method(url, {"comment": "x", "version": 1, "title": "Taken", "actions": [objects["action"]]})
            if route.startswith("admin/"):
                assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
            else:
                assert response.status_code in (403, 404, 405), (url, response.status_code)
    assert snapshot() == before


def test_an_anonymous_visitor_is_sent_to_sign_in_and_changes_nothing(objects, client):
    before = snapshot()
    for route in OBJECT_ROUTES:
        url = url_for(route, objects)
        for method in (client.get, client.post):
            response = method(url, {"comment": "x", "version": 1, "title": "Taken over"})
            if response.status_code == 405 or (response.status_code == 404 and not route.startswith(SIGNED_IN_ROUTES)):
                continue
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), url
    assert snapshot() == before


def test_a_focal_point_cannot_reach_the_admin(client, thai_focal_point):
    client.force_login(thai_focal_point)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/recommendations/followupaction/").status_code == 302
