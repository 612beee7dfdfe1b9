"""How many requests the API answers per client: anonymous ones by address, token holders by person.

The rates come from the settings (DJANGO_API_RATE, DJANGO_API_TOKEN_RATE), read for each
request, so that a load test or a test can change them; past a rate the answer is 429 with
Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from security.audit import client_address


class PerClientAddress(AnonRateThrottle):
    """Anonymous requests, counted per client address as the security log sees it."""

    def get_rate(self) -> str:
        return settings.API_ANONYMOUS_RATE

    def get_ident(self, request) -> str:
        return client_address(request) or "unknown"


class PerTokenHolder(UserRateThrottle):
    """Requests with a token, counted per focal point."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.API_TOKEN_RATE
