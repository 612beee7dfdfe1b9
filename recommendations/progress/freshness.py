"""When cached public figures go stale.

Cached fragments of public pages carry the current *generation* in their key: the *data
version*'s (models.DataVersion), one row that any write that can change what they show
replaces in its own transaction. Every process reads it from the database, whatever cache it
has (its own memory or a Redis that may be unreachable or out of date), so a write through one
app server is seen by all of them as it commits, and old entries simply expire. ORM saves and
deletes of the models the figures read are caught by signals below; bulk writes that bypass
them call `figures_changed` themselves.

The same version gives the open data's ETag and Last-Modified.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

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

# The version this process read last, and in the cache the one any process read last: what
# stands in for the database's while it cannot be reached.
LAST_READ_KEY = "data-version-last-read"
_last_read: DataVersion | None = None


def figures_generation(request: HttpRequest | None = None) -> str:
    return data_version(request).generation


def data_version(request: HttpRequest | None = None) -> DataVersion:
    """The public data's version and when it last changed, the same in every process.

    Given the request, it is read once for all that the request caches. While the database
    cannot be reached, the version read last stands in for it, so that pages kept in the cache
    are still served: they are what the public saw last.
    """
    if request is None:
        return _read()
    # Kept on the request as Django's authentication keeps request._cached_user.
    if not hasattr(request, "_data_version"):
        request._data_version = _read()
    return request._data_version


def _read() -> DataVersion:
    global _last_read
    try:
        version = DataVersion.objects.current()
    except (OperationalError, InterfaceError):
        last = _last_read or _last_read_by_any_process()
        if last is None:
            raise
        return last
    if _last_read is None or _last_read.generation != version.generation:
        _last_read = version
        cache.set(LAST_READ_KEY, (version.generation, version.changed_at), None)
    return version


def _last_read_by_any_process() -> DataVersion | None:
    last = cache.get(LAST_READ_KEY)
    if last is None:
        return None
    generation, changed_at = last
    return DataVersion(pk=DataVersion.SINGLETON, generation=generation, changed_at=changed_at)


def figures_changed() -> None:
    """Advance the data version, in the caller's transaction: every cached public figure is
    stale for every process once it commits."""
    DataVersion.objects.advance()


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
