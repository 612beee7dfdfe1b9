"""The security log: who did what, from where, to what; never a password or a token.

Records go to the "security" logger, one event each, with the fields `event`, `user`,
`address` and `target` (the formatter adds the UTC time).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django.views import defaults

logger = logging.getLogger("security")


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, trusting X-Forwarded-For only as far as our own proxies wrote it."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def log_event(event: str, *, request: HttpRequest | None, user: str = "", target: str = "", level=logging.INFO) -> None:
    if not user and request is not None and getattr(request, "user", None) is not None:
        user = request.user.get_username() if request.user.is_authenticated else ""
    address = client_address(request)
    logger.log(
        level,
        "%s: user=%s address=%s target=%s",
        event,
        user or "-",
        address or "-",
        target or "-",
        extra={"event": event, "user": user, "address": address, "target": target},
    )


def permission_denied(request: HttpRequest, exception: Exception):
    """Django's 403 page, with the refusal written to the security log."""
    log_event("permission refused", request=request, target=request.path, level=logging.WARNING)
    return defaults.permission_denied(request, exception)
