"""Focal points' personal API tokens: what each hashed token was made for."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .reporting import FocalPoint


class ApiToken(models.Model):
    """A focal point's personal token for the API, tied to the appointment whose actor it reaches.

    The token itself is django-rest-knox's `AuthToken`: only its SHA-512 digest and its expiry
    are stored, and the token is shown once when it is made. Revoking deletes knox's row, and
    this one with it. A token is refused once its appointment has ended, whatever its expiry.
    """

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, primary_key=True, related_name="grant")
    appointment = models.ForeignKey(FocalPoint, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it.")

    class Meta:
        verbose_name = "API token"
        ordering = ["-token__created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.appointment})"

    @property
    def reaches_actor(self) -> bool:
        """Whether the appointment it was made for is current: only then does the token work."""
        appointment, today = self.appointment, timezone.localdate()
        return appointment.start_date <= today and (appointment.end_date is None or appointment.end_date >= today)
