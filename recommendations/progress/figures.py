"""Progress figures for the public pages, read from the implementation-status table.

`ImplementationStatus` holds one row per (actor, recommendation) with information and is kept
current by `services.refresh_implementation_statuses` on every write to actions. Its size is
bounded by actors × recommendations, never by the number of actions, so the roll-ups below read
it whole in one query and stay as fast at a million actions as at ten.

The roll-up rule (shown on the "About the data" page and in the README): each status has a
weight; a *cell* is one reporting actor and one recommendation, counted when the recommendation
is addressed to the actor (by name or through a group it belongs to) or when the actor has
reported on it. The progress of any set of cells (a recommendation's, a theme's, a kind's, an
actor's, the overall) is the mean weight of its reported cells, pooled: every figure is
`Tally.progress` over its cells, so that the same cells give the same figure on every page.
Cells with no information provided count in the coverage beside the figure, never as zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, FloatField, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import Actor, ImplementationStatus, Paragraph, Status
from .history import TODAY, Reading, statuses_on

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

    cells: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, status: str) -> None:
        """Count one more cell, with its status or "" for no information provided."""
        self.cells += 1
        if status:
            self.counts[status] = self.counts.get(status, 0) + 1

    @property
    def reported(self) -> int:
        return sum(self.counts.values())

    @property
    def no_information(self) -> int:
        return self.cells - self.reported

    @property
    def progress(self) -> float | None:
        """The rule: mean weight of the reported cells, 0–100; None when nothing is reported."""
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


def tally(statuses: Iterable[str]) -> Tally:
    """The tally of a set of cells, given as their statuses ("" for no information provided)."""
    result = Tally()
    for status in statuses:
        result.add(status)
    return result


@dataclass
class Group:
    """A theme, an actor or an actor kind, with its figures."""

    key: object
    label: str
    tally: Tally


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

    def rows(self) -> list[tuple[Group, list[tuple[Paragraph, str | None]]]]:
        """The matrix: each actor's figures with its status on every recommendation.

        A cell's status is "" for no information provided, and None where the recommendation
        neither addresses the actor nor has its report.
        """
        return [
            (group, [(p, self.cells.get((group.key.pk, p.pk))) for p in self.recommendations])
            for group in self.by_actor
        ]


def reporting_actors():
    return Actor.objects.filter(kind__in=REPORTING_KINDS).order_by("kind", "short_name")


def cells(paragraph_ids: list[int], actors: list[Actor], reading: Reading = TODAY) -> dict[tuple[int, int], str]:
    """The cells of `actors` on the recommendations, with their status or "", in three queries.

    Every addressed pair is a cell (two queries, see `Paragraph.objects.addressed_pairs`), and
    so is every pair with a status (one query of the implementation-status table, or on a past
    date of the status milestones, both bounded by actors × recommendations, never by the
    actions). The actors and addressees are today's on any date.
    """
    found = dict.fromkeys(Paragraph.objects.addressed_pairs(paragraph_ids, actors), "")
    actor_ids = {actor.pk for actor in actors}
    kinds = {actor.kind for actor in actors}
    if reading.is_today:
        rows = ImplementationStatus.objects.filter(paragraph_id__in=paragraph_ids, actor__kind__in=kinds)
        # In any order: the model's would join the paragraphs, their meetings and the actors to sort.
        statuses = rows.order_by().values_list("actor_id", "paragraph_id", "status")
    else:
        statuses = ((a, p, status) for (a, p), status in statuses_on(reading, paragraph_ids, kinds).items())
    for actor_id, paragraph_id, status in statuses:
        if actor_id in actor_ids:
            found[actor_id, paragraph_id] = status
    return found


def dashboard(reading: Reading = TODAY) -> Dashboard:
    """Every figure the dashboard shows, on the reading's date, in five queries (recommendations, actors, cells)."""
    recommendations = list(Paragraph.objects.tracked().select_related("meeting", "theme").order_by("meeting", "number"))
    for paragraph in recommendations:
        paragraph.url = paragraph.get_absolute_url()
    actors = list(reporting_actors())
    found = cells([paragraph.pk for paragraph in recommendations], actors, reading)
    by_recommendation = {paragraph.pk: Tally() for paragraph in recommendations}
    by_actor = {actor.pk: Tally() for actor in actors}
    by_kind = {kind: Tally() for kind in REPORTING_KINDS if any(actor.kind == kind for actor in actors)}
    theme_of = {paragraph.pk: paragraph.theme for paragraph in recommendations}
    by_theme = {theme: Tally() for theme in theme_of.values()}
    kind_of = {actor.pk: actor.kind for actor in actors}
    overall = Tally()
    for (actor_id, paragraph_id), status in found.items():
        for figure in (
            overall,
            by_recommendation[paragraph_id],
            by_actor[actor_id],
            by_kind[kind_of[actor_id]],
            by_theme[theme_of[paragraph_id]],
        ):
            figure.add(status)
    return Dashboard(
        recommendations=recommendations,
        actors=actors,
        cells=found,
        by_recommendation=by_recommendation,
        overall=Group("all", "All recommendations", overall),
        themes=[Group(theme, str(theme) if theme else "Without a theme", t) for theme, t in by_theme.items()],
        kinds=[Group(kind, kind.label, t) for kind, t in by_kind.items()],
        by_actor=[Group(actor, actor.short_name, by_actor[actor.pk]) for actor in actors],
    )


def regional_tallies(
    paragraph_ids: list[int], actors: list[Actor] | None = None, reading: Reading = TODAY
) -> dict[int, Tally]:
    """Each recommendation's tally over the reporting actors among `actors`, in three queries.

    `actors` may hold groups, which are left out; without it the reporting actors are read too.
    """
    reporting = reporting_actors() if actors is None else [a for a in actors if a.kind in REPORTING_KINDS]
    tallies = {paragraph_id: Tally() for paragraph_id in paragraph_ids}
    for (_, paragraph_id), status in cells(paragraph_ids, list(reporting), reading).items():
        tallies[paragraph_id].add(status)
    return tallies


@dataclass
class ActorFigures:
    """An actor's status on every recommendation, its tally and its kind's, as on the dashboard."""

    rows: list[tuple[Paragraph, str | None]]
    own: Tally
    kind: Tally


def actor_figures(actor: Actor, recommendations: list[Paragraph], reading: Reading = TODAY) -> ActorFigures:
    """The actor's cells and all the cells of its kind, in four queries (actors of the kind, cells)."""
    peers = list(Actor.objects.filter(kind=actor.kind))
    found = cells([paragraph.pk for paragraph in recommendations], peers, reading)
    own = {paragraph_id: status for (actor_id, paragraph_id), status in found.items() if actor_id == actor.pk}
    return ActorFigures(
        rows=[(paragraph, own.get(paragraph.pk)) for paragraph in recommendations],
        own=tally(own.values()),
        kind=tally(found.values()),
    )


def with_progress(paragraphs, reading: Reading = TODAY):
    """Give each paragraph `progress` (0–100, None if no one reported) and `reported`, to sort by.

    The same rule as `Tally.progress` over a recommendation's reported cells, in SQL so that the
    list can sort by it; as aliases, which a query computes only when it sorts or filters by
    them. On a past date the tallies are counted first (a fixed number of queries over every
    paragraph) and given to SQL as values, for the same sorting.
    """
    if not reading.is_today:
        tallies = regional_tallies(list(Paragraph.objects.values_list("pk", flat=True)), reading=reading)
        return paragraphs.alias(
            progress=_by_paragraph({pk: t.progress for pk, t in tallies.items()}, None, FloatField()),
            reported=_by_paragraph({pk: t.reported for pk, t in tallies.items()}, 0, IntegerField()),
        )
    statuses = (
        ImplementationStatus.objects.filter(paragraph=OuterRef("pk"), actor__kind__in=REPORTING_KINDS)
        .order_by()
        .values("paragraph")
    )
    weight = Case(*(When(status=s.value, then=Value(100 * w)) for s, w in WEIGHTS.items()), output_field=FloatField())
    return paragraphs.alias(
        progress=Subquery(statuses.annotate(value=Avg(weight)).values("value")),
        reported=Coalesce(Subquery(statuses.annotate(count=Count("pk")).values("count")), 0),
    )


def _by_paragraph(values: dict[int, object], default, field):
    """An expression giving each paragraph its value, in SQL."""
    whens = [When(pk=pk, then=Value(value)) for pk, value in values.items() if value != default]
    return Case(*whens, default=Value(default), output_field=field) if whens else Value(default, output_field=field)
