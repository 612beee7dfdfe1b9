"""Onboarding focal points: one actor each, the password never on the command line."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations.models import FocalPoint
from tests.conftest import PASSWORD


def add(*args, password=PASSWORD, monkeypatch=None):
    if password is not None:
        monkeypatch.setenv("DJANGO_FOCAL_POINT_PASSWORD", password)
    else:
        monkeypatch.delenv("DJANGO_FOCAL_POINT_PASSWORD", raising=False)
    out = StringIO()
    call_command("add_focal_point", *args, stdout=out)
    return out.getvalue()


def test_a_new_user_becomes_the_focal_point_of_one_actor(workshop, monkeypatch):
    out = add("somchai", "tha", "--email", "somchai@example.org", monkeypatch=monkeypatch)
    assert out.strip() == "somchai is now the focal point of THA."
    user = get_user_model().objects.get(username="somchai")
    assert user.email == "somchai@example.org"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert list(FocalPoint.objects.values_list("user__username", "actor__code", "end_date")) == [
        ("somchai", "THA", None)
    ]


def test_an_existing_user_is_linked_and_keeps_their_password(workshop, monkeypatch, django_user_model):
    django_user_model.objects.create_user("olivia", password="her own password 1234")
    add("olivia", "AUS", password=None, monkeypatch=monkeypatch)
    user = django_user_model.objects.get(username="olivia")
    assert user.check_password("her own password 1234")
    assert user.focal_points.get().actor.code == "AUS"


def test_an_unknown_actor_code_is_a_clear_error_and_creates_no_user(workshop, monkeypatch):
    with pytest.raises(CommandError, match="No actor has the code 'XYZ'"):
        add("nobody", "XYZ", monkeypatch=monkeypatch)
    assert not get_user_model().objects.filter(username="nobody").exists()


def test_a_person_is_the_focal_point_of_one_actor_at_a_time(workshop, monkeypatch):
    add("somchai", "THA", monkeypatch=monkeypatch)
    with pytest.raises(CommandError, match="somchai is already the focal point of THA"):
        add("somchai", "VNM", monkeypatch=monkeypatch)
    assert FocalPoint.objects.count() == 1


def test_after_an_appointment_ends_the_person_can_take_another(workshop, monkeypatch):
    add("somchai", "THA", monkeypatch=monkeypatch)
    FocalPoint.objects.update(end_date=timezone.localdate(), handover_note="Handed over to the new desk officer.")
    add("somchai", "VNM", password=None, monkeypatch=monkeypatch)
    assert sorted(FocalPoint.objects.values_list("actor__code", flat=True)) == ["THA", "VNM"]


def test_a_new_user_without_a_password_is_refused_when_no_one_can_be_asked(workshop, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="set DJANGO_FOCAL_POINT_PASSWORD"):
        add("somchai", "THA", password=None, monkeypatch=monkeypatch)
    assert not get_user_model().objects.exists()


def test_the_password_is_asked_twice_at_a_terminal(workshop, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    add("somchai", "THA", password=None, monkeypatch=monkeypatch)
    assert get_user_model().objects.get(username="somchai").check_password(PASSWORD)


def test_two_different_passwords_at_the_prompt_are_refused(workshop, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        add("somchai", "THA", password=None, monkeypatch=monkeypatch)


def test_a_weak_password_is_refused_with_the_validators_reason(workshop, monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        add("somchai", "THA", password="abc", monkeypatch=monkeypatch)
    assert not get_user_model().objects.exists()


def test_the_command_takes_no_password_argument(workshop, monkeypatch):
    with pytest.raises(CommandError):
        add("somchai", "THA", "--password", "secret", monkeypatch=monkeypatch)
