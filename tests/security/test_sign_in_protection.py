"""Sign-in protection: locks per username and address, per username, per address, alike for unknown names."""

import datetime
import io
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.conftest import PASSWORD, one_time_code, sign_in_with_second_factor

LOGIN = "/admin/login/?next=/admin/"
START = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


def sign_in(client, username, password, address="203.0.113.5"):
    user = User.objects.filter(username=username).first()
    code = one_time_code(user) if user else "123456"
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code}, REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.status_code == 302


def locked(response) -> bool:
    return response.status_code == 200 and "Too many failed sign-ins." in response.content.decode()


def lock_message(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_five_failures_lock_that_username_from_that_address_for_fifteen_minutes(client, secretariat, clock):
    for _ in range(5):
        assert not signed_in(sign_in(client, "secretariat", "wrong password"))
    response = sign_in(client, "secretariat", PASSWORD)
    assert locked(response)
    assert "Try again after 09:15 UTC" in response.content.decode()
    assert signed_in(sign_in(client, "secretariat", PASSWORD, address="198.51.100.7"))
    client.logout()
    clock.shift(datetime.timedelta(minutes=14, seconds=59))
    assert locked(sign_in(client, "secretariat", PASSWORD))
    clock.shift(datetime.timedelta(seconds=2))
    assert signed_in(sign_in(client, "secretariat", PASSWORD))


def test_four_failures_do_not_lock_and_a_success_forgets_them(client, secretariat, clock):
    for _ in range(4):
        sign_in(client, "secretariat", "wrong password")
    assert signed_in(sign_in(client, "secretariat", PASSWORD))
    client.logout()
    clock.shift(datetime.timedelta(seconds=30))  # a one-time code is good once
    for _ in range(4):
        sign_in(client, "secretariat", "wrong password")
    assert signed_in(sign_in(client, "secretariat", PASSWORD))


def test_an_unknown_username_is_locked_with_the_same_message(client, db, secretariat, clock):
    for username in ("secretariat", "nobody-at-all"):
        for _ in range(5):
            sign_in(client, username, "wrong password")
    known = sign_in(client, "secretariat", "anything").content.decode()
    unknown = sign_in(client, "nobody-at-all", "anything").content.decode()
    message = "Too many failed sign-ins. Try again after 09:15 UTC."
    assert message in known and message in unknown


def test_twenty_failures_in_an_hour_from_many_addresses_lock_the_username_everywhere(client, secretariat, clock):
    for attempt in range(20):
        clock.shift(datetime.timedelta(minutes=2))
        sign_in(client, "secretariat", "wrong password", address=f"192.0.2.{attempt + 1}")
    assert locked(sign_in(client, "secretariat", PASSWORD, address="198.51.100.99"))
    clock.shift(datetime.timedelta(minutes=21, seconds=59))  # 10:01:59: the first failure is 59:59 old
    assert locked(sign_in(client, "secretariat", PASSWORD, address="198.51.100.99"))
    clock.shift(datetime.timedelta(seconds=2))  # now it is over an hour old
    assert signed_in(sign_in(client, "secretariat", PASSWORD, address="198.51.100.99"))


def test_the_security_log_records_sign_ins_failures_and_lockouts_without_passwords(client, secretariat, clock, caplog):
    caplog.set_level(logging.INFO, logger="security")
    for _ in range(5):
        sign_in(client, "secretariat", "hunter2-wrong")
    sign_in(client, "secretariat", PASSWORD)
    sign_in(client, "secretariat", PASSWORD, address="198.51.100.7")
    events = [(r.event, r.user, r.address) for r in caplog.records if r.name == "security"]
    assert events == [
        *[("sign-in failed", "secretariat", "203.0.113.5")] * 5,
        ("sign-in refused: locked out", "secretariat", "203.0.113.5"),
        ("signed in", "secretariat", "198.51.100.7"),
    ]
    assert all(record.target == "/admin/login/" for record in caplog.records if record.name == "security")
    logged = caplog.text
    assert "hunter2" not in logged and PASSWORD not in logged


def test_the_client_address_comes_from_our_own_proxies_only(client, secretariat, settings, clock, caplog):
    caplog.set_level(logging.INFO, logger="security")
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        LOGIN,
        {"username": "secretariat", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert [r.address for r in caplog.records if r.name == "security"] == ["203.0.113.9"]
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_the_secretariat_needs_the_one_time_code_as_well_as_the_password(client, secretariat, clock):
    response = client.post(LOGIN, {"username": "secretariat", "password": PASSWORD, "otp_token": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"username": "secretariat", "password": PASSWORD, "otp_token": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    clock.shift(datetime.timedelta(seconds=2))  # a wrong code makes the device wait a moment
    assert signed_in(sign_in(client, "secretariat", PASSWORD))


def test_staff_without_an_authenticator_app_cannot_reach_the_admin(client, django_user_model, clock):
    django_user_model.objects.create_superuser("newcomer", "new@example.org", PASSWORD)
    response = client.post(LOGIN, {"username": "newcomer", "password": PASSWORD, "otp_token": "123456"})
    assert response.status_code == 200
    client.force_login(django_user_model.objects.get(username="newcomer"))
    assert client.get("/admin/").status_code == 302


def test_the_site_sign_in_asks_the_secretariat_for_the_one_time_code_and_focal_points_not(
    client, secretariat, thai_focal_point, clock
):
    form = {"username": "secretariat", "password": PASSWORD, "otp_token": ""}
    assert client.post("/accounts/login/", form).status_code == 200
    assert "_auth_user_id" not in client.session
    form["otp_token"] = one_time_code(secretariat)
    assert client.post("/accounts/login/", form).status_code == 302
    assert client.get("/review/").status_code == 200
    client.logout()
    focal_point = {"username": "somchai", "password": PASSWORD}
    assert client.post("/accounts/login/", focal_point).status_code == 302


def test_staff_signed_in_without_the_second_factor_do_not_reach_the_review_tools(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/review/").status_code == 404


def test_the_site_sign_in_locks_out_like_the_admins(client, thai_focal_point, clock):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "somchai", "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
    response = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert locked(response)
    assert "_auth_user_id" not in client.session


def test_the_secretariat_sees_locks_in_the_admin_and_no_password_or_code_is_kept(client, secretariat, clock):
    code = one_time_code(secretariat)
    for _ in range(5):
        client.post(LOGIN, {"username": "Secretariat", "password": "hunter2-wrong", "otp_token": code})
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("secretariat", 5)
    for secret in ("hunter2", code, "Secretariat"):
        assert secret not in attempt.post_data
    sign_in_with_second_factor(client, secretariat)
    page = client.get("/admin/axes/accessattempt/").content.decode()
    assert "secretariat" in page and "Locked Out" in page


SPRAYER = "203.0.113.66"


def spray(client, usernames: int, address: str = SPRAYER, **headers) -> list:
    """A password sprayer's sign-ins: one common password for each of many usernames, from one address."""
    return [
        client.post(
            "/accounts/login/", {"username": f"user{n:03d}", "password": "Winter2026!"}, REMOTE_ADDR=address, **headers
        )
        for n in range(usernames)
    ]


def site_sign_in(client, username, address, **headers):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address, **headers)


def test_fifty_failures_in_an_hour_from_one_address_lock_it_for_every_username_new_to_it(
    client, thai_focal_point, clock, caplog
):
    caplog.set_level(logging.INFO, logger="security")
    responses = spray(client, 60)
    assert not any(locked(response) for response in responses[:50])
    assert all(locked(response) for response in responses[50:])
    events = [r.event for r in caplog.records if r.name == "security"]
    assert events == ["sign-in failed"] * 50 + ["sign-in refused: locked out"] * 10
    # A real account is locked from there alike, with the same words: the lock tells nothing.
    known = site_sign_in(client, "somchai", SPRAYER)
    assert locked(known)
    assert lock_message(known) == lock_message(responses[-1])
    assert lock_message(known) == ["Too many failed sign-ins. Try again after 10:00 UTC."]
    assert "_auth_user_id" not in client.session
    # Other addresses are not affected.
    assert signed_in(site_sign_in(client, "somchai", "198.51.100.7"))
    client.logout()
    assert not locked(spray(client, 1, address="198.51.100.8")[0])
    clock.shift(datetime.timedelta(hours=1, seconds=1))
    assert signed_in(site_sign_in(client, "somchai", SPRAYER))


def test_who_has_signed_in_from_an_address_before_keeps_signing_in_while_a_spray_locks_it(
    client, thai_focal_point, australian_focal_point, clock
):
    """An office whose people share one address is not locked out by one sprayer among them."""
    assert signed_in(site_sign_in(client, "somchai", SPRAYER))
    client.logout()
    spray(client, 60)
    assert signed_in(site_sign_in(client, "somchai", SPRAYER))
    client.logout()
    assert locked(site_sign_in(client, "olivia", SPRAYER))


def test_the_reset_commands_lift_the_locks_of_an_address_and_of_a_username(client, thai_focal_point, clock):
    spray(client, 50)
    assert locked(site_sign_in(client, "somchai", SPRAYER))
    call_command("axes_reset_ip", SPRAYER, stdout=io.StringIO())
    assert signed_in(site_sign_in(client, "somchai", SPRAYER))
    client.logout()
    for attempt in range(20):
        client.post("/accounts/login/", {"username": "somchai", "password": "wrong"}, REMOTE_ADDR=f"192.0.2.{attempt}")
    assert locked(site_sign_in(client, "somchai", "198.51.100.7"))
    call_command("axes_reset_username", "somchai", stdout=io.StringIO())
    assert signed_in(site_sign_in(client, "somchai", "198.51.100.7"))


BALANCER = "10.0.0.2"


def test_a_wrong_trusted_proxy_count_fails_safe(client, settings, thai_focal_point, australian_focal_point, clock):
    """With DJANGO_TRUSTED_PROXY_COUNT=0 behind a load balancer, every client has the balancer's
    address, so a sprayer anywhere trips the limit of that one address for everyone. It fails safe:
    the address's limit never refuses a username that has signed in from that address before, so
    everyone who has signed in through the balancer keeps signing in, each still under the limits
    of their own username; only a username new to it waits out the hour (or until the secretariat
    lifts the lock with `manage.py axes_reset_ip`). Set right, the count gives each client its own."""
    settings.TRUSTED_PROXY_COUNT = 0
    assert signed_in(site_sign_in(client, "somchai", BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.44"))
    client.logout()
    assert all(locked(response) for response in spray(client, 60, BALANCER, HTTP_X_FORWARDED_FOR="6.6.6.6")[50:])
    assert signed_in(site_sign_in(client, "somchai", BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.44"))
    client.logout()
    assert locked(site_sign_in(client, "olivia", BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.45"))
    settings.TRUSTED_PROXY_COUNT = 1
    assert signed_in(site_sign_in(client, "olivia", BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.45"))
