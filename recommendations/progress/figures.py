"""Progress figures for the public pages, read from the implementation-status table.

`ImplementationStatus` holds one row per (actor, recommendation) with information and is kept
current by `services.refresh_implementation_statuses` on every write to actions. Its size is
bounded by actors × recommendations, never by the number of actions, so the roll-ups below read
it whole in one query and stay as fast at a million actions as at ten.

The roll-up rule (shown on the "About the data" page): each status has a weight; a *cell* is one
actor's status on one recommendation; a recommendation's progress is the mean weight of the
actors that reported on it; a theme's, an actor kind's and the overall progress are the means of
their recommendations' progress; an actor's progress is the mean weight of its own cells. Cells
with no information provided count in the coverage figure, never as zero progress.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import Avg, Case, Count, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import Actor, ImplementationStatus, Paragraph, Status

WEIGHTS: dict[Status, float] = {
    Status.NO_ACTION_PLANNED: 0.0,
    Status.NOT_STARTED: 0.0,
    Status.PLANNED: 0.25,
    Status.IN_PROGRESS: 0.5,
    Status.COMPLETED: 1.0,
    Status.ONGOING_PRACTICE: 1.0,
}

# The kinds of actor that report on recommendations; stakeholder groups are addressed, not tracked.
REPORTING_KINDS = [Actor.Kind.GOVERNMENT, Actor.Kind.INTERNATIONAL_ORGANISATION, Actor.Kind.REGIONAL_PROCESS]


@dataclass
class Segment:
    key: str
    label: str
    count: int
    percent: float


@dataclass
class Tally:
    """Status counts over a set of cells, with how many cells there are in all."""

    cells: int
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    @property
    def reported(self) -> int:
        return sum(self.counts.values())

    @property
    def no_information(self) -> int:
        return max(self.cells - self.reported, 0)

    @property
    def progress(self) -> float | None:
        """Mean weight of the reported cells, 0–100; None when nothing is reported."""
        if not self.reported:
            return None
        return 100 * sum(WEIGHTS[Status(s)] * n for s, n in self.counts.items()) / self.reported

    @property
    def segments(self) -> list[Segment]:
        """Each status's share of all cells, most advanced first, then no information."""
        total = self.cells or 1
        counts = [(status.value, status.label, self.counts.get(status.value, 0)) for status in reversed(Status)]
        counts.append(("none", "No information provided", self.no_information))
        return [Segment(key, label, count, 100 * count / total) for key, label, count in counts]


def mean_progress(tallies: Iterable[Tally]) -> float | None:
    values = [tally.progress for tally in tallies if tally.progress is not None]
    return fmean(values) if values else None


@dataclass
class Group:
    """A theme, an actor or an actor kind, with its figures."""

    key: object
    label: str
    tally: Tally
    progress: float | None


@dataclass
class Dashboard:
    recommendations: list[Paragraph]
    actors: list[Actor]
    cells: dict[tuple[int, int], str]
    by_recommendation: dict[int, Tally]
    overall: Group
    themes: list[Group]
    kinds: list[Group]
    by_actor: list[Group]

    def rows(self) -> list[tuple[Group, list[tuple[Paragraph, str]]]]:
        """The matrix: each actor's figures with its status (or "") on every recommendation."""
        return [
            (group, [(p, self.cells.get((group.key.pk, p.pk), "")) for p in self.recommendations])
            for group in self.by_actor
        ]


def reporting_actors():
    return Actor.objects.filter(kind__in=REPORTING_KINDS).order_by("kind", "short_name")


def dashboard() -> Dashboard:
    """Every figure the dashboard shows, in three queries (recommendations, actors, statuses)."""
    recommendations = list(Paragraph.objects.tracked().select_related("meeting", "theme").order_by("meeting", "number"))
    for paragraph in recommendations:
        paragraph.url = paragraph.get_absolute_url()
    actors = list(reporting_actors())
    actor_ids = {actor.pk for actor in actors}
    cells = {
        (actor_id, paragraph_id): status
        for actor_id, paragraph_id, status in ImplementationStatus.objects.filter(
            paragraph__is_tracked=True, actor__kind__in=REPORTING_KINDS
        ).values_list("actor_id", "paragraph_id", "status")
        if actor_id in actor_ids
    }
    by_recommendation = {paragraph.pk: Tally(cells=len(actors)) for paragraph in recommendations}
    by_actor = {actor.pk: Tally(cells=len(recommendations)) for actor in actors}
    kind_of = {actor.pk: actor.kind for actor in actors}
    by_kind_and_recommendation: dict[tuple[str, int], Tally] = {}
    for kind in REPORTING_KINDS:
        size = sum(1 for actor in actors if actor.kind == kind)
        for paragraph in recommendations:
            by_kind_and_recommendation[kind, paragraph.pk] = Tally(cells=size)
    for (actor_id, paragraph_id), status in cells.items():
        if paragraph_id in by_recommendation:
            by_recommendation[paragraph_id].add(status)
            by_actor[actor_id].add(status)
            by_kind_and_recommendation[kind_of[actor_id], paragraph_id].add(status)

    def group(key, label, tallies: list[Tally]) -> Group:
        total = Tally(cells=sum(t.cells for t in tallies))
        for tally in tallies:
            for status, count in tally.counts.items():
                total.counts[status] = total.counts.get(status, 0) + count
        return Group(key, label, total, mean_progress(tallies))

    themes: dict[object, list[Paragraph]] = defaultdict(list)
    for paragraph in recommendations:
        themes[paragraph.theme].append(paragraph)
    return Dashboard(
        recommendations=recommendations,
        actors=actors,
        cells=cells,
        by_recommendation=by_recommendation,
        overall=group("all", "All recommendations", list(by_recommendation.values())),
        themes=[
            group(theme, str(theme) if theme else "Without a theme", [by_recommendation[p.pk] for p in paragraphs])
            for theme, paragraphs in themes.items()
        ],
        kinds=[
            group(kind, kind.label, [by_kind_and_recommendation[kind, p.pk] for p in recommendations])
            for kind in REPORTING_KINDS
            if any(actor.kind == kind for actor in actors)
        ],
        by_actor=[Group(actor, actor.short_name, by_actor[actor.pk], by_actor[actor.pk].progress) for actor in actors],
    )


def regional_tallies(paragraph_ids: Iterable[int]) -> dict[int, Tally]:
    """Each recommendation's tally over all reporting actors, in two queries."""
    size = reporting_actors().count()
    tallies = {paragraph_id: Tally(cells=size) for paragraph_id in paragraph_ids}
    rows = ImplementationStatus.objects.filter(paragraph_id__in=tallies, actor__kind__in=REPORTING_KINDS)
    for paragraph_id, status in rows.values_list("paragraph_id", "status"):
        tallies[paragraph_id].add(status)
    return tallies


def kind_tally(kind: str, recommendations: int) -> Tally:
    """All cells of the actors of one kind on the tracked recommendations, in one query."""
    on_tracked = Q(implementation_statuses__paragraph__is_tracked=True)
    counts = {
        status.value: Count("implementation_statuses", filter=on_tracked & Q(implementation_statuses__status=status))
        for status in Status
    }
    figures = Actor.objects.filter(kind=kind).aggregate(actors=Count("pk", distinct=True), **counts)
    tally = Tally(cells=figures.pop("actors") * recommendations)
    tally.counts = {status: count for status, count in figures.items() if count}
    return tally


def with_progress(paragraphs):
    """Annotate each paragraph with `progress` (0–100, None if no one reported) and `reported`."""
    statuses = (
        ImplementationStatus.objects.filter(paragraph=OuterRef("pk"), actor__kind__in=REPORTING_KINDS)
        .order_by()
        .values("paragraph")
    )
    weight = Case(*(When(status=s.value, then=Value(100 * w)) for s, w in WEIGHTS.items()), output_field=FloatField())
    return paragraphs.annotate(
        progress=Subquery(statuses.annotate(value=Avg(weight)).values("value")),
        reported=Coalesce(Subquery(statuses.annotate(count=Count("pk")).values("count")), 0),
    )
