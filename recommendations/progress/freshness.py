"""When cached public figures go stale.

Cached fragments of public pages carry the current *generation* in their key; any write
that can change what they show replaces the generation, so the next request renders afresh
and old entries simply expire. ORM saves and deletes of the models the figures read are
caught by signals below; bulk writes that bypass them call `figures_changed` themselves.

The same writes advance the *data version* (models.DataVersion), a row written in their own
transaction: the cache may be each process's own memory, so the open data's version, ETag and
Last-Modified are read from the database, where every process sees the same.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import (
    Actor,
    DataVersion,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    OpenDataLicence,
    Paragraph,
    Theme,
)

GENERATION_KEY = "public-figures-generation"


def figures_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def data_version() -> DataVersion:
    """The public data's version and when it last changed, the same in every process."""
    return DataVersion.objects.current()


def figures_changed() -> None:
    """Advance the data version, and make every cached public figure stale, now and again
    when the transaction commits.

    The second time drops whatever a request cached from the database as it stood before
    the commit.
    """
    DataVersion.objects.advance()
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _changed(sender, instance, **kwargs) -> None:
    # A focal point's drafts never reach public figures: only an action that has been
    # published (published_at is kept from its first publication) can change them.
    if isinstance(instance, FollowUpAction) and instance.published_at is None:
        return
    figures_changed()


def connect() -> None:
    # The licence is part of what the data package says of the data.
    for model in (Meeting, Theme, Paragraph, Actor, FollowUpAction, ImplementationStatus, OpenDataLicence):
        post_save.connect(_changed, sender=model, dispatch_uid=f"freshness-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"freshness-delete-{model.__name__}")
    for relation in (Paragraph.addressees, FollowUpAction.partners, FollowUpAction.recommendations):
        m2m_changed.connect(
            _changed, sender=relation.through, dispatch_uid=f"freshness-m2m-{relation.through.__name__}"
        )
