"""What sign-in protection remembers: recent failed sign-ins."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

PAIR_LIMIT = 5
PAIR_LOCK = timedelta(minutes=15)
USERNAME_LIMIT = 20
USERNAME_WINDOW = timedelta(hours=1)


class SignInFailureQuerySet(models.QuerySet):
    def lockout_ends(self, *, username: str, address: str) -> timezone.datetime | None:
        """When the lock on this username from this address ends, or None if there is none.

        One username from one address is locked for 15 minutes after its 5th failure within
        15 minutes; one username from all addresses together is locked while it has 20
        failures within the past hour. Unknown usernames are counted like known ones, so a
        lockout says nothing about whether an account exists.
        """
        now = timezone.now()
        ends = []
        pair = list(
            self.filter(username=username, address=address, at__gt=now - 2 * PAIR_LOCK)
            .order_by("-at")
            .values_list("at", flat=True)[:PAIR_LIMIT]
        )
        if len(pair) == PAIR_LIMIT and pair[0] - pair[-1] <= PAIR_LOCK and pair[0] + PAIR_LOCK > now:
            ends.append(pair[0] + PAIR_LOCK)
        recent = list(
            self.filter(username=username, at__gt=now - USERNAME_WINDOW)
            .order_by("-at")
            .values_list("at", flat=True)[:USERNAME_LIMIT]
        )
        if len(recent) == USERNAME_LIMIT:
            ends.append(recent[-1] + USERNAME_WINDOW)
        return max(ends, default=None)

    def record(self, *, username: str, address: str) -> None:
        self.create(username=username, address=address)
        self.filter(at__lt=timezone.now() - USERNAME_WINDOW).delete()


class SignInFailure(models.Model):
    username = models.CharField(max_length=150, help_text="As typed, folded to lower case.")
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now)

    objects = SignInFailureQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["username", "address", "at"], name="signin_failure_pair"),
            models.Index(fields=["username", "at"], name="signin_failure_username"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
