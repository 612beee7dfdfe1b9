"""Migration 0008 turns the links each revision held as JSON into EvidenceLink rows, and back.

The tests run on whichever database the suite runs on, SQLite or PostgreSQL (CI runs both).
They step back from the latest migration to 0007 rather than start from empty tables
(`apply_initial_migration`): that would run 0007 again, whose trigger functions outlive
the dropped tables on PostgreSQL.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

BEFORE = ("recommendations", "0007_action_words_for_search")
AFTER = ("recommendations", "0008_evidence_links_of_revisions_as_rows")

ACT = {"url": "https://example.org/act", "label": "The act"}
GAZETTE = {"url": "https://example.org/gazette"}
PLAN = {"url": "https://example.org/plan", "label": "The plan"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def before(migrator):
    """The models as of 0007, with an action, its link and three revisions holding links as JSON."""
    state = migrator.apply_tested_migration(BEFORE)
    model = state.apps.get_model
    thailand = model("recommendations", "Actor").objects.create(
        code="THA", name="Thailand", short_name="Thailand", kind="government"
    )
    content = {"title": "Labour act", "status": "planned", "status_as_of": datetime.date(2006, 6, 1)}
    action = model("recommendations", "FollowUpAction").objects.create(
        actor=thailand, state="published", published_at=timezone.now(), **content
    )
    model("recommendations", "EvidenceLink").objects.create(action=action, url=PLAN["url"], label=PLAN["label"])
    revisions = model("recommendations", "ActionRevision").objects
    return {
        "action": action.pk,
        "approved": revisions.create(action=action, state="published", evidence_links=[PLAN, PLAN], **content).pk,
        "unchanged": revisions.create(action=action, state="published", evidence_links=[], **content).pk,
        "open": revisions.create(action=action, state="submitted", evidence_links=[ACT, GAZETTE], **content).pk,
    }


def links(state, **owner) -> list[tuple[str, str]]:
    rows = state.apps.get_model("recommendations", "EvidenceLink").objects.filter(**owner).order_by("pk")
    return list(rows.values_list("url", "label"))


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_each_revisions_links_become_its_rows_in_order_and_the_json_goes(migrator, before):
    after = migrator.apply_tested_migration(AFTER)

    assert links(after, revision_id=before["open"]) == [(ACT["url"], ACT["label"]), (GAZETTE["url"], "")]
    # An address listed twice is kept once, as the unique constraint requires.
    assert links(after, revision_id=before["approved"]) == [(PLAN["url"], PLAN["label"])]
    assert links(after, revision_id=before["unchanged"]) == []
    assert links(after, action_id=before["action"], revision=None) == [(PLAN["url"], PLAN["label"])]
    assert len(links(after)) == 4
    assert "evidence_links" not in columns("recommendations_actionrevision")
    assert "evidence_links" not in columns("recommendations_historicalactionrevision")


def test_migrating_back_writes_the_rows_of_each_revision_into_its_json(migrator, before):
    migrator.apply_tested_migration(AFTER)
    again = migrator.apply_tested_migration(BEFORE)

    revisions = again.apps.get_model("recommendations", "ActionRevision").objects
    assert dict(revisions.values_list("pk", "evidence_links")) == {
        before["open"]: [ACT, {"url": GAZETTE["url"], "label": ""}],
        before["approved"]: [PLAN],
        before["unchanged"]: [],
    }
    assert links(again) == [(PLAN["url"], PLAN["label"])]
