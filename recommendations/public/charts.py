"""Progress over time as a chart drawn on the server: an accessible SVG with its table beside it.

A chart is made from a series of (month end, {status: count}), one entry a month: each month is
a stacked bar of the statuses counted at its end, most advanced at the bottom. Every status has
a colour from the Okabe–Ito palette, which people with any common colour-vision deficiency can
tell apart, a pattern of its own over the colour, and its name beside its pattern in the legend, so
that colour is never the only clue. Dates worth finding (the High-level Dialogue) are marked by
a line with a label. The SVG is an image with a title and a description that give the figures
in words, and the whole series follows as a table in a <details>, for screen readers and for
copying. Nothing runs in the browser.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..models import Status
from ..progress.history import DIALOGUE, Reading

DIALOGUE_LABEL = "High-level Dialogue, 14 September 2006"

# Drawn from the bottom up: the most advanced statuses first, as the progress bars order them.
STACK = list(reversed(Status))


@dataclass(frozen=True)
class Look:
    """How one status is drawn: an Okabe–Ito colour and a pattern over it, and both in words."""

    colour: str
    pattern: str
    words: str


# The patterns are drawn in white on the colour, in a 6-unit tile.
LOOKS = {
    Status.ONGOING_PRACTICE: Look("#009E73", "M0 1.5h6M0 4.5h6", "green, with bands"),
    Status.COMPLETED: Look("#0072B2", "", "blue"),
    Status.IN_PROGRESS: Look("#56B4E9", "M-1 1l2-2M0 6l6-6M5 7l2-2", "sky blue, hatched"),
    Status.PLANNED: Look("#CC79A7", "M3 3h.01", "pink, dotted"),
    Status.NOT_STARTED: Look("#E69F00", "M0 0l6 6M6 0l-6 6", "orange, crossed"),
    Status.NO_ACTION_PLANNED: Look("#D55E00", "M1.5 0v6M4.5 0v6", "vermilion, with bars"),
}

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 48, 36
# Markers' labels stand above the bars, each on its own line.
MARKER_LINE = 16
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

Series = Sequence[tuple[datetime.date, Mapping[str, int]]]


def _month_name(day: datetime.date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def _counts(counts: Mapping[str, int]) -> list[int]:
    """A month's counts in stacking order; statuses may be keyed by `Status` or by its value."""
    return [int(counts.get(status, 0) or counts.get(status.value, 0) or 0) for status in STACK]


def _nice_step(largest: int) -> int:
    """A step of 1, 2 or 5 times a power of ten that divides the axis into at most five parts."""
    rough = max(largest, 1) / 5
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def _words(counts: list[int]) -> str:
    named = [f"{count} {status.label.lower()}" for status, count in zip(STACK, counts, strict=True) if count]
    return ", ".join(named) if named else "no status reported"


def _n(number: float) -> str:
    """A coordinate, to a tenth of a unit."""
    return f"{number:.1f}"


def _statuses(count: int) -> str:
    return f"{count} status" if count == 1 else f"{count} statuses"


@dataclass(frozen=True)
class Marker:
    """A date marked on the chart by a vertical line and a label."""

    day: datetime.date
    label: str


def reading_markers(reading: Reading) -> list[Marker]:
    """The reading's date marked on a chart, when it reads as of a past date."""
    day = reading.as_of
    return [Marker(day, f"As of {day.day} {day:%B %Y}")] if day else []


def status_chart(series: Series, *, name: str, about: str, markers: Sequence[Marker] = ()) -> SafeString:
    """The chart of `series` as HTML: a labelled box holding the SVG, its legend and its table.

    `name` makes the ids of this chart's parts unique on the page (letters, digits and
    hyphens); `about` says whose statuses they are ("all actors", "Thailand") and is escaped.
    The Dialogue is always marked; `markers` adds others, such as the date a page reads as of.
    """
    months = [(day, _counts(counts)) for day, counts in series]
    heading = f"Statuses by month, {about}"
    if not months:
        return format_html(
            '<figure class="status-chart" id="{}"><figcaption>{}</figcaption><p>{}</p></figure>',
            name,
            heading,
            "There is no month to chart yet.",
        )
    title, _, image = _image(months, name, about, markers)
    return format_html(
        '<figure class="status-chart" id="{name}"><figcaption id="{name}-caption">{title}</figcaption>'
        '<div class="scroll-box" role="region" aria-labelledby="{name}-caption" tabindex="0">{image}</div>'
        '<ul class="legend chart-legend" aria-label="Legend of the chart">{legend}</ul>{table}</figure>',
        name=name,
        title=title,
        image=image,
        legend=_legend(name),
        table=_table(months, name, heading),
    )


def status_svg(series: Series, *, name: str, about: str, markers: Sequence[Marker] = ()) -> tuple[str, str, str] | None:
    """The chart of `series` alone, as a standalone SVG document for a PDF: its title, its figures in
    words and its markup; None when there is no month to chart."""
    months = [(day, _counts(counts)) for day, counts in series]
    if not months:
        return None
    title, description, image = _image(months, name, about, markers, standalone=True)
    return title, description, str(image)


def _image(months, name: str, about: str, markers: Sequence[Marker], *, standalone: bool = False):
    """The chart's title, its figures in words and its SVG; `standalone` adds the namespace a document needs."""
    heading = f"Statuses by month, {about}"
    first, last = months[0][0], months[-1][0]
    start = first.replace(day=1)
    span = (last - start).days + 1

    def x(day: datetime.date) -> float:
        return LEFT + PLOT_WIDTH * (day - start).days / span

    largest = max(sum(counts) for _, counts in months)
    step = _nice_step(largest)
    top = max(step, math.ceil(largest / step) * step)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - value / top)

    title = f"{heading}, {_month_name(first)} to {_month_name(last)}"
    description = _description(months, about)
    svg = [_defs(name), _grid(top, step, y), _bars(months, start, x, y, name), _axis(start, last, x)]
    shown = [marker for marker in [Marker(DIALOGUE, DIALOGUE_LABEL), *markers] if start <= marker.day <= last]
    svg.extend(_marker(marker, x, line) for line, marker in enumerate(shown))
    image = format_html(
        '<svg{xmlns} role="img" aria-labelledby="{name}-title {name}-desc" viewBox="0 0 {w} {h}"'
        ' width="{w}" height="{h}" focusable="false" class="status-chart-image">'
        '<title id="{name}-title">{title}</title>'
        '<desc id="{name}-desc">{desc}</desc>{body}</svg>',
        # A constant.
        xmlns=mark_safe(' xmlns="http://www.w3.org/2000/svg"') if standalone else "",  # nosec B308, B703
        name=name,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        body=format_html_join("", "{}", ((part,) for part in svg)),
    )
    return title, description, image


def _description(months: list[tuple[datetime.date, list[int]]], about: str) -> str:
    """The figures in words: at the Dialogue's month end, and at the last month end."""
    last_day, last_counts = months[-1]
    parts = [
        f"Each month's bar stacks the statuses of {about} at the month's end, most advanced at the bottom.",
        f"At the end of {_month_name(last_day)}: {_statuses(sum(last_counts))}, {_words(last_counts)}.",
    ]
    at_dialogue = next((counts for day, counts in months if day >= DIALOGUE), None)
    if at_dialogue is not None and months[0][0] <= DIALOGUE:
        parts.insert(1, f"At the end of September 2006, after the Dialogue: {_words(at_dialogue)}.")
    return " ".join(parts)


def _defs(name: str) -> SafeString:
    patterns = format_html_join(
        "",
        '<pattern id="{}-{}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="{}"/><path d="{}" stroke="#fff" stroke-width="1.2" stroke-linecap="round"/>'
        "</pattern>",
        ((name, status.value, look.colour, look.pattern or "M0 0") for status, look in LOOKS.items()),
    )
    return format_html("<defs>{}</defs>", patterns)


def _grid(top: int, step: int, y) -> SafeString:
    lines = format_html_join(
        "",
        '<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#d5d7da"/>'
        '<text x="{label}" y="{y}" dy="4" text-anchor="end" font-size="12" fill="#1b1f24">{value}</text>',
        (
            {"left": LEFT, "right": LEFT + PLOT_WIDTH, "y": _n(y(value)), "label": LEFT - 6, "value": f"{value:,}"}
            for value in range(0, top + 1, step)
        ),
    )
    return format_html('<g aria-hidden="true">{}</g>', lines)


def _bars(months, start: datetime.date, x, y, name: str) -> SafeString:
    """One path per status, a rectangle for each month in which it is counted."""
    shapes: dict[Status, list[str]] = {status: [] for status in STACK}
    month_start = start
    for day, counts in months:
        left, right = x(month_start), x(day + datetime.timedelta(days=1))
        base = 0
        for status, count in zip(STACK, counts, strict=True):
            if count:
                lower, upper = y(base), y(base + count)
                shapes[status].append(f"M{left:.2f} {lower:.2f}H{right:.2f}V{upper:.2f}H{left:.2f}Z")
                base += count
        month_start = day + datetime.timedelta(days=1)
    return format_html_join(
        "",
        '<path d="{}" fill="url(#{}-{})"><title>{}</title></path>',
        (("".join(parts), name, status.value, status.label) for status, parts in shapes.items() if parts),
    )


def _axis(start: datetime.date, last: datetime.date, x) -> SafeString:
    """The time axis: a tick each January, labelled every year, or every other one when they crowd."""
    years = list(range(start.year + (start.month > 1), last.year + 1))
    every = 1 if len(years) <= 12 else 2
    ticks = format_html_join(
        "",
        '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="#333"/>{label}',
        (
            {
                "x": _n(x(datetime.date(year, 1, 1))),
                "top": TOP + PLOT_HEIGHT,
                "bottom": TOP + PLOT_HEIGHT + 5,
                "label": format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1b1f24">{}</text>',
                    _n(x(datetime.date(year, 1, 1))),
                    TOP + PLOT_HEIGHT + 20,
                    year,
                )
                if (year - years[0]) % every == 0
                else "",
            }
            for year in years
        ),
    )
    return format_html(
        '<g aria-hidden="true"><line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="#333"/>{}</g>',
        LEFT,
        LEFT + PLOT_WIDTH,
        ticks,
        y=TOP + PLOT_HEIGHT,
    )


def _marker(marker: Marker, x, line: int) -> SafeString:
    where = x(marker.day)
    # The label runs to the right of its line unless that would leave the chart.
    anchor, shift = ("start", 4) if where < LEFT + PLOT_WIDTH / 2 else ("end", -4)
    return format_html(
        '<g><line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="#1b1f24" stroke-width="1.5"'
        ' stroke-dasharray="4 3"/>'
        '<text x="{tx}" y="{ty}" text-anchor="{anchor}" font-size="12" fill="#1b1f24">{label}</text></g>',
        x=_n(where),
        top=TOP - MARKER_LINE * (2 - line % 2) + 4,
        bottom=TOP + PLOT_HEIGHT,
        tx=_n(where + shift),
        ty=TOP - MARKER_LINE * (2 - line % 2),
        anchor=anchor,
        label=marker.label,
    )


def _swatch(name: str, status: Status) -> SafeString:
    return format_html(
        '<svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true" focusable="false">'
        '<rect width="18" height="12" fill="url(#{}-{})" stroke="#333" stroke-width="1"/></svg>',
        name,
        status.value,
    )


def _legend(name: str) -> SafeString:
    return format_html_join(
        "",
        "<li>{} {}</li>",
        ((_swatch(name, status), status.label) for status in STACK),
    )


def _table(months, name: str, heading: str) -> SafeString:
    head = format_html_join("", '<th scope="col">{}</th>', ((status.label,) for status in STACK))
    # Hundreds of rows of dates and whole numbers, which need no escaping: written directly, as
    # escaping each cell would cost more than the rest of the page.
    rows = mark_safe(  # noqa: S308  # nosec B308, B703
        "".join(
            f'<tr><th scope="row"><time datetime="{day.isoformat()}">{_month_name(day)}</time></th>'
            + "".join(f"<td>{int(count)}</td>" for count in counts)
            + f"<td>{sum(counts)}</td></tr>"
            for day, counts in months
        )
    )
    return format_html(
        '<details class="chart-table"><summary>The chart as a table</summary>'
        '<div class="scroll-box" role="region" aria-labelledby="{name}-table" tabindex="0">'
        '<table><caption id="{name}-table">{heading}, at each month end</caption>'
        '<thead><tr><th scope="col">Month end</th>{head}<th scope="col">All statuses</th></tr></thead>'
        "<tbody>{rows}</tbody></table></div></details>",
        name=name,
        heading=heading,
        head=head,
        rows=rows,
    )
