"""The map of the Asia-Pacific: each government's progress, or its status on one recommendation.

The shapes are Natural Earth's countries at 1:50m, projected once by `scripts/map_shapes.py`
into `asia_pacific.json` beside this module and read once per process. A map is made from
figures a page has already read, so it adds no query, whatever the number of countries.
Classes are told apart by colour (the Okabe–Ito and viridis palettes, which people with the
common colour-vision deficiencies tell apart), by a pattern, and by the label in each country's
title and in the table that goes with the map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from ..models import Actor, Status
from ..progress.history import TODAY, Reading

SHAPES = Path(__file__).with_name("asia_pacific.json")
DISCLAIMER = (
    "The boundaries and names shown and the designations used on this map do not imply official "
    "endorsement or acceptance by the United Nations."
)
NO_INFORMATION = "No information provided"
NOT_ADDRESSED = "Not addressed to it"


@dataclass(frozen=True)
class MapClass:
    """One entry of the legend: its colour, its pattern's marks and the colour they are drawn in."""

    key: str
    label: str
    colour: str
    marks: str
    ink: str = "#000"


# Sequential, from viridis, light to dark; each class also has its own marks.
PROGRESS_CLASSES = [
    MapClass("p0", "Under 25%", "#fde725", "dots"),
    MapClass("p25", "25% to under 50%", "#5ec962", "diagonal"),
    MapClass("p50", "50% to under 75%", "#21918c", "horizontal", "#fff"),
    MapClass("p75", "75% to 100%", "#3b528b", "cross", "#fff"),
]
# Okabe–Ito, most advanced first as on the rest of the site.
STATUS_CLASSES = {
    Status.ONGOING_PRACTICE: MapClass(Status.ONGOING_PRACTICE, Status.ONGOING_PRACTICE.label, "#009e73", "cross"),
    Status.COMPLETED: MapClass(Status.COMPLETED, Status.COMPLETED.label, "#0072b2", "none"),
    Status.IN_PROGRESS: MapClass(Status.IN_PROGRESS, Status.IN_PROGRESS.label, "#56b4e9", "diagonal"),
    Status.PLANNED: MapClass(Status.PLANNED, Status.PLANNED.label, "#f0e442", "dots"),
    Status.NOT_STARTED: MapClass(Status.NOT_STARTED, Status.NOT_STARTED.label, "#e69f00", "horizontal"),
    Status.NO_ACTION_PLANNED: MapClass(Status.NO_ACTION_PLANNED, Status.NO_ACTION_PLANNED.label, "#d55e00", "vertical"),
}
NONE_CLASS = MapClass("none", NO_INFORMATION, "#ffffff", "diagonal", "#6b6b6b")
NOT_ADDRESSED_CLASS = MapClass("not-addressed", NOT_ADDRESSED, "#d9d9d9", "none")


@dataclass
class Country:
    code: str
    name: str
    url: str
    map_class: MapClass
    label: str
    path: str
    marker: dict | None
    is_demo: bool

    @property
    def on_map(self) -> bool:
        return bool(self.path or self.marker)


@dataclass
class Map:
    title: str
    description: str
    width: int
    height: int
    land: str
    countries: list[Country]
    legend: list[MapClass]
    source: str
    disclaimer: str = DISCLAIMER

    @property
    def drawn(self) -> list[Country]:
        return [country for country in self.countries if country.on_map]

    @property
    def off_map(self) -> list[Country]:
        return [country for country in self.countries if not country.on_map]

    def svg(self) -> SafeString:
        """The map alone, a standalone SVG document: the pages include it, the report embeds it."""
        return render_to_string("public/snippets/map.svg", {"map": self})


@cache
def shapes() -> dict:
    return json.loads(SHAPES.read_text())


def _countries(entries: list[tuple[Actor, MapClass, str]], reading: Reading) -> list[Country]:
    known = shapes()["countries"]
    # Each country's page on the same date and reading as the map.
    query = "?" + urlencode(reading.params) if reading.params else ""
    countries = []
    for actor, map_class, label in sorted(entries, key=lambda entry: entry[0].short_name):
        shape = known.get(actor.code, {})
        countries.append(
            Country(
                code=actor.code,
                name=actor.short_name,
                url=reverse("recommendations:actor", args=[actor.code]) + query,
                map_class=map_class,
                label=label,
                path=shape.get("path", ""),
                marker=shape.get("marker"),
                is_demo=actor.is_demo,
            )
        )
    return countries


def _map(title: str, description: str, countries: list[Country], legend: list[MapClass]) -> Map:
    found = shapes()
    used = {country.map_class.key for country in countries}
    return Map(
        title=title,
        description=description,
        width=found["width"],
        height=found["height"],
        land=found["land"],
        countries=countries,
        legend=[entry for entry in legend if entry.key in used] or legend,
        source=found["source"],
    )


def progress_class(progress: float | None) -> MapClass:
    if progress is None:
        return NONE_CLASS
    return PROGRESS_CLASSES[min(3, int(progress // 25))]


def progress_map(groups: list, reading: Reading = TODAY) -> Map:
    """The governments' overall progress, from the dashboard's groups of actors (`figures.Group`)."""
    entries = []
    for group in groups:
        actor = group.key
        if actor.kind != Actor.Kind.GOVERNMENT:
            continue
        progress = group.tally.progress
        text = NO_INFORMATION if progress is None else f"{progress:.0f}%"
        label = f"{text} · {group.tally.reported} of {group.tally.cells} statuses reported"
        entries.append((actor, progress_class(progress), label))
    return _map(
        "Progress of each government",
        "Each government's progress on the recommendations addressed to it or on which it reported, "
        "as on the dashboard; the table below gives the same figures.",
        _countries(entries, reading),
        [*PROGRESS_CLASSES, NONE_CLASS],
    )


def status_map(
    number: int, actors: list[Actor], cells: dict[tuple[int, int], str], paragraph_id: int, reading: Reading = TODAY
) -> Map:
    """Each government's status on one recommendation, from the page's cells (see `figures.cells`).

    A cell's status is "" for no information provided; a government without a cell is one the
    recommendation does not address and that has not reported on it.
    """
    entries = []
    for actor in actors:
        if actor.kind != Actor.Kind.GOVERNMENT:
            continue
        status = cells.get((actor.pk, paragraph_id))
        if status is None:
            entries.append((actor, NOT_ADDRESSED_CLASS, NOT_ADDRESSED))
        elif status:
            entries.append((actor, STATUS_CLASSES[Status(status)], Status(status).label))
        else:
            entries.append((actor, NONE_CLASS, NO_INFORMATION))
    return _map(
        f"Each government's status on paragraph {number}",
        f"Each government's status on paragraph {number}; the table below gives the same statuses.",
        _countries(entries, reading),
        [*STATUS_CLASSES.values(), NONE_CLASS, NOT_ADDRESSED_CLASS],
    )
