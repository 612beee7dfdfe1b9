"""When cached public figures go stale.

Cached fragments of public pages carry the current *generation* in their key: the *data
version*'s (models.DataVersion), one row that any write that can change what they show
replaces in its own transaction. Every process reads it from the database, whatever cache it
has (its own memory or a Redis that may be unreachable or out of date), so a write through one
app server is seen by all of them as it commits, and old entries simply expire. ORM saves and
deletes of the models the figures read are caught by signals below; bulk writes that bypass
them call `figures_changed` themselves.

The same version gives the open data's ETag and Last-Modified.

A page that shows only some of the data says so (`page_cache.shows_only`): an actor's page shows
its own actions and the statuses of its kind, and nothing else that a publication changes. Its
cached copy then depends on the versions of those *parts* (models.DataPart) and of the whole
(any change not confined to parts: a meeting, an actor, a deletion), not on the data version,
and stays as it is while other actors publish. A write names the parts it touched: an action's
actor, partners, recommendations and year of publication; the statuses and milestones of the
kinds of actors and of the recommendations whose statuses a refresh changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

from ..models import (
    Actor,
    DataPart,
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


def parts_of(request: HttpRequest, names: Iterable[str]) -> dict[str, str]:
    """The generations of these parts of the data ("" for a part never changed), read once per
    request; with them the data version, when the request has not read it yet."""
    known = _known_parts(request)
    if missing := set(names) - known.keys():
        version, found = DataPart.objects.read_with_data_version(missing)
        if version is not None and not hasattr(request, "_data_version"):
            request._data_version = _remembered(version)
        remember_parts(request, {name: found[name].generation if name in found else "" for name in missing})
    return {name: known[name] for name in names}


def remember_parts(request: HttpRequest, generations: dict[str, str]) -> None:
    """Keep these generations of parts, read with the request's data version, for `parts_of`."""
    _known_parts(request).update(generations)


def _known_parts(request: HttpRequest) -> dict[str, str]:
    if not hasattr(request, "_part_generations"):
        request._part_generations = {}
    return request._part_generations


def _read() -> DataVersion:
    try:
        version = DataVersion.objects.current()
    except (OperationalError, InterfaceError):
        last = _last_read or _last_read_by_any_process()
        if last is None:
            raise
        return last
    return _remembered(version)


def _remembered(version: DataVersion) -> DataVersion:
    global _last_read
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


def figures_changed(parts: Iterable[str] | None = None) -> None:
    """Advance the data version, in the caller's transaction: every cached public figure is
    stale for every process once it commits. `parts` names the parts of the data the change is
    confined to, for the pages that show only some (see above); without them it may be any."""
    DataVersion.objects.advance()
    DataPart.objects.advance({DataPart.WHOLE} if parts is None else parts)


def action_parts(action: FollowUpAction) -> set[str]:
    """The parts of the data a published action is in: its actor's, its partners', its
    recommendations' and its year of first publication's."""
    actor_ids = {action.actor_id, *action.partners.values_list("pk", flat=True)}
    paragraph_ids = action.recommendations.values_list("pk", flat=True)
    return (
        {DataPart.of_actor(pk) for pk in actor_ids}
        | {DataPart.of_paragraph(pk) for pk in paragraph_ids}
        | {DataPart.published_in(action.published_at.astimezone(datetime.UTC).year)}
    )


def pair_parts(status_pairs: set[tuple[int, int]], milestone_pairs: set[tuple[int, int]]) -> set[str]:
    """The parts of the data that (actor id, paragraph id) pairs whose status, or whose
    milestones, changed are in: their actors' kinds' and their paragraphs'."""
    pairs = status_pairs | milestone_pairs
    if not pairs:
        return set()
    kinds = dict(Actor.objects.filter(pk__in={actor_id for actor_id, _ in pairs}).values_list("pk", "kind"))
    parts = set()
    for actor_id, paragraph_id in status_pairs:
        parts |= {DataPart.statuses_of_kind(kinds[actor_id]), DataPart.statuses_of_paragraph(paragraph_id)}
    for actor_id, paragraph_id in milestone_pairs:
        parts |= {DataPart.milestones_of_kind(kinds[actor_id]), DataPart.milestones_of_paragraph(paragraph_id)}
    return (
        parts | ({DataPart.STATUSES} if status_pairs else set()) | ({DataPart.MILESTONES} if milestone_pairs else set())
    )


def _changed(sender, instance, **kwargs) -> None:
    figures_changed()


def _action_changed(sender, instance: FollowUpAction, **kwargs) -> None:
    # A focal point's drafts never reach public figures: only an action that has been
    # published (published_at is kept from its first publication) can change them.
    if instance.published_at is None:
        return
    figures_changed(action_parts(instance))


def _action_deleted(sender, instance: FollowUpAction, **kwargs) -> None:
    # Its links to recommendations and partners are gone by now: any page may have shown it.
    if instance.published_at is not None:
        figures_changed()


def _action_relation_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if reverse:
        # From an actor's or a recommendation's side: which actions were touched is not at hand.
        figures_changed()
    elif instance.published_at is None:
        return
    elif action == "pre_clear":
        figures_changed()
    elif action in ("post_add", "post_remove"):
        part = DataPart.of_actor if sender is FollowUpAction.partners.through else DataPart.of_paragraph
        figures_changed(action_parts(instance) | {part(pk) for pk in pk_set})


def connect() -> None:
    # The licence is part of what the data package says of the data.
    for model in (Meeting, Theme, Paragraph, Actor, ImplementationStatus, OpenDataLicence):
        post_save.connect(_changed, sender=model, dispatch_uid=f"freshness-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"freshness-delete-{model.__name__}")
    post_save.connect(_action_changed, sender=FollowUpAction, dispatch_uid="freshness-save-FollowUpAction")
    post_delete.connect(_action_deleted, sender=FollowUpAction, dispatch_uid="freshness-delete-FollowUpAction")
    m2m_changed.connect(_changed, sender=Paragraph.addressees.through, dispatch_uid="freshness-m2m-addressees")
    for relation in (FollowUpAction.partners, FollowUpAction.recommendations):
        m2m_changed.connect(
            _action_relation_changed,
            sender=relation.through,
            dispatch_uid=f"freshness-m2m-{relation.through.__name__}",
        )
