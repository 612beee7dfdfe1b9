"""Formatting for the public pages: status badges, progress figures, search marks and export links."""

from __future__ import annotations

import datetime
import re

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..models import Status

register = template.Library()

# Each status has a shape as well as a colour, so that it never depends on colour alone.
GLYPHS = {
    Status.ONGOING_PRACTICE: "◆",
    Status.COMPLETED: "●",
    Status.IN_PROGRESS: "◐",
    Status.PLANNED: "◔",
    Status.NOT_STARTED: "○",
    Status.NO_ACTION_PLANNED: "✕",
    "none": "–",
}
NO_INFORMATION = "No information provided"


@register.filter
def status_label(status: str) -> str:
    return Status(status).label if status and status != "none" else NO_INFORMATION


@register.filter
def glyph(status: str) -> str:
    return GLYPHS.get(status or "none", GLYPHS["none"])


@register.filter
def machine_time(moment: datetime.datetime) -> str:
    """A moment as a <time datetime> value: to the second, as HTML allows no finer than milliseconds."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


@register.simple_tag
def status_badge(status: str, short: bool = False) -> SafeString:
    """A status's glyph and name; `short` leaves the name to screen readers.

    Made in Python rather than from a template: pages show one per actor and per action.
    """
    key = status or "none"
    label = (
        format_html('<span class="visually-hidden">{}</span>', status_label(key)) if short else f" {status_label(key)}"
    )
    return format_html(
        '<span class="status status-{}"><span class="glyph" aria-hidden="true">{}</span>{}</span>',
        key,
        glyph(key),
        label,
    )


# What a matrix cell shows of each status ("" for no information provided), escaped once.
_CELL_STATUSES = {
    status: (escape(status or "none"), escape(glyph(status)), escape(status_label(status)))
    for status in ["", *Status.values]
}


@register.simple_tag
def matrix_cells(actor, cells) -> SafeString:
    """An actor's row of the dashboard's matrix: per recommendation its status, linked to the
    actor's row on the recommendation's page, or an empty cell where the status is None (the
    recommendation neither addresses the actor nor has its report).

    Made in Python rather than from a template, and without a `format_html` per cell: the matrix
    has a cell per actor and recommendation, a thousand and more.
    """
    name, code = escape(actor.short_name), escape(actor.code)
    html = []
    for paragraph, status in cells:
        about = f"{name} on paragraph {paragraph.number}"
        if status is None:
            html.append(
                f'<td class="cell not-addressed"><span class="visually-hidden">{about}: not addressed to it</span></td>'
            )
            continue
        key, shape, label = _CELL_STATUSES[status]
        html.append(
            f'<td class="cell"><a href="{escape(paragraph.url)}#status-{code}" class="status status-{key}">'
            f'<span class="glyph" aria-hidden="true">{shape}</span>'
            f'<span class="visually-hidden">{about}: {label}</span></a></td>'
        )
    # Every value above is escaped, or a paragraph's number.
    return mark_safe("".join(html))  # noqa: S308  # nosec B308, B703


@register.simple_tag
def progress_bar(tally, label: str, number: int | None = None) -> SafeString:
    """A stacked bar of a tally's statuses, as an SVG image with a text alternative and a legend.

    `number` names the paragraph the bar is about, so that each bar's name differs. Made in
    Python rather than from a template: the list and the document show one per recommendation.
    """
    if number is not None:
        label = f"{label} on paragraph {number}"
    segments, offset = [], 0.0
    for segment in tally.segments:
        if segment.count:
            segments.append((segment, f"{offset:.3f}", f"{segment.percent:.3f}"))
            offset += segment.percent
    summary = "; ".join(f"{segment.label}: {segment.count}" for segment, _, _ in segments)
    rectangles = format_html_join(
        "",
        '<rect class="fill-{}" x="{}" y="0" width="{}" height="6"><title>{}: {}</title></rect>',
        ((segment.key, x, width, segment.label, segment.count) for segment, x, width in segments),
    )
    legend = format_html_join(
        "",
        '<span class="status status-{}"><span class="glyph" aria-hidden="true">{}</span> {} {}</span> ',
        ((segment.key, glyph(segment.key), segment.label, segment.count) for segment, _, _ in segments),
    )
    return format_html(
        '<figure class="bar">\n  <svg role="img" aria-label="{}: {}" viewBox="0 0 100 6" preserveAspectRatio="none"'
        ' width="100%" height="18" focusable="false">\n    {}\n  </svg>\n'
        '  <figcaption class="bar-legend">{}</figcaption>\n</figure>\n',
        label,
        summary,
        rectangles,
        legend,
    )


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


@register.filter
def coverage(tally) -> str:
    """How many of the cells a figure stands on are reported, so that the unknown shows beside it."""
    return f"{tally.reported} of {tally.cells} status{'' if tally.cells == 1 else 'es'} reported"


@register.filter
def figure(tally) -> str:
    """A progress figure with its coverage: "54% · 142 of 437 statuses reported"."""
    return f"{percent(tally.progress)} · {coverage(tally)}"


# Endings cut from a searched word so that it marks the other forms of the word, about as
# PostgreSQL's English stemming would find them: "trafficking" marks "traffickers" too.
ENDINGS = re.compile(r"(?:ing|ed|es|s)$")


def _marks(words: list[str]) -> re.Pattern | None:
    """Whole words that begin with a searched word of four letters or more, or equal a shorter one."""
    alternatives = [
        rf"{re.escape(ENDINGS.sub('', word) if len(word) > 5 else word)}\w*"
        if len(word) >= 4
        else rf"{re.escape(word)}\b"
        for word in words
    ]
    return re.compile(rf"\b(?:{'|'.join(alternatives)})", re.IGNORECASE) if alternatives else None


@register.filter
def highlight(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with the words of a search in <mark>."""
    text = str(text)
    marks = _marks(words)
    if marks is None:
        return escape(text)
    pairs, end = [], 0
    for match in marks.finditer(text):
        pairs.append((text[end : match.start()], match.group()))
        end = match.end()
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pairs), text[end:])


EXCERPT_LENGTH = 200
# Characters of an excerpt kept before the first searched word, so that it reads in context.
EXCERPT_LEAD = 60


@register.filter
def excerpt(text: str, words: list[str]) -> SafeString:
    """At most 200 characters of the text, from a little before the first searched word, marked."""
    text = " ".join(str(text).split())
    marks = _marks(words)
    first = marks.search(text) if marks else None
    start = 0
    if first and first.start() > EXCERPT_LEAD:
        space = text.find(" ", first.start() - EXCERPT_LEAD, first.start())
        start = space + 1 if space >= 0 else first.start()
    # Room for the two ellipses.
    end = start + EXCERPT_LENGTH - 2
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    before, after = ("…" if start else ""), ("…" if end < len(text) else "")
    return format_html("{}{}{}", before, highlight(text[start:end], words), after)


@register.simple_tag(takes_context=True)
def export_url(context, dataset: str, fmt: str) -> str:
    """The export of `dataset` in `fmt`, carrying the filters the page applied.

    A filter the page ignored as invalid is left out, as the export would answer it with 400.
    """
    ignored = context["filterset"].errors
    query = QueryDict(mutable=True)
    for key, values in context["request"].GET.lists():
        if key not in ("page", "sort") and key not in ignored:
            query.setlist(key, values)
    url = reverse("recommendations:export", args=[dataset, fmt])
    return f"{url}?{query.urlencode()}" if query else url


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
