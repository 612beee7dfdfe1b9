"""An actor's country brief: its status on every recommendation, its actions and its coverage."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from ...models import Actor, FollowUpAction, ImplementationStatus, Paragraph
from ...progress import figures
from ...progress.history import TODAY, Reading, status_details_on
from ..templatetags import figure, status_label
from . import Paper, actions_on, address, generated_at, reading_text

# The brief fits on one or two pages; the actions export has every action.
ACTIONS_SHOWN = 10
NEWEST_STATUS_FIRST = ("-status_as_of", "-pk")


def _day(date) -> str:
    return f"{date:%-d %B %Y}" if date else ""


def actor_statuses(
    actor: Actor, recommendations: list[Paragraph], reading: Reading
) -> tuple[figures.ActorFigures, dict]:
    """The actor's figures on the reading's date, and by recommendation when and where its status comes from."""
    found = figures.actor_figures(actor, recommendations, reading)
    if reading.is_today:
        rows = ImplementationStatus.objects.filter(actor=actor)
        return found, {row.paragraph_id: (row.as_of, _source(row.is_explicit, row.explicit_source)) for row in rows}
    past = status_details_on(reading, actor_ids=[actor.pk])
    return found, {paragraph_id: (row.as_of, _source(row.is_explicit, "")) for (_, paragraph_id), row in past.items()}


def _source(is_explicit: bool, source: str) -> str:
    if is_explicit:
        return f"Set by the secretariat{': ' + source if source else ''}"
    return "Its published actions"


def brief(actor: Actor, *, base_url: str, reading: Reading = TODAY) -> Paper:
    """The brief of `actor` as its page shows it on the reading's date; `base_url` starts the addresses it prints."""
    recommendations = list(
        Paragraph.objects.tracked()
        .with_addressed(actor)
        .select_related("meeting", "theme")
        .order_by("meeting", "number")
    )
    found, rows = actor_statuses(actor, recommendations, reading)
    # Its own and its joint actions apart, each read in its index's order: one query with both
    # (an OR across tables) walks every published action.
    published = FollowUpAction.objects.published()
    own = actions_on(published.filter(actor=actor), reading)
    joined = actions_on(published.joined_by(actor).exclude(actor=actor), reading)
    actions = own.select_related("actor").newest(
        *NEWEST_STATUS_FIRST, count=ACTIONS_SHOWN, joined=joined.select_related("actor")
    )
    prefetch_related_objects(actions, "recommendations", "evidence_links")
    total = own.count() + joined.count()
    return Paper(
        "brief.typ",
        {
            "title": f"Country brief: {actor.short_name}",
            "name": actor.name,
            "short_name": actor.short_name,
            "code": actor.code,
            "kind": actor.get_kind_display(),
            "demo": actor.is_demo,
            "generated": generated_at(),
            "reading": reading_text(reading),
            "today": reading.is_today,
            "address": address(base_url, f"/actors/{actor.code}/", reading),
            "figure": figure(found.own),
            "kind_figure": figure(found.kind),
            "rows": [
                {
                    "number": str(paragraph.number),
                    "meeting": paragraph.meeting.label,
                    "theme": paragraph.theme.label if paragraph.theme else "",
                    "addressed": "Addressed" if paragraph.addressed else "Reported on",
                    "status": status_label(status or ""),
                    "as_of": _day(rows[paragraph.pk][0]) if paragraph.pk in rows else "",
                    "source": rows[paragraph.pk][1] if paragraph.pk in rows else "",
                }
                for paragraph, status in found.rows
                if status is not None
            ],
            "actions": [
                {
                    "title": action.title,
                    "by": "" if action.actor_id == actor.pk else f"with {action.actor.short_name}",
                    "status": status_label(action.public_status),
                    "as_of": _day(action.status_as_of),
                    "source": action.status_source,
                    "links": [link.url for link in action.evidence_links.all()],
                    "recommendations": ", ".join(f"¶{p.number}" for p in action.recommendations.all()),
                    "address": f"{base_url}/actions/{action.pk}/",
                    "demo": action.is_demo,
                }
                for action in actions
            ],
            "actions_total": total,
            "actions_export": f"{base_url}/actions/export.csv?actor={actor.code}",
        },
    )
