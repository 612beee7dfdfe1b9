"""Sign-in limits: which failed sign-ins lock whom, on django-axes's records.

Axes records every failed sign-in (its access attempts and its access failure log) and every
successful one (its access log), and refuses a locked sign-in in its authentication backend
before any password is checked. Its own rule, set in the settings (AXES_LOCKOUT_PARAMETERS,
AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME), is the first of three; it has one limit for every kind of
lock, so `SignInLimits` adds the other two:

- one username from one address: 5 failures, each within 15 minutes of the one before, lock
  that pair until 15 minutes after the last;
- one username from anywhere: 20 failures within an hour lock it until that hour has passed;
- one address, across usernames (a password sprayer's): 50 failures within an hour lock it
  until that hour has passed, but never for a username that has signed in from that address
  before. People behind a shared office address keep signing in; and if the address is really
  a load balancer's, because DJANGO_TRUSTED_PROXY_COUNT is too low, a spray does not lock out
  everyone who has signed in through it.

Usernames are counted as typed, folded to lower case, and unknown ones like known ones, so a
lock says nothing about whether an account exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

USERNAME_LIMIT = 20
ADDRESS_LIMIT = 50
WINDOW = datetime.timedelta(hours=1)
# A day of failures is plenty for the rules and for the admin's view of an attack, and keeps
# every username well under the 1,000 failures axes keeps for one before it deletes some.
FAILURES_KEPT = datetime.timedelta(days=1)


def fold(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def folded_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username axes counts (AXES_USERNAME_CALLABLE), so that changing its case evades no limit."""
    return fold(credentials.get("username") if credentials is not None else request.POST.get("username"))


def _end(
    failures: Iterable[tuple[datetime.datetime, int]], limit: int, window: datetime.timedelta
) -> datetime.datetime | None:
    """When the failures, newest first as (time, count), stop reaching `limit` within `window`; None if they do not."""
    total = 0
    for at, count in failures:
        total += count
        if total >= limit:
            return at + window
    return None


class SignInLimits(AxesDatabaseHandler):
    """Axes's database handler, locking by the three rules above (AXES_HANDLER)."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return self.lock_ends(request, credentials) is not None

    def lock_ends(self, request: HttpRequest, credentials: dict | None = None) -> datetime.datetime | None:
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        now = request.axes_attempt_time
        pair_window = get_cool_off(request)
        pair = (
            AccessAttempt.objects.filter(username=username, ip_address=address, attempt_time__gt=now - pair_window)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        recent = AccessFailureLog.objects.filter(attempt_time__gt=now - WINDOW).order_by("-attempt_time")
        by_username = recent.filter(username=username).values_list("attempt_time", flat=True)[:USERNAME_LIMIT]
        ends = [
            _end(pair, get_failure_limit(request, credentials), pair_window),
            _end(((at, 1) for at in by_username), USERNAME_LIMIT, WINDOW),
        ]
        if address is not None and not AccessLog.objects.filter(username__iexact=username, ip_address=address).exists():
            from_address = recent.filter(ip_address=address).values_list("attempt_time", flat=True)[:ADDRESS_LIMIT]
            ends.append(_end(((at, 1) for at in from_address), ADDRESS_LIMIT, WINDOW))
        return max((end for end in ends if end is not None), default=None)

    def user_login_failed(self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        AccessFailureLog.objects.filter(attempt_time__lt=timezone.now() - FAILURES_KEPT).delete()

    def reset_attempts(
        self, *, ip_address: str | None = None, username: str | None = None, ip_or_username: bool = False
    ) -> int:
        """Lifting locks (manage.py axes_reset, axes_reset_ip, axes_reset_username) forgets the failures they count."""
        if ip_or_username:
            failures = AccessFailureLog.objects.filter(Q(ip_address=ip_address) | Q(username=username))
        else:
            failures = AccessFailureLog.objects.filter(
                **{field: value for field, value in (("ip_address", ip_address), ("username", username)) if value}
            )
        failures.delete()
        return super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)


def lock_ends(request: HttpRequest, username: str | None) -> datetime.datetime | None:
    """When the lock on signing in as `username` with this request ends, or None if there is none."""
    AxesProxyHandler.update_request(request)
    return SignInLimits().lock_ends(request, get_credentials(username))
