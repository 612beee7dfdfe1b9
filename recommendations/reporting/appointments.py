"""Focal points: a person appointed to report for one actor."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from ..models import Actor, FocalPoint


class FocalPointError(Exception):
    pass


@transaction.atomic
def add_focal_point(*, username: str, actor_code: str, email: str = "", password: str | None = None) -> FocalPoint:
    """Appoint a user (created if new) as the focal point of one actor.

    A new user needs a password; an existing one keeps theirs unless one is given.
    """
    actor = Actor.objects.filter(code=actor_code.strip().upper()).first()
    if actor is None:
        raise FocalPointError(
            f"No actor has the code {actor_code!r}. Actor codes are listed in the admin under Actors."
        )
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise FocalPointError(f"{username} is a new user and needs a password.")
        user = user_model(username=username, email=email)
        _set_password(user, password)
        user.full_clean()
        user.save()
    else:
        current = user.focal_points.filter(end_date__isnull=True).select_related("actor").first()
        if current is not None:
            raise FocalPointError(
                f"{username} is already the focal point of {current.actor.code}; end that appointment first."
            )
        if email:
            user.email = email
        if password:
            _set_password(user, password)
        user.save()
    appointment = FocalPoint(user=user, actor=actor)
    appointment.full_clean()
    appointment.save()
    return appointment


def _set_password(user: AbstractBaseUser, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
