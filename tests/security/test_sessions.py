"""Sessions: a new key at sign-in, 30 idle minutes for the secretariat, 8 hours for focal points."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, one_time_code


def admin_sign_in(client, user):
    credentials = {"username": user.username, "password": PASSWORD, "otp_token": one_time_code(user)}
    return client.post("/admin/login/", credentials)


def test_signing_in_gives_a_new_session_key(client, secretariat):
    client.get("/admin/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    admin_sign_in(client, secretariat)
    assert client.session.session_key != "attacker-chosen-session-key"
    assert client.session["_auth_user_id"] == str(secretariat.pk)


def test_a_secretariat_session_lasts_thirty_idle_minutes_renewed_by_each_request(client, secretariat):
    admin_sign_in(client, secretariat)
    assert client.session.get_expiry_age() == 30 * 60
    response = client.get("/admin/")
    assert response.status_code == 200
    assert int(response.cookies["sessionid"]["max-age"]) == 30 * 60


def test_a_focal_point_session_lasts_eight_hours(client, thai_focal_point):
    client.force_login(thai_focal_point)
    assert client.session.get_expiry_age() == 8 * 60 * 60
    response = client.get("/")
    assert "sessionid" not in response.cookies  # not renewed on every request


def test_deactivating_a_user_ends_their_sessions(client, secretariat):
    assert admin_sign_in(client, secretariat).status_code == 302
    assert client.get("/admin/").status_code == 200
    secretariat.is_active = False
    secretariat.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_add_totp_device_gives_staff_a_second_factor(db, django_user_model):
    django_user_model.objects.create_user("amara", password=PASSWORD, is_staff=True)
    out = io.StringIO()
    call_command("add_totp_device", "amara", stdout=out)
    device = TOTPDevice.objects.get(user__username="amara")
    key = parse_qs(urlsplit(device.config_url).query)["secret"][0]
    assert f"enter this key by hand: {key}" in out.getvalue()
    assert "amara now signs in with a one-time code" in out.getvalue()


@pytest.mark.parametrize(("username", "message"), [("nobody", "No user is called"), ("somchai", "is not staff")])
def test_add_totp_device_refuses_unknown_and_non_staff_users(thai_focal_point, username, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_totp_device", username)
