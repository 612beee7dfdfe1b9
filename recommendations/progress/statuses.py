"""Each actor's status on each recommendation, derived from its published actions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import DataPart, FollowUpAction, ImplementationStatus, Status
from .freshness import figures_changed, pair_parts
from .history import link_rows_of, published_links, rebuild_milestones


def status_pairs(action: FollowUpAction) -> set[tuple[int, int]]:
    """The (actor, recommendation) pairs whose status the action counts towards."""
    actor_ids = {action.actor_id, *action.partners.values_list("pk", flat=True)}
    paragraph_ids = set(action.recommendations.values_list("pk", flat=True))
    return {(actor_id, paragraph_id) for actor_id in actor_ids for paragraph_id in paragraph_ids}


@transaction.atomic
def refresh_implementation_statuses(pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the derived status of each (actor id, paragraph id) pair from its actions.

    The derived status is the most advanced validated status among the published actions the
    actor reports or is a partner in that answer the recommendation, and it holds as of the
    latest date any of those actions gives for that status; the reported status is the same
    over the statuses the actors themselves gave. A pair with neither actions nor an explicit
    status has no row: no information provided. The milestones of the actors' pairs with the
    paragraphs (their statuses on any past date, see `history`) are rebuilt with them. The
    pages that show only the pairs' actors and paragraphs are stale from then on, and those that
    show statuses or milestones that changed (see `freshness`).
    """
    pairs = set(pairs)
    if not pairs:
        return
    actor_ids = {actor_id for actor_id, _ in pairs}
    paragraph_ids = {paragraph_id for _, paragraph_id in pairs}
    # Per pair, the best (rank, as of) of the validated statuses and of the reported ones.
    validated: dict[tuple[int, int], tuple[int, object]] = {}
    reported: dict[tuple[int, int], tuple[int, object]] = {}
    rows = link_rows_of(published_links(actor_ids, list(paragraph_ids)))
    for _, paragraph_id, reporter_id, partner_id, status, validated_status, as_of, _ in rows:
        for actor_id in {reporter_id, partner_id} & actor_ids:
            key = (actor_id, paragraph_id)
            if key not in pairs:
                continue
            for best, value in ((validated, validated_status or status), (reported, status)):
                candidate = (Status(value).rank, as_of)
                if key not in best or candidate > best[key]:
                    best[key] = candidate

    existing = {
        (row.actor_id, row.paragraph_id): row
        for row in ImplementationStatus.objects.filter(actor_id__in=actor_ids, paragraph_id__in=paragraph_ids)
    }
    statuses = list(Status)
    created, changed, emptied = [], [], []
    moved = set()
    for key in pairs:
        row = existing.get(key) or ImplementationStatus(actor_id=key[0], paragraph_id=key[1])
        before = (row.derived_status, row.derived_as_of, row.reported_status, row.reported_as_of)
        rank, as_of = validated.get(key, (None, None))
        row.derived_status = statuses[rank].value if rank is not None else ""
        row.derived_as_of = as_of
        rank, as_of = reported.get(key, (None, None))
        row.reported_status = statuses[rank].value if rank is not None else ""
        row.reported_as_of = as_of
        if not (row.derived_status or row.explicit_status):
            if row.pk:
                emptied.append(row.pk)
                moved.add(key)
        elif not row.pk:
            created.append(row)
            moved.add(key)
        elif before != (row.derived_status, row.derived_as_of, row.reported_status, row.reported_as_of):
            changed.append(row)
            moved.add(key)
    # In bulk, each with its history rows, so that the number of queries does not grow with the pairs.
    if created:
        bulk_create_with_history(created, ImplementationStatus)
    if changed:
        bulk_update_with_history(changed, ImplementationStatus, fields=_DERIVED_FIELDS)
    if emptied:
        ImplementationStatus.objects.filter(pk__in=emptied).delete()
    milestones_moved = rebuild_milestones(actor_ids, paragraph_ids, rows)
    parts = {DataPart.of_actor(pk) for pk in actor_ids} | {DataPart.of_paragraph(pk) for pk in paragraph_ids}
    figures_changed(parts | pair_parts(moved, milestones_moved))


_DERIVED_FIELDS = ["derived_status", "derived_as_of", "reported_status", "reported_as_of"]
