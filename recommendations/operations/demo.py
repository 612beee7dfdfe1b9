"""Demonstration data: Asia-Pacific governments and plausible follow-up, marked as demo everywhere.

Demo records carry `is_demo`, are reported only by demo actors, and go with one command
(`generate_demo_data --remove`). Large volumes are written with COPY on PostgreSQL and with
batched inserts elsewhere, so a million actions take minutes, not hours.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..models import (
    ActionPartner,
    ActionRecommendation,
    Actor,
    FollowUpAction,
    ImplementationStatus,
    Paragraph,
    Status,
    StatusMilestone,
    government,
)
from ..progress.statuses import refresh_implementation_statuses

# ISO 3166-1 alpha-3 codes of Asia-Pacific members of UN ESCAP; `government` names them as the UN does.
ASIA_PACIFIC = [
    "AFG",
    "BGD",
    "BTN",
    "BRN",
    "KHM",
    "CHN",
    "FJI",
    "IND",
    "IDN",
    "IRN",
    "JPN",
    "KIR",
    "PRK",
    "KOR",
    "LAO",
    "MYS",
    "MDV",
    "MHL",
    "FSM",
    "MNG",
    "MMR",
    "NRU",
    "NPL",
    "NZL",
    "PAK",
    "PLW",
    "PNG",
    "PHL",
    "WSM",
    "SGP",
    "SLB",
    "LKA",
    "TLS",
    "TON",
    "TUV",
    "VUT",
    "AUS",
    "THA",
    "VNM",
]

# Plausible actions by theme position of the workshop's outcome document.
TITLES = {
    1: [
        "Inter-ministerial committee on migration policy",
        "National migration policy review",
        "Migration focal points in line ministries",
        "National migration data working group",
    ],
    2: [
        "Study of the development impact of labour migration",
        "Labour market needs assessment",
        "Return and reintegration programme for migrant workers",
        "Pre-departure orientation for migrant workers",
    ],
    3: [
        "Amendment of the anti-trafficking law",
        "Shelters and support for victims of trafficking",
        "Training of border officials on migrants' rights",
        "Information campaign on safe migration",
    ],
    4: [
        "Programme to lower remittance costs",
        "Diaspora engagement office",
        "Financial literacy training for migrants' families",
        "Study on remittances and rural development",
    ],
    5: [
        "Bilateral agreement on labour migration",
        "Regional training for immigration officers",
        "Exchange of good practice with neighbouring countries",
        "Joint information-sharing mechanism",
    ],
    6: ["National preparatory meeting for the High-level Dialogue", "Country statement for the High-level Dialogue"],
}
AGENCIES = [
    "Ministry of Foreign Affairs",
    "Ministry of Labour",
    "Department of Immigration",
    "National Statistics Office",
    "Ministry of Social Development",
    "Ministry of Interior",
]
DESCRIPTION = "Demonstration record, generated to show how the tracker works: not a real action."
FIRST_DAY = datetime.date(2006, 5, 1)
BATCH = 5000
BLOCK = 50_000


@dataclass
class DemoResult:
    actors: int
    actions: int


@transaction.atomic
def remove_demo_data() -> int:
    """Delete every demo record and recompute the statuses the demo actions counted towards."""
    demo = FollowUpAction.objects.filter(is_demo=True)
    real_pairs = set(
        ActionRecommendation.objects.filter(action__is_demo=True, action__actor__is_demo=False).values_list(
            "action__actor_id", "paragraph_id"
        )
    )
    removed = demo.count()
    ImplementationStatus.objects.filter(actor__is_demo=True).delete()
    StatusMilestone.objects.filter(Q(actor__is_demo=True) | Q(action__is_demo=True)).delete()
    for model in (ActionRecommendation, ActionPartner, FollowUpAction.evidence_links.field.model):
        model.objects.filter(action__is_demo=True).delete()
    # Without dependents left, delete the actions in one statement rather than loading each.
    demo._raw_delete(demo.db)
    Actor.objects.filter(is_demo=True).delete()
    refresh_implementation_statuses(real_pairs)
    return removed


def _demo_actors(count: int) -> list[Actor]:
    taken = set(Actor.objects.values_list("code", flat=True))
    actors = [government(code, is_demo=True) for code in ASIA_PACIFIC if code not in taken][:count]
    for n in range(1, count - len(actors) + 1):
        actors.append(
            Actor(
                code=f"DEMO-ORG-{n:03}",
                name=f"Demo organisation {n}",
                short_name=f"Demo organisation {n}",
                kind=Actor.Kind.INTERNATIONAL_ORGANISATION,
                description="Demonstration data",
                is_demo=True,
            )
        )
    return Actor.objects.bulk_create(actors)


# How far each demo actor gets on a recommendation it works on, as shares of the pairs.
FINAL_STATUS_WEIGHTS = [0.05, 0.1, 0.2, 0.3, 0.2, 0.15]


class _Plan:
    """Each demo actor works on some recommendations and gets so far on each of them, in steps."""

    def __init__(self, rng: random.Random, actors: list[Actor], paragraphs: list[Paragraph]):
        self.rng = rng
        self.covered = {
            actor.pk: rng.sample(paragraphs, max(1, round(len(paragraphs) * rng.uniform(0.3, 0.9)))) for actor in actors
        }
        self.final: dict[tuple[int, int], int] = {}

    def status(self, actor: Actor, paragraph: Paragraph, elapsed: float) -> str:
        """The status of an action `elapsed` (0–1) of the way from the workshop to today."""
        key = (actor.pk, paragraph.pk)
        if key not in self.final:
            self.final[key] = self.rng.choices(range(len(Status)), weights=FINAL_STATUS_WEIGHTS)[0]
        final = self.final[key]
        if final == 0:
            return Status.values[0]
        step = 1 + int(elapsed * final * 1.3 + self.rng.random())
        return Status.values[min(final, step)]


def _column_defaults(model) -> dict:
    """What the ORM would write for each column a bulk row leaves out: the field's default, else empty."""
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.generated:
            continue
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif field.empty_strings_allowed:
            defaults[field.attname] = ""
    return defaults


def _rows(
    rng: random.Random, count: int, first_id: int, actors: list[Actor], paragraphs: list[Paragraph]
) -> Iterator[tuple[dict, list[tuple], list[tuple]]]:
    plan = _Plan(rng, actors, paragraphs)
    defaults = _column_defaults(FollowUpAction)
    now = timezone.now()
    today = timezone.localdate()
    span = (today - FIRST_DAY).days
    for action_id in range(first_id, first_id + count):
        actor = rng.choice(actors)
        covered = plan.covered[actor.pk]
        answers = rng.sample(covered, 2 if rng.random() < 0.3 and len(covered) > 1 else 1)
        offset = rng.randrange(span)
        as_of = FIRST_DAY + datetime.timedelta(days=offset)
        published = datetime.datetime.combine(as_of, datetime.time(9), tzinfo=datetime.UTC)
        theme = answers[0].theme.position if answers[0].theme else 6
        action = {
            **defaults,
            "id": action_id,
            "actor_id": actor.pk,
            "title": f"{rng.choice(TITLES.get(theme, TITLES[6]))} — {actor.short_name}",
            "description": DESCRIPTION,
            "status": plan.status(actor, answers[0], offset / span),
            "status_as_of": as_of,
            "status_source": "Demo data",
            "start_date": as_of,
            "responsible_agency": rng.choice(AGENCIES),
            "state": FollowUpAction.State.PUBLISHED.value,
            "published_at": min(now, published + datetime.timedelta(days=rng.randrange(1, 30))),
            "is_demo": True,
            "created_at": now,
            "updated_at": now,
        }
        links = [(action_id, paragraph.pk) for paragraph in answers]
        partner = rng.choice(actors) if rng.random() < 0.08 else actor
        partners = [(action_id, partner.pk)] if partner.pk != actor.pk else []
        yield action, links, partners


def _write(model, columns: list[str], rows: Iterable[tuple]) -> None:
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Table and column names come from the models, never from input.
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _analyze(*models) -> None:
    """Refresh PostgreSQL's statistics after a bulk load, so that its plans fit the new volume."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _reset_sequence(model) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


@transaction.atomic
def generate_demo_data(*, actors: int, actions: int, seed: int = 2006) -> DemoResult:
    """Replace the demo data with `actors` demo actors and `actions` published demo actions."""
    remove_demo_data()
    # Demonstration data, reproducible from its seed: not a security use of randomness.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    demo_actors = _demo_actors(actors)
    paragraphs = list(Paragraph.objects.tracked().select_related("theme"))
    if not demo_actors or not paragraphs or not actions:
        return DemoResult(len(demo_actors), 0)
    first_id = (FollowUpAction.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    rows = _rows(rng, actions, first_id, demo_actors, paragraphs)
    # In blocks, so that memory stays flat whatever the volume.
    while block := list(itertools.islice(rows, BLOCK)):
        _write(FollowUpAction, list(block[0][0]), (tuple(action.values()) for action, _, _ in block))
        _write(ActionRecommendation, ["action_id", "paragraph_id"], (link for _, links, _ in block for link in links))
        _write(ActionPartner, ["action_id", "actor_id"], (pair for _, _, partners in block for pair in partners))
    _reset_sequence(FollowUpAction)
    _analyze(FollowUpAction, ActionRecommendation, ActionPartner)
    for start in range(0, len(demo_actors), 5):
        chunk = demo_actors[start : start + 5]
        refresh_implementation_statuses({(actor.pk, paragraph.pk) for actor in chunk for paragraph in paragraphs})
    return DemoResult(len(demo_actors), actions)
