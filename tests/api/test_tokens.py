"""Personal API tokens: made in the workspace (shown once, stored hashed), listed, revoked."""

import pytest
from knox.models import AuthToken

from recommendations.models import ApiToken, FocalPoint
from tests.conftest import sign_in_with_second_factor


def _make(client, name="Ministry of Labour system", days=90):
    return client.post("/my/tokens/", {"name": name, "days": days})


def test_a_focal_point_makes_a_token_that_is_shown_once_and_stored_hashed(client, thai_focal_point, security_log):
    client.force_login(thai_focal_point)
    response = _make(client)
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("apc_") and secret in response.content.decode()
    grant = ApiToken.objects.select_related("token", "appointment__actor").get()
    assert grant.appointment.actor.code == "THA" and grant.name == "Ministry of Labour system"
    stored = AuthToken.objects.values_list("digest", "token_key")
    assert all(secret not in value for row in stored for value in row)
    assert 89 <= (grant.token.expiry - grant.token.created).days <= 90
    listed = client.get("/my/tokens/")
    assert listed.status_code == 200
    assert "Ministry of Labour system" in listed.content.decode() and secret not in listed.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert ("API token created", "somchai", "API token 'Ministry of Labour system' for THA") in security_log()


def test_a_token_lifetime_must_be_one_offered(client, thai_focal_point):
    client.force_login(thai_focal_point)
    response = _make(client, days=100000)
    assert response.status_code == 200 and response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_a_focal_point_revokes_their_own_token(client, thai_focal_point, security_log):
    client.force_login(thai_focal_point)
    _make(client)
    key = AuthToken.objects.get().token_key
    response = client.post(f"/my/tokens/{key}/revoke/")
    assert response.status_code == 302
    assert not AuthToken.objects.exists() and not ApiToken.objects.exists()
    assert "API token revoked" in [event for event, _, _ in security_log()]


def test_nobody_revokes_another_focal_points_token(client, thai_focal_point, australian_focal_point):
    client.force_login(thai_focal_point)
    _make(client)
    key = AuthToken.objects.get().token_key
    client.force_login(australian_focal_point)
    assert client.post(f"/my/tokens/{key}/revoke/").status_code == 404
    assert client.get(f"/my/tokens/{key}/revoke/").status_code == 405
    assert AuthToken.objects.exists()
    assert "Ministry of Labour system" not in client.get("/my/tokens/").content.decode()


def test_only_a_current_focal_point_makes_tokens(client, thai_focal_point, secretariat, django_user_model):
    assert client.get("/my/tokens/").status_code == 302
    assert _make(client).status_code == 302
    client.force_login(django_user_model.objects.create_user("visitor", password="x" * 20))
    assert _make(client).status_code == 403
    FocalPoint.objects.filter(user=thai_focal_point).update(end_date="2006-12-31", start_date="2006-01-01")
    client.force_login(thai_focal_point)
    assert _make(client).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_secretariat_revokes_any_token_in_the_admin(client, thai_focal_point, secretariat, security_log):
    client.force_login(thai_focal_point)
    _make(client)
    grant = ApiToken.objects.get()
    sign_in_with_second_factor(client, secretariat)
    listing = client.get("/admin/recommendations/apitoken/")
    assert listing.status_code == 200 and "Ministry of Labour system" in listing.content.decode()
    response = client.post(f"/admin/recommendations/apitoken/{grant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AuthToken.objects.exists()
    assert ("API token revoked", "secretariat", "API token 'Ministry of Labour system' of somchai") in security_log()


@pytest.mark.parametrize("user", ["thai_focal_point", "australian_focal_point"])
def test_focal_points_cannot_reach_the_tokens_admin(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/admin/recommendations/apitoken/").status_code == 302
