"""Demonstration data: Asia-Pacific governments and plausible follow-up, marked as demo everywhere.

The follow-up is spread over the years since the workshop: actions published from 2006 to
today, some reported years after the date their status holds as of, and some revised over the
years (planned, then in progress, then completed), their earlier versions in their history,
so that the statuses on a past date differ in each reading and from today's.

Demo records carry `is_demo`, are reported only by demo actors, and go with one command
(`generate_demo_data --remove`). Large volumes are written with COPY on PostgreSQL and with
batched inserts elsewhere, so a million actions take minutes, not hours.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, ProtectedError, Q
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
from ..progress.freshness import figures_changed
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


class DemoDataInUse(Exception):
    """Records that are not demo data refer to demo actors, which then cannot be removed."""


@transaction.atomic
def remove_demo_data() -> int:
    """Delete every demo record and recompute the statuses the demo actions counted towards.

    Raises DemoDataInUse, having changed nothing, while records that are not demo data (a focal
    point, an action reported by a demo actor) refer to a demo actor."""
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
    FollowUpAction.history.filter(id__in=demo.values("pk")).delete()
    # Without dependents left, delete the actions in one statement rather than loading each.
    demo._raw_delete(demo.db)
    try:
        Actor.objects.filter(is_demo=True).delete()
    except ProtectedError as error:
        raise DemoDataInUse(_in_use(error.protected_objects)) from None
    refresh_implementation_statuses(real_pairs)
    return removed


def _in_use(records) -> str:
    counts = Counter(str(record._meta.verbose_name_plural) for record in records)
    found = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items()))
    return (
        f"The demo data cannot be removed: records that are not demo data refer to demo actors ({found}). "
        "Delete them, or move them to actors that are not demo data, first; nothing was changed."
    )


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

    def rank(self, actor: Actor, paragraph: Paragraph, elapsed: float) -> int:
        """The rank of the status of an action `elapsed` (0–1) of the way from the workshop to today."""
        key = (actor.pk, paragraph.pk)
        if key not in self.final:
            self.final[key] = self.rng.choices(_RANKS, weights=FINAL_STATUS_WEIGHTS)[0]
        final = self.final[key]
        if final == 0:
            return 0
        step = 1 + int(elapsed * final * 1.3 + self.rng.random())
        return min(final, step)


# Read once: the statuses' list is built afresh on every access.
_STATUS_VALUES = Status.values
_RANKS = range(len(_STATUS_VALUES))


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


# Shares of demo actions revised later (their earlier versions kept in the history) and
# reported late, well after the date their status holds as of.
REVISED_SHARE = 0.35
LATE_SHARE = 0.1


def _rows(
    rng: random.Random, count: int, first_id: int, actors: list[Actor], paragraphs: list[Paragraph]
) -> Iterator[tuple[dict, list[tuple], list[tuple], list[dict]]]:
    """Each demo action's row, its links to recommendations and partners, and its published versions if revised.

    An action is first published some days after the date its status holds as of (years later
    for some, reported late); a share of them are revised later, each revision moving the status
    on (planned, then in progress, then completed) as of a later date, so that the statuses
    change over the years and a date in the past reads differently from today.
    """
    plan = _Plan(rng, actors, paragraphs)
    defaults = _column_defaults(FollowUpAction)
    history_defaults = _column_defaults(FollowUpAction.history.model)
    history_columns = {f.attname for f in FollowUpAction.history.model._meta.concrete_fields if not f.primary_key}
    now = timezone.now()
    today = timezone.localdate()
    span = (today - FIRST_DAY).days
    for action_id in range(first_id, first_id + count):
        actor = rng.choice(actors)
        covered = plan.covered[actor.pk]
        answers = rng.sample(covered, 2 if rng.random() < 0.3 and len(covered) > 1 else 1)
        theme = answers[0].theme.position if answers[0].theme else 6
        versions = _versions(rng, plan, actor, answers[0], span, today, now)
        status, as_of, published = versions[-1]
        first_published = versions[0][2]
        action = {
            **defaults,
            "id": action_id,
            "actor_id": actor.pk,
            "title": f"{rng.choice(TITLES.get(theme, TITLES[6]))} — {actor.short_name}",
            "description": DESCRIPTION,
            "status": status,
            "status_as_of": as_of,
            "status_source": "Demo data",
            "start_date": versions[0][1],
            "responsible_agency": rng.choice(AGENCIES),
            "state": FollowUpAction.State.PUBLISHED.value,
            "published_at": first_published,
            "version": len(versions),
            "is_demo": True,
            "created_at": first_published,
            # The current content has been public since its last publication.
            "updated_at": published,
        }
        history = [
            {
                **history_defaults,
                **{name: value for name, value in action.items() if name in history_columns},
                "status": old_status,
                "status_as_of": old_as_of,
                "version": number,
                "history_date": old_published,
                "history_type": "+" if number == 1 else "~",
                "history_change_reason": "Published" if number == 1 else "Demo revision published",
            }
            for number, (old_status, old_as_of, old_published) in enumerate(versions, start=1)
            # An action never revised needs no history: its row says all, as before.
            if len(versions) > 1
        ]
        links = [(action_id, paragraph.pk) for paragraph in answers]
        partner = rng.choice(actors) if rng.random() < 0.08 else actor
        partners = [(action_id, partner.pk)] if partner.pk != actor.pk else []
        yield action, links, partners, history


def _versions(rng: random.Random, plan: _Plan, actor: Actor, paragraph: Paragraph, span: int, today, now):
    """An action's published versions, oldest first: (status, as of, published at), each further on than the last."""
    offset = rng.randrange(span)
    revisions = 0 if rng.random() >= REVISED_SHARE else rng.choice((1, 1, 2))
    versions, rank = [], 0
    for _ in range(revisions + 1):
        as_of = FIRST_DAY + datetime.timedelta(days=offset)
        rank = max(plan.rank(actor, paragraph, offset / span), rank)
        delay = rng.randrange(365, 4 * 365) if not versions and rng.random() < LATE_SHARE else rng.randrange(1, 30)
        published = datetime.datetime.combine(as_of, datetime.time(9), tzinfo=datetime.UTC)
        # A revision comes out days after the version it replaces, however late that one was reported.
        published = max(published, versions[-1][2] if versions else published) + datetime.timedelta(days=delay)
        if published > now:
            # A revision that would come out after today has not come out yet; a first report is out by now.
            if versions:
                break
            published = now
        versions.append((_STATUS_VALUES[rank], as_of, published))
        remaining = span - offset
        if remaining < 60:
            break
        offset += rng.randrange(30, max(31, min(remaining, 5 * 365)))
        offset = min(offset, span - 1)
    return versions


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
    # Past every number an action ever had, so that no demo action takes on a deleted one's history.
    first_id = 1 + max(
        FollowUpAction.objects.aggregate(last=Max("pk"))["last"] or 0,
        FollowUpAction.history.aggregate(last=Max("id"))["last"] or 0,
    )
    rows = _rows(rng, actions, first_id, demo_actors, paragraphs)
    # In blocks, so that memory stays flat whatever the volume.
    history = FollowUpAction.history.model
    while block := list(itertools.islice(rows, BLOCK)):
        _write(FollowUpAction, list(block[0][0]), (tuple(action.values()) for action, _, _, _ in block))
        _write(
            ActionRecommendation, ["action_id", "paragraph_id"], (link for _, links, _, _ in block for link in links)
        )
        _write(ActionPartner, ["action_id", "actor_id"], (pair for _, _, partners, _ in block for pair in partners))
        if versions := [version for _, _, _, earlier in block for version in earlier]:
            _write(history, list(versions[0]), (tuple(version.values()) for version in versions))
    _reset_sequence(FollowUpAction)
    _reset_sequence(history)
    _analyze(FollowUpAction, ActionRecommendation, ActionPartner, history)
    for start in range(0, len(demo_actors), 5):
        chunk = demo_actors[start : start + 5]
        refresh_implementation_statuses({(actor.pk, paragraph.pk) for actor in chunk for paragraph in paragraphs})
    # The statuses, their milestones and the actors grew too: where autovacuum runs late, or not at
    # all, the pages' plans would otherwise be made for the tables as they were before.
    _analyze(Actor, ImplementationStatus, StatusMilestone, ImplementationStatus.history.model)
    # Written without the signals, published over the years, and the header's demo notice: every page.
    figures_changed()
    return DemoResult(len(demo_actors), actions)
