"""What changed: each change of a pair's status on the public record, with the action that made it.

On the public record of a day (see `history`), a pair of actor and recommendation has the most
advanced status among its milestones public by the end of that day, the secretariat's explicit
one first. Its status *changes* on each day on which that gives another status than the day
before: from no information to a first status, to a more advanced one, or to the one the
secretariat sets. A change is told with the status before and after, the day it reached the
public record, the date the new status holds as of, and the action whose published version
gave it (none when the secretariat set it).

Changes are read from `StatusMilestone`, whose rows are bounded by pairs × statuses, never by
the actions: one query reads the milestones of the pairs that changed since a date.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from ..models import Actor, FollowUpAction, Paragraph, Status, StatusMilestone
from .history import EXPLICIT, VALIDATED

_RANKS = {status.value: status.rank for status in Status}
# Status values by rank: `Status.values` builds its list anew on each call, once a day of every pair here.
_BY_RANK = Status.values
NO_INFORMATION = "No information provided"


@dataclass
class StatusChange:
    """A pair's status moved from `before` ("": no information provided) to `after` on `day`.

    `actor`, `paragraph` and `action` are filled by `load` for the changes a page shows.
    """

    actor_id: int
    paragraph_id: int
    before: str
    after: str
    day: datetime.date
    as_of: datetime.date
    action_id: int | None
    is_explicit: bool
    actor: Actor | None = None
    paragraph: Paragraph | None = None
    action: FollowUpAction | None = None

    @property
    def values(self) -> tuple:
        """The change without what `load` fills in, as plain values: `StatusChange(*change.values)` is the change."""
        return (
            self.actor_id,
            self.paragraph_id,
            self.before,
            self.after,
            self.day,
            self.as_of,
            self.action_id,
            self.is_explicit,
        )

    @property
    def before_label(self) -> str:
        return Status(self.before).label if self.before else NO_INFORMATION

    @property
    def after_label(self) -> str:
        return Status(self.after).label


def _milestones(actor: Actor | None, paragraph: Paragraph | None) -> QuerySet:
    rows = StatusMilestone.objects.filter(basis__in=[EXPLICIT, VALIDATED])
    if actor is not None:
        rows = rows.filter(actor=actor)
    if paragraph is not None:
        rows = rows.filter(paragraph=paragraph)
    return rows


def status_changes(
    since: datetime.date | None = None, *, actor: Actor | None = None, paragraph: Paragraph | None = None
) -> list[StatusChange]:
    """The changes on or after `since` (all without it), of one actor's or one recommendation's
    pairs or of all, newest first, in one query."""
    rows = _milestones(actor, paragraph)
    if since is not None:
        recent = _milestones(actor, paragraph).filter(
            actor=OuterRef("actor"), paragraph=OuterRef("paragraph"), public_from__gte=since
        )
        rows = rows.filter(Exists(recent))
    by_pair: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    fields = ("actor_id", "paragraph_id", "public_from", "basis", "status", "known_from", "action_id")
    for actor_id, paragraph_id, *milestone in rows.order_by("public_from").values_list(*fields):
        by_pair[actor_id, paragraph_id].append(milestone)
    found = [
        change
        for pair, milestones in by_pair.items()
        for change in _pair_changes(pair, milestones)
        if since is None or change.day >= since
    ]
    found.sort(key=lambda change: (change.day, change.actor_id, change.paragraph_id), reverse=True)
    return found


def latest_status_changes(
    count: int, *, actor: Actor | None = None, paragraph: Paragraph | None = None
) -> list[StatusChange]:
    """About the `count` newest changes, newest first, in two queries: the changes since the
    day of the `count`-th newest milestone (a milestone that moved no status is no change, so
    there may be fewer)."""
    days = _milestones(actor, paragraph).order_by("-public_from").values_list("public_from", flat=True)
    since = next(iter(days[count - 1 : count]), None)
    return status_changes(since, actor=actor, paragraph=paragraph)[:count]


def _pair_changes(pair: tuple[int, int], milestones: list[tuple]) -> list[StatusChange]:
    """A pair's changes from its milestones, in the order they reached the public record.

    Milestones of one day are taken together: a day's change goes from the status of the day
    before to that of the day's end.
    """
    best: dict[str, tuple[int, datetime.date, int | None]] = {}
    current, changes = "", []
    for day, reached in itertools.groupby(milestones, key=lambda milestone: milestone[0]):
        for _, basis, status, known_from, action_id in reached:
            candidate = (_RANKS[status], known_from, action_id)
            if basis not in best or candidate[0] > best[basis][0]:
                best[basis] = candidate
        basis = EXPLICIT if EXPLICIT in best else VALIDATED
        rank, as_of, action_id = best[basis]
        status = _BY_RANK[rank]
        if status != current:
            changes.append(
                StatusChange(
                    *pair,
                    before=current,
                    after=status,
                    day=day,
                    as_of=as_of,
                    action_id=action_id if basis == VALIDATED else None,
                    is_explicit=basis == EXPLICIT,
                )
            )
            current = status
    return changes


def load(changes: list[StatusChange]) -> list[StatusChange]:
    """Fill in each change's actor, recommendation (with its meeting) and published action, in three queries."""
    actors = Actor.objects.in_bulk({change.actor_id for change in changes})
    paragraphs = Paragraph.objects.select_related("meeting").in_bulk({change.paragraph_id for change in changes})
    wanted = {change.action_id for change in changes if change.action_id}
    actions = FollowUpAction.objects.published().in_bulk(wanted) if wanted else {}
    for change in changes:
        change.actor = actors[change.actor_id]
        change.paragraph = paragraphs[change.paragraph_id]
        change.action = actions.get(change.action_id)
    return changes
