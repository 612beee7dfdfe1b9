"""Shared fixtures: the workshop data and the people who use the app.

Personas: `secretariat` (staff superuser, signed in with the second factor), `unverified_staff`
(the same without it), `thai_focal_point` (focal point of Thailand),
`australian_focal_point` (focal point of another government), and the anonymous visitor
(the plain `client`).
"""

import functools
import logging
import os
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.models import Actor, Meeting
from recommendations.public import page_cache
from recommendations.reporting.appointments import add_focal_point

PASSWORD = "correct horse battery staple 2006"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose outside service is missing on this machine; CI (APC_REQUIRE_ALL_TESTS=1) fails it."""
    if os.environ.get("APC_REQUIRE_ALL_TESTS"):
        pytest.fail(f"APC_REQUIRE_ALL_TESTS is set, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _static_files():
    """Pages name their CSS by its hashed name, which needs collected static files."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture
def workshop(db) -> Meeting:
    """The Bangkok 2006 workshop as `make run` loads it."""
    call_command("load_workshop", verbosity=0)
    return Meeting.objects.get(code="bangkok-2006")


@pytest.fixture
def thailand(workshop) -> Actor:
    return Actor.objects.get(code="THA")


@pytest.fixture
def australia(workshop) -> Actor:
    return Actor.objects.get(code="AUS")


@pytest.fixture
def secretariat(django_user_model):
    """A superuser with an authenticator app, as the request's user is once signed in with both factors."""
    user = django_user_model.objects.create_superuser("secretariat", "secretariat@example.org", PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return verified_with(user, device)


@pytest.fixture
def unverified_staff(django_user_model):
    """A superuser who signed in with the password alone: not the secretariat until the one-time code."""
    user = django_user_model.objects.create_superuser("unverified", "unverified@example.org", PASSWORD)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return verified_with(user, None)


def verified_with(user, device):
    """The user as django-otp's middleware hands it to a view: verified by `device`, or not at all (None)."""
    user.otp_device = device
    user.is_verified = functools.partial(otp_middleware.is_verified, user)
    return user


def one_time_code(user) -> str:
    """The code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def sign_in_with_second_factor(client, user):
    """Sign a staff user in as the admin's sign-in form does: password and one-time code checked."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def action_form(paragraph, **fields) -> dict:
    """What a focal point's action form posts: an action answering `paragraph`, and `fields`."""
    return {
        "recommendations": [paragraph.pk],
        "title": "Memorandum of understanding on labour cooperation",
        "description": "Signed in Bangkok.",
        "status": "completed",
        "status_as_of": "2006-06-01",
        "status_source": "Ministry of Labour press release",
        "responsible_agency": "Ministry of Labour",
        "evidence_links": "https://example.org/mou Text of the MOU",
        **fields,
    }


def multipart(fields: dict, file_field: str, file_name: str, content: bytes) -> tuple[str, bytes]:
    """A form with one file as a browser posts it (content type, body), the file's name sent as given."""
    boundary = f"apc-tracker-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, values in fields.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
    parts.append(f"{head}Content-Type: application/octet-stream\r\n\r\n".encode("utf-8", "surrogatepass"))
    parts.append(content + f"\r\n--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@pytest.fixture
def thai_focal_point(thailand):
    return add_focal_point(username="somchai", actor_code="THA", email="somchai@example.org", password=PASSWORD).user


@pytest.fixture
def australian_focal_point(australia):
    return add_focal_point(username="olivia", actor_code="AUS", email="olivia@example.org", password=PASSWORD).user


@pytest.fixture
def security_log(caplog):
    """The security log's events so far as (event, user, target), sign-ins left out."""
    caplog.set_level(logging.INFO, logger="security")

    def events():
        return [(r.event, r.user, r.target) for r in caplog.records if r.name == "security" and r.event != "signed in"]

    return events


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as its database starts empty, and so do the pages
    each process keeps."""
    cache.clear()
    page_cache.recent.clear()
    yield
    cache.clear()
    page_cache.recent.clear()
