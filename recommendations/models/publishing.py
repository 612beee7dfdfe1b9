"""What the open data says of itself: its version and its licence.

The *data version* is one row, replaced by every write that can change what the public site
and the exports show (see progress.freshness), in that write's own transaction: every process
reads the same version, whatever cache each has. The *data parts* do the same for the pages
that show only some of the data (one actor's, one recommendation's): a write replaces the
version of the parts it touched, so that those pages stay as they are when another actor
publishes. The *licence* is the one the secretariat
sets for the data the site produces; the outcome documents' text is quoted from its source
and is not ours to license.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.db import connections, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# The year of the workshop, the first of the tracked meetings: nothing was published before it.
FIRST_YEAR = 2006


def _new_generation() -> str:
    return uuid.uuid4().hex


class DataVersionManager(models.Manager):
    def current(self) -> DataVersion:
        """The version, read by every public page: a fixed statement, without the ORM's work of building it."""
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        with connections[self.db].cursor() as cursor:
            # The table name from the model, the key as a parameter.
            cursor.execute(f"SELECT generation, changed_at FROM {table} WHERE id = %s", [DataVersion.SINGLETON])  # noqa: S608  # nosec B608
            row = cursor.fetchone()
        if row is None:
            version, _ = self.get_or_create(pk=DataVersion.SINGLETON)
            return version
        return DataVersion(pk=DataVersion.SINGLETON, generation=row[0], changed_at=_aware(row[1]))

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


class DataPartManager(models.Manager):
    def advance(self, names: Iterable[str]) -> None:
        """Mark these parts of the data as changed now, with one statement in the caller's transaction."""
        generation, now = _new_generation(), timezone.now()
        # In one order, so that two writes touching the same parts lock their rows alike.
        self.bulk_create(
            [DataPart(name=name, generation=generation, changed_at=now) for name in sorted(set(names))],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["generation", "changed_at"],
        )

    def read_with_data_version(self, names: Iterable[str]) -> tuple[DataVersion | None, dict[str, DataPart]]:
        """The data version and these parts as they are, in one query (a part never changed has no row).

        Every page answered from the cache that shows some parts runs it: a fixed statement,
        without the ORM's work of building a union each time, which cost more than the query.
        """
        names = sorted(set(names))
        quote = connections[self.db].ops.quote_name
        parts, versions = quote(self.model._meta.db_table), quote(DataVersion._meta.db_table)
        placeholders = ", ".join(["%s"] * len(names))
        # Table names from the models, the values as parameters.
        sql = f"SELECT name, generation, changed_at FROM {parts} WHERE name IN ({placeholders}) UNION ALL "  # noqa: S608  # nosec B608
        sql += f"SELECT '', generation, changed_at FROM {versions} WHERE id = %s"  # noqa: S608  # nosec B608
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [*names, DataVersion.SINGLETON])
            rows = [(name, generation, _aware(changed_at)) for name, generation, changed_at in cursor.fetchall()]
        data_version = next(
            (DataVersion(pk=DataVersion.SINGLETON, generation=g, changed_at=at) for name, g, at in rows if not name),
            None,
        )
        return data_version, {name: DataPart(name, g, at) for name, g, at in rows if name}


def _aware(value: datetime.datetime | str) -> datetime.datetime:
    """A timestamp as a cursor gives it: PostgreSQL's is aware, SQLite's the text it stores, in UTC."""
    if isinstance(value, str):
        return parse_datetime(value).replace(tzinfo=datetime.UTC)
    return value


class DataPart(models.Model):
    """A part of the public data and its own generation: what pages that show only that part
    depend on (see progress.freshness for the parts and who changes them).

    `WHOLE` stands for any change not confined to the named parts; every such page depends on it.
    """

    WHOLE = "whole"
    STATUSES = "statuses"
    """Any actor's status on any recommendation: what the figures of every actor read."""
    MILESTONES = "milestones"
    """Any status milestone: what the charts of every actor and a past date's figures read."""

    name = models.CharField(max_length=64, primary_key=True)
    generation = models.CharField(max_length=32, default=_new_generation)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = DataPartManager()

    def __str__(self) -> str:
        return f"{self.name} {self.changed_at:%Y.%m.%d.%H%M%S}-{self.generation[:8]}"

    @staticmethod
    def of_actor(actor_id: int) -> str:
        """The published actions an actor reports or joins as a partner."""
        return f"actor:{actor_id}"

    @staticmethod
    def of_paragraph(paragraph_id: int) -> str:
        """The published actions that answer a paragraph."""
        return f"paragraph:{paragraph_id}"

    @staticmethod
    def published_in(year: int) -> str:
        """The actions first published in a year (UTC): the latest published by a past date."""
        return f"published:{year}"

    @classmethod
    def published_by(cls, day: datetime.date) -> list[str]:
        """The actions first published by the end of `day`: its year's and every year's before, since the workshop."""
        return [cls.published_in(year) for year in range(FIRST_YEAR, day.year + 1)]

    @staticmethod
    def statuses_of_kind(kind: str) -> str:
        """The statuses of the actors of a kind, on every recommendation: an actor's and its peers'."""
        return f"statuses:kind:{kind}"

    @staticmethod
    def statuses_of_paragraph(paragraph_id: int) -> str:
        """Every actor's status on a paragraph."""
        return f"statuses:paragraph:{paragraph_id}"

    @staticmethod
    def milestones_of_kind(kind: str) -> str:
        """The status milestones of the actors of a kind (their statuses on past dates)."""
        return f"milestones:kind:{kind}"

    @staticmethod
    def milestones_of_paragraph(paragraph_id: int) -> str:
        """The status milestones of every actor on a paragraph."""
        return f"milestones:paragraph:{paragraph_id}"


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
