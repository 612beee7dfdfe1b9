"""Focal points' personal API tokens: made, revoked and checked here, every use in the security log.

A token is django-rest-knox's: a random secret shown once, stored as its SHA-512 digest, with
an expiry. Ours is tied to the appointment it was made under (`ApiToken`): it reaches that
appointment's actor only, and is refused once the appointment has ended.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.http import HttpRequest
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from security.audit import log_event

from ..models import ApiToken, FocalPoint

LIFETIMES = {30: "30 days", 90: "90 days", 365: "One year"}


@transaction.atomic
def create_token(
    *, appointment: FocalPoint, name: str, days: int, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for the appointment's person and actor, and its secret, which is never stored."""
    token, secret = AuthToken.objects.create(user=appointment.user, expiry=datetime.timedelta(days=days))
    grant = ApiToken.objects.create(token=token, appointment=appointment, name=name)
    log_event("API token created", request=request, user=appointment.user.get_username(), target=_named(grant))
    return grant, secret


def revoke(grant: ApiToken, *, request: HttpRequest | None) -> None:
    """Delete the token: it is refused from the next request on."""
    log_event("API token revoked", request=request, target=f"{_named(grant)} of {grant.appointment.user}")
    grant.token.delete()


def _named(grant: ApiToken) -> str:
    return f"API token {grant.name!r} for {grant.appointment.actor.code}"


class PersonalToken(TokenAuthentication):
    """`Authorization: Token <secret>`: knox checks the digest and the expiry (an expired token
    is deleted), then the appointment must still be current. Each use and each refusal is
    written to the security log, without the token."""

    def authenticate(self, request):
        django_request = request._request
        target = f"{request.method} {request.path}"
        try:
            found = super().authenticate(request)
        except exceptions.AuthenticationFailed:
            log_event("API token refused", request=django_request, user="-", target=target, level=logging.WARNING)
            raise
        if found is None:
            return None
        user, token = found
        grant = ApiToken.objects.select_related("appointment__actor").filter(token=token).first()
        if grant is None or not grant.reaches_actor:
            log_event(
                "API token refused",
                request=django_request,
                user=user.get_username(),
                target=f"{target} (appointment ended)",
                level=logging.WARNING,
            )
            raise exceptions.AuthenticationFailed(
                "The appointment this token was made for has ended; a current focal point makes a new one."
            )
        log_event(
            "API token used", request=django_request, user=user.get_username(), target=f"{target} ({_named(grant)})"
        )
        # The actor the workflow's permission helper gives this request: the token's, not any other.
        user._current_actor = grant.appointment.actor
        return user, token


class HasPersonalToken(BasePermission):
    """Only a request authenticated by a personal token: no session, no anonymous write."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, AuthToken)
