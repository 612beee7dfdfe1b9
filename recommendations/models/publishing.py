"""What the open data says of itself: its version and its licence.

The *data version* is one row, replaced by every write that can change what the public site
and the exports show (see progress.freshness), in that write's own transaction: every process
reads the same version, whatever cache each has. The *licence* is the one the secretariat
sets for the data the site produces; the outcome documents' text is quoted from its source
and is not ours to license.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


def _new_generation() -> str:
    return uuid.uuid4().hex


class DataVersionManager(models.Manager):
    def current(self) -> DataVersion:
        version, _ = self.get_or_create(pk=DataVersion.SINGLETON)
        return version

    def advance(self) -> None:
        """Mark the data as changed now, with one UPDATE in the caller's transaction."""
        changes = {"generation": _new_generation(), "changed_at": timezone.now()}
        if not self.filter(pk=DataVersion.SINGLETON).update(**changes):
            self.create(pk=DataVersion.SINGLETON, **changes)


class DataVersion(models.Model):
    """The public data's generation and when it last changed: one row."""

    SINGLETON = 1

    generation = models.CharField(max_length=32, default=_new_generation)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = DataVersionManager()

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """A version a person can read and sort: when the data changed, then which change it was."""
        return f"{self.changed_at:%Y.%m.%d.%H%M%S}-{self.generation[:8]}"

    @property
    def etag(self) -> str:
        return f'"{self.generation}"'


class OpenDataLicenceManager(models.Manager):
    def current(self) -> OpenDataLicence:
        licence, _ = self.get_or_create(pk=OpenDataLicence.SINGLETON)
        return licence


class OpenDataLicence(models.Model):
    """The licence of the data the site produces: actions, statuses, the actors' records."""

    SINGLETON = 1

    name = models.CharField(
        max_length=100, default="CC-BY-4.0", help_text="Its SPDX identifier, e.g. CC-BY-4.0 or CC0-1.0."
    )
    title = models.CharField(max_length=200, default="Creative Commons Attribution 4.0 International")
    path = models.URLField("address", default="https://creativecommons.org/licenses/by/4.0/")

    objects = OpenDataLicenceManager()

    class Meta:
        verbose_name = "open data licence"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # There is one licence: saving any form of it replaces that one.
        self.pk = self.SINGLETON
        super().save(*args, **kwargs)
