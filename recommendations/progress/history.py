"""Statuses as they stood on any date since the workshop, in two readings.

*What we know now about that date* (the default): a pair's status on a date is the most
advanced status among every published version of its actions (the current one and the earlier
ones kept in their history) whose "as of" date is on or before that date. *The public record
of that day* (`record`): the same, counting only the versions that had been published by the
end of that day, UTC: what a visitor could read then. The secretariat's explicit statuses
follow the same two readings over the versions of the explicit status, and win over the
actions' as they do today.

Both readings are read from `StatusMilestone`, the first day each pair reached each status in
each reading, which `rebuild_milestones` keeps in step with the actions in every write that
refreshes the implementation statuses. The table is bounded by pairs × statuses, so a page on
any date reads a few thousand rows in a fixed number of queries; `recount_milestones` computes
the same rows from scratch, for the tests and the `rebuild_status_milestones` command.

An earlier version of an action counts towards the pairs its action counts towards now: the
history keeps each version's fields, not its recommendations or partners. A deleted action no
longer counts on any date.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Max, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import (
    ActionRecommendation,
    Actor,
    Basis,
    FollowUpAction,
    ImplementationStatus,
    Paragraph,
    Status,
    StatusLabels,
    StatusMilestone,
)

WORKSHOP = datetime.date(2006, 4, 26)
"""The first day of the workshop: no date before it has a status."""

DIALOGUE = datetime.date(2006, 9, 14)
"""The opening day of the UN High-level Dialogue on International Migration and Development."""

_RANKS = {status.value: status.rank for status in Status}
_STATUSES = list(Status)
# Plain strings, as the database gives them back, for dictionary keys.
EXPLICIT, VALIDATED, REPORTED = Basis.EXPLICIT.value, Basis.VALIDATED.value, Basis.REPORTED.value


class BadReading(ValueError):
    """A date or reading in the address that cannot be read; the message says why, for a 400."""


@dataclass(frozen=True)
class Reading:
    """A date to read the statuses on (None: today, as the site shows them) and which reading."""

    as_of: datetime.date | None = None
    record: bool = False

    @property
    def is_today(self) -> bool:
        """Whether this is today's view, read from the implementation statuses as ever."""
        return self.as_of is None

    @property
    def date_field(self) -> str:
        """The milestone date this reading compares with its date."""
        return "public_from" if self.record else "known_from"

    @property
    def params(self) -> dict[str, str]:
        """The address's query parameters for this reading (none for today)."""
        if self.as_of is None:
            return {}
        return {"as_of": self.as_of.isoformat(), **({"record": "1"} if self.record else {})}

    @property
    def label(self) -> str:
        """For a heading: "as of 14 September 2006 (the public record of that day)"."""
        if self.as_of is None:
            return ""
        day = f"{self.as_of.day} {self.as_of:%B %Y}"
        return f"as of {day} ({'the public record of that day' if self.record else 'what we know now'})"

    @property
    def slug(self) -> str:
        """For a file name: "as-of-2006-09-14" or "as-of-2006-09-14-record"; empty for today."""
        if self.as_of is None:
            return ""
        return f"as-of-{self.as_of.isoformat()}{'-record' if self.record else ''}"

    @property
    def cache_key(self) -> str:
        """What tells this reading's cached fragments apart from another's."""
        return self.slug or "today"


TODAY = Reading()


def parse_reading(params: Mapping[str, str]) -> Reading:
    """The reading a request asks for with `as_of=YYYY-MM-DD` and `record=1`; `BadReading` if it cannot be read.

    No (or an empty) `as_of` is today's view, whatever `record` says: everything published by
    now is on today's record.
    """
    raw = (params.get("as_of") or "").strip()
    record = (params.get("record") or "").strip()
    if record not in ("", "0", "1"):
        raise BadReading(f"record={record[:20]!r} is not a reading: give record=1 for the public record of the day.")
    if not raw:
        return TODAY
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadReading(f"as_of={raw[:20]!r} is not a date: give it as YYYY-MM-DD, e.g. as_of=2006-09-14.") from None
    if len(raw) != len("2006-09-14"):
        raise BadReading(f"as_of={raw[:20]!r} is not a date: give it as YYYY-MM-DD, e.g. as_of=2006-09-14.")
    today = timezone.now().date()
    if day < WORKSHOP:
        raise BadReading(f"as_of={raw} is before the workshop (26 April 2006): no recommendation existed yet.")
    if day > today:
        raise BadReading(f"as_of={raw} is after today ({today.isoformat()}): statuses are known up to today.")
    return Reading(day, record == "1")


def quick_choices() -> list[tuple[str, datetime.date]]:
    """The dates a date picker offers at once: the Dialogue's opening day, the end of each year, today."""
    today = timezone.now().date()
    choices = [("Opening of the High-level Dialogue", DIALOGUE)]
    choices += [(f"End of {year}", datetime.date(year, 12, 31)) for year in range(WORKSHOP.year, today.year)]
    choices.append(("Today", today))
    return choices


# --- Reading the statuses on a date --------------------------------------------------------


@dataclass
class PastStatus(StatusLabels):
    """A pair's status on a date: the status, the first day it held in the reading (`as_of`),
    whether the secretariat set it, and the status the actor itself reported by then ("" if
    none). Pages may hang the pair's `actor` on it."""

    status: str
    as_of: datetime.date
    is_explicit: bool
    reported_status: str = ""
    actor: Actor | None = None
    explicit_source: str = ""


def _rank():
    return Case(*(When(status=value, then=rank) for value, rank in _RANKS.items()), output_field=IntegerField())


def _reached(reading: Reading) -> QuerySet:
    if reading.as_of is None:
        raise ValueError("Today's statuses are the implementation statuses; read them there.")
    return StatusMilestone.objects.filter(**{f"{reading.date_field}__lte": reading.as_of})


def statuses_on(
    reading: Reading, paragraph_ids: Iterable[int] | None, actor_kinds: Iterable[str] | None = None
) -> dict[tuple[int, int], str]:
    """Each (actor id, paragraph id) pair's status on the reading's date, in one query.

    Only pairs with a status appear, as in the implementation-status table; `paragraph_ids`
    (None: all) and `actor_kinds` narrow them. The explicit status wins where the secretariat
    had set one.
    """
    rows = _reached(reading).filter(basis__in=[EXPLICIT, VALIDATED])
    if paragraph_ids is not None:
        rows = rows.filter(paragraph_id__in=list(paragraph_ids))
    if actor_kinds is not None:
        rows = rows.filter(actor__kind__in=list(actor_kinds))
    best = rows.order_by().values("actor_id", "paragraph_id", "basis").annotate(rank=Max(_rank()))
    found: dict[tuple[int, int], str] = {}
    explicit: set[tuple[int, int]] = set()
    for row in best.values_list("actor_id", "paragraph_id", "basis", "rank"):
        actor_id, paragraph_id, basis, rank = row
        key = (actor_id, paragraph_id)
        if basis == EXPLICIT:
            explicit.add(key)
            found[key] = _STATUSES[rank].value
        elif key not in explicit:
            found[key] = _STATUSES[rank].value
    return found


def status_details_on(
    reading: Reading, *, paragraph_ids: Iterable[int] | None = None, actor_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], PastStatus]:
    """Each pair's `PastStatus` on the reading's date, for those paragraphs and actors (None:
    all), in one query: for a recommendation's or an actor's page, and the statuses export."""
    rows = _reached(reading)
    if paragraph_ids is not None:
        rows = rows.filter(paragraph_id__in=list(paragraph_ids))
    if actor_ids is not None:
        rows = rows.filter(actor_id__in=list(actor_ids))
    reached: dict[tuple[int, int], dict[str, tuple[int, datetime.date]]] = defaultdict(dict)
    for actor_id, paragraph_id, basis, status, known, public in rows.order_by().values_list(
        "actor_id", "paragraph_id", "basis", "status", "known_from", "public_from"
    ):
        candidate = (_RANKS[status], public if reading.record else known)
        held = reached[actor_id, paragraph_id]
        if basis not in held or candidate[0] > held[basis][0]:
            held[basis] = candidate
    found = {}
    for key, held in reached.items():
        chosen = held.get(EXPLICIT) or held.get(VALIDATED)
        if chosen is None:
            continue
        reported = held.get(REPORTED)
        found[key] = PastStatus(
            status=_STATUSES[chosen[0]].value,
            as_of=chosen[1],
            is_explicit=EXPLICIT in held,
            reported_status=_STATUSES[reported[0]].value if reported else "",
        )
    return found


@dataclass
class Month:
    """The number of pairs at each status at the end of a month (the last one ends today)."""

    end: datetime.date
    counts: dict[str, int]


def month_ends(today: datetime.date | None = None) -> list[datetime.date]:
    """The last day of every month from the workshop's (April 2006) to this one, which ends today."""
    today = today or timezone.now().date()
    ends, year, month = [], WORKSHOP.year, WORKSHOP.month
    while (year, month) < (today.year, today.month):
        ends.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    ends.append(today)
    return ends


def monthly_statuses(
    reading: Reading,
    *,
    paragraph_ids: Iterable[int] | None = None,
    actor_ids: Iterable[int] | None = None,
    actor_kinds: Iterable[str] | None = None,
) -> list[Month]:
    """For each month end since April 2006, how many pairs had each status, in the reading, in one query.

    The scope is the tracked recommendations and the reporting actors unless narrowed to some
    paragraphs (a theme's, one recommendation) or actors (one actor, a kind). Pairs without a
    status are not counted: they are *no information provided*. The reading's date is not a
    limit here: a chart shows every month and marks the date.
    """
    rows = StatusMilestone.objects.filter(basis__in=[EXPLICIT, VALIDATED])
    if paragraph_ids is None:
        rows = rows.filter(paragraph__in=Paragraph.objects.tracked())
    else:
        rows = rows.filter(paragraph_id__in=list(paragraph_ids))
    if actor_ids is not None:
        rows = rows.filter(actor_id__in=list(actor_ids))
    if actor_kinds is not None:
        rows = rows.filter(actor__kind__in=list(actor_kinds))
    ends = month_ends()
    # Each pair's milestones, in the order they were reached.
    by_pair: dict[tuple[int, int], list[tuple[datetime.date, str, str]]] = defaultdict(list)
    for actor_id, paragraph_id, basis, status, day in rows.order_by(reading.date_field).values_list(
        "actor_id", "paragraph_id", "basis", "status", reading.date_field
    ):
        by_pair[actor_id, paragraph_id].append((day, basis, status))
    # Per status, +1 from the month the pair reaches it and -1 from the month it moves on.
    changes: dict[str, list[int]] = {status.value: [0] * (len(ends) + 1) for status in Status}
    for milestones in by_pair.values():
        best: dict[str, int] = {}
        current, since = None, 0
        for day, basis, status in milestones:
            best[basis] = max(best.get(basis, -1), _RANKS[status])
            now = best.get(EXPLICIT, best.get(VALIDATED))
            if now == current:
                continue
            month = _month_index(ends, day)
            if current is not None:
                changes[_STATUSES[current].value][since] += 1
                changes[_STATUSES[current].value][month] -= 1
            current, since = now, month
        if current is not None:
            changes[_STATUSES[current].value][since] += 1
    months = [Month(end, {}) for end in ends]
    for status, deltas in changes.items():
        running = 0
        for index, month in enumerate(months):
            running += deltas[index]
            month.counts[status] = running
    return months


def _month_index(ends: list[datetime.date], day: datetime.date) -> int:
    """The first month whose end is on or after `day`."""
    if day <= ends[0]:
        return 0
    return (day.year - ends[0].year) * 12 + day.month - ends[0].month


# --- Keeping the milestones -----------------------------------------------------------------

_Key = tuple[int, int, str, str]  # actor id, paragraph id, basis, status
_Milestone = tuple[datetime.date, datetime.date, int | None]  # known from, public from, action id


def _note(found: dict[_Key, _Milestone], key: _Key, as_of, public, action_id) -> None:
    """Take one version into account: it holds from `as_of`, and holds in public from `public`."""
    held = found.get(key)
    if held is None:
        found[key] = (as_of, public, action_id)
        return
    known, public_from, first = held
    if as_of < known or (as_of == known and (action_id or 0) < (first or 0)):
        known, first = as_of, action_id
    found[key] = (known, public if public < public_from else public_from, first)


def _day(field: str) -> TruncDate:
    """The day (UTC) of a moment, read as a date by the database."""
    return TruncDate(field, tzinfo=datetime.UTC)


def published_links(actors: set[int] | None, paragraphs: list[int] | None) -> QuerySet:
    """The links of the published actions of (or with) those actors to those paragraphs (None: all)."""
    links = ActionRecommendation.objects.filter(action__state=FollowUpAction.State.PUBLISHED)
    if paragraphs is not None:
        links = links.filter(paragraph_id__in=paragraphs)
    if actors is not None:
        links = links.filter(Q(action__actor_id__in=actors) | Q(action__partners__in=actors))
    return links


def link_rows_of(links: QuerySet) -> list[tuple]:
    """Each link's action, paragraph, reporter, partner (None if none), current published content, and
    the day (UTC) that content was last saved, since when it has been public."""
    rows = links.annotate(published_on=_day("action__updated_at")).values_list(
        "action_id",
        "paragraph_id",
        "action__actor_id",
        "action__partners",
        "action__status",
        "action__validated_status",
        "action__status_as_of",
        "published_on",
    )
    return list(rows.distinct())


def recount_milestones(
    actor_ids: Iterable[int] | None = None, paragraph_ids: Iterable[int] | None = None, link_rows=None
):
    """The milestones computed from scratch from the actions, their history and the explicit
    statuses: {(actor id, paragraph id, basis, status): (known from, public from, action id)}.

    Without arguments, for every pair; otherwise for the pairs of those actors and paragraphs.
    `link_rows` are those `link_rows_of(published_links(…))` gives, when the caller has read
    them already. Four queries, whatever the number of pairs.
    """
    actors = None if actor_ids is None else set(actor_ids)
    paragraphs = None if paragraph_ids is None else list(paragraph_ids)
    links = published_links(actors, paragraphs)
    # The pairs each published action counts towards, as in `statuses.status_pairs`.
    pairs_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    versions: dict[int, set[tuple]] = defaultdict(set)
    for action_id, paragraph_id, reporter_id, partner_id, status, validated, as_of, day in (
        link_rows if link_rows is not None else link_rows_of(links)
    ):
        for actor_id in (reporter_id, partner_id):
            if actor_id is not None and (actors is None or actor_id in actors):
                pairs_of[action_id].add((actor_id, paragraph_id))
        # The current content, public since it was last saved (its history row says so too, when there is one).
        versions[action_id].add((status, validated or status, as_of, max(as_of, day)))
    history = (
        FollowUpAction.history.filter(state=FollowUpAction.State.PUBLISHED, id__in=links.values("action_id"))
        .annotate(published_on=_day("history_date"))
        .values_list("id", "status", "validated_status", "status_as_of", "published_on")
    )
    for action_id, status, validated, as_of, day in history:
        versions[action_id].add((status, validated or status, as_of, max(as_of, day)))
    found: dict[_Key, _Milestone] = {}
    for action_id, pairs in pairs_of.items():
        for status, validated, as_of, public in versions[action_id]:
            for actor_id, paragraph_id in pairs:
                _note(found, (actor_id, paragraph_id, VALIDATED, validated), as_of, public, action_id)
                _note(found, (actor_id, paragraph_id, REPORTED, status), as_of, public, action_id)
    _explicit_milestones(found, actors, paragraphs)
    return found


def _explicit_milestones(found: dict[_Key, _Milestone], actors, paragraphs) -> None:
    explicit = Q(explicit_status__gt="")
    if actors is not None:
        explicit &= Q(actor_id__in=actors)
    if paragraphs is not None:
        explicit &= Q(paragraph_id__in=paragraphs)
    fields = ("actor_id", "paragraph_id", "explicit_status", "explicit_as_of")
    current = ImplementationStatus.objects.filter(explicit).annotate(saved_on=_day("updated_at"))
    earlier = ImplementationStatus.history.filter(explicit).annotate(saved_on=_day("history_date"))
    for actor_id, paragraph_id, status, as_of, day in [
        *current.values_list(*fields, "saved_on"),
        *earlier.values_list(*fields, "saved_on"),
    ]:
        _note(found, (actor_id, paragraph_id, EXPLICIT, status), as_of, max(as_of, day), None)


def stored_milestones(actor_ids: Iterable[int] | None = None, paragraph_ids: Iterable[int] | None = None):
    """The milestones as the table holds them, in the shape `recount_milestones` gives."""
    rows = StatusMilestone.objects.all()
    if actor_ids is not None:
        rows = rows.filter(actor_id__in=list(actor_ids))
    if paragraph_ids is not None:
        rows = rows.filter(paragraph_id__in=list(paragraph_ids))
    return {
        (actor_id, paragraph_id, basis, status): (known, public, action_id)
        for actor_id, paragraph_id, basis, status, known, public, action_id in rows.values_list(
            "actor_id", "paragraph_id", "basis", "status", "known_from", "public_from", "action_id"
        )
    }


def rebuild_milestones(
    actor_ids: Iterable[int] | None = None, paragraph_ids: Iterable[int] | None = None, link_rows=None
) -> set[tuple[int, int]]:
    """Make the stored milestones of those actors' pairs with those paragraphs (all without
    arguments) equal to a recount; returns the (actor id, paragraph id) pairs whose milestones
    changed. A fixed number of queries."""
    actors = None if actor_ids is None else set(actor_ids)
    paragraphs = None if paragraph_ids is None else set(paragraph_ids)
    wanted = recount_milestones(actors, paragraphs, link_rows)
    rows = StatusMilestone.objects.all()
    if actors is not None:
        rows = rows.filter(actor_id__in=actors)
    if paragraphs is not None:
        rows = rows.filter(paragraph_id__in=paragraphs)
    stale, moved = [], set()
    for pk, *key, known, public, action_id in rows.values_list(
        "pk", "actor_id", "paragraph_id", "basis", "status", "known_from", "public_from", "action_id"
    ):
        if wanted.get(tuple(key)) == (known, public, action_id):
            del wanted[tuple(key)]
        else:
            stale.append(pk)
            moved.add((key[0], key[1]))
    if stale:
        StatusMilestone.objects.filter(pk__in=stale).delete()
    StatusMilestone.objects.bulk_create(
        StatusMilestone(
            actor_id=actor_id,
            paragraph_id=paragraph_id,
            basis=basis,
            status=status,
            known_from=known,
            public_from=public,
            action_id=action_id,
        )
        for (actor_id, paragraph_id, basis, status), (known, public, action_id) in wanted.items()
    )
    return moved | {(actor_id, paragraph_id) for actor_id, paragraph_id, _, _ in wanted}
