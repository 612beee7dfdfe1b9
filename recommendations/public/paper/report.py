"""The report to the Dialogue: the regional synthesis of one meeting's recommendations, for a meeting."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ...models import ActionRecommendation, FollowUpAction, Meeting, Status
from ...progress import figures, history
from ...progress.history import TODAY, Reading
from .. import charts as drawn
from .. import maps
from ..templatetags import figure, percent, status_label
from . import Paper, actions_on, address, generated_at, reading_text

# Without highlights, the latest completed actions; the actions export has them all.
LATEST_COMPLETED = 30
# The status colours of the site's bars (site.css), most advanced first, then no information.
BAR_COLOURS = {
    "ongoing_practice": "#0b5d3b",
    "completed": "#1a7f4b",
    "in_progress": "#1f5fa8",
    "planned": "#6b4fa0",
    "not_started": "#6c5a00",
    "no_action_planned": "#a3262a",
    "none": "#d5d7da",
}


# What the charts' colours and patterns stand for, from the bottom of each bar up (see charts.LOOKS).
STACKED = "From the bottom of each bar: " + "; ".join(f"{s.label} ({drawn.LOOKS[s].words})" for s in drawn.STACK) + "."


@dataclass
class Chart:
    """An SVG image the report shows, with its title and what it says in words."""

    title: str
    svg: str
    caption: str


def charts(found: figures.Dashboard, reading: Reading) -> list[Chart]:
    """The report's charts, in the order it shows them: the map, then progress over time overall
    and on each theme (one query each, as on the dashboard and the theme pages)."""
    progress = maps.progress_map(found.by_actor, reading)
    legend = "; ".join(entry.label for entry in progress.legend)
    caption = f"Legend: {legend}; a small state is marked by a circle. {progress.disclaimer}"
    shown = [Chart(progress.title, str(progress.svg()), caption)]
    scopes = [("all actors", None)]
    scopes += [
        (
            f"the actors on the recommendations of theme {group.label}",
            [p.pk for p in found.recommendations if p.theme == group.key],
        )
        for group in found.themes
        if group.key
    ]
    for number, (about, paragraph_ids) in enumerate(scopes):
        months = history.monthly_statuses(reading, paragraph_ids=paragraph_ids, actor_kinds=figures.REPORTING_KINDS)
        series = [(month.end, month.counts) for month in months]
        chart = drawn.status_svg(series, name=f"chart-{number}", about=about, markers=drawn.reading_markers(reading))
        if chart:
            title, description, svg = chart
            shown.append(Chart(title, svg, f"{description} {STACKED}"))
    return shown


def _tally(group: figures.Group) -> dict:
    return {
        "label": group.label,
        "figure": figure(group.tally),
        "progress": percent(group.tally.progress),
        "segments": [
            {"label": s.label, "count": s.count, "percent": s.percent, "colour": BAR_COLOURS[s.key]}
            for s in group.tally.segments
            if s.count
        ],
    }


def _completed(meeting: Meeting, reading: Reading) -> tuple[list[FollowUpAction], bool]:
    """The highlights the secretariat marked, or else the latest completed actions, on the reading's date; and which."""
    # A semi-join, not a join made distinct: the latest ones are then read down the status date's index.
    on_meeting = ActionRecommendation.objects.filter(paragraph__meeting=meeting).values("action_id")
    answered = actions_on(FollowUpAction.objects.published().filter(pk__in=on_meeting), reading)
    chosen = answered.filter(is_highlight=True)
    highlights = chosen.exists()
    if not highlights:
        done = [Status.COMPLETED, Status.ONGOING_PRACTICE]
        chosen = answered.filter(Q(validated_status__in=done) | Q(validated_status="", status__in=done))
    actions = (
        chosen.select_related("actor")
        .prefetch_related("recommendations", "evidence_links")
        .order_by("-status_as_of", "-pk")[: None if highlights else LATEST_COMPLETED]
    )
    return list(actions), highlights


def report(meeting: Meeting, *, base_url: str, reading: Reading = TODAY) -> Paper:
    """The report on `meeting`'s recommendations on the reading's date; `base_url` starts the addresses it prints."""
    found = figures.dashboard(reading)
    recommendations = [paragraph for paragraph in found.recommendations if paragraph.meeting_id == meeting.pk]
    by_recommendation = {paragraph.pk: [] for paragraph in recommendations}
    for actor in found.actors:
        for paragraph in recommendations:
            status = found.cells.get((actor.pk, paragraph.pk))
            if status is not None:
                by_recommendation[paragraph.pk].append(
                    {
                        "actor": actor.short_name,
                        "code": actor.code,
                        "status": status_label(status),
                        "demo": actor.is_demo,
                    }
                )
    actions, highlights = _completed(meeting, reading)
    sources = []
    listed = []
    for action in actions:
        links = [link.url for link in action.evidence_links.all()]
        sources.append({"source": action.status_source, "links": links, "address": f"{base_url}/actions/{action.pk}/"})
        listed.append(
            {
                "reference": str(len(sources)),
                "title": action.title,
                "actor": action.actor.short_name,
                "status": status_label(action.public_status),
                "as_of": f"{action.status_as_of:%-d %B %Y}",
                "recommendations": ", ".join(f"¶{p.number}" for p in action.recommendations.all()),
                "demo": action.is_demo,
            }
        )
    silent = [group for group in found.by_actor if group.tally.cells and not group.tally.reported]
    shown = charts(found, reading)
    return Paper(
        "report.typ",
        {
            "title": f"Follow-up of the recommendations of the {meeting.label} meeting",
            "meeting": meeting.title,
            "meeting_label": meeting.label,
            "place": meeting.place,
            "dates": _dates(meeting.start_date, meeting.end_date),
            "prepares_for": meeting.prepares_for,
            "prepares_for_dates": _dates(meeting.prepares_for_start, meeting.prepares_for_end),
            "generated": generated_at(),
            "reading": reading_text(reading),
            "today": reading.is_today,
            "address": address(base_url, f"/documents/{meeting.code}/report.pdf", reading),
            "document_address": f"{base_url}/documents/{meeting.code}/",
            "data_address": f"{base_url}/datapackage.json",
            "demo": any(actor.is_demo for actor in found.actors),
            "statuses": [
                {"label": status.label, "weight": f"{figures.WEIGHTS[status]:g}", "meaning": status.meaning}
                for status in reversed(Status)
            ],
            "overall": _tally(found.overall),
            "recommendation_count": len(recommendations),
            "actor_count": len(found.actors),
            "themes": [_tally(group) for group in found.themes],
            "charts": [{"title": c.title, "caption": c.caption, "image": f"chart-{n}"} for n, c in enumerate(shown)],
            "recommendations": [
                {
                    "number": str(paragraph.number),
                    "theme": str(paragraph.theme) if paragraph.theme else "",
                    "text": paragraph.text,
                    "figure": figure(found.by_recommendation[paragraph.pk]),
                    "statuses": by_recommendation[paragraph.pk],
                }
                for paragraph in recommendations
            ],
            "highlights": highlights,
            "actions": listed,
            "latest_completed": LATEST_COMPLETED,
            "completed_export": f"{base_url}/actions/export.csv?meeting={meeting.code}&status=completed",
            "sources": sources,
            "silent": [{"actor": group.label, "code": group.key.code, "cells": group.tally.cells} for group in silent],
        },
        {f"chart-{n}": chart.svg for n, chart in enumerate(shown)},
    )


def _dates(start, end) -> str:
    if not start:
        return ""
    if not end or end == start:
        return f"{start:%-d %B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end:%-d %B %Y}"
    return f"{start:%-d %B} – {end:%-d %B %Y}"
