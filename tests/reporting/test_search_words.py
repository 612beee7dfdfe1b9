"""The words the recommendations list searches stay those of the published actions, on every write.

On PostgreSQL `ActionWord` is kept by database triggers; each test writes through the app's own
paths and compares the table with a count made from scratch over the published actions.
"""

import pytest
from django.db import connection

from recommendations.models import ActionWord, FollowUpAction, Paragraph
from recommendations.operations.demo import generate_demo_data, remove_demo_data
from recommendations.reporting import workflow

from .conftest import action_input

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches the actions themselves and keeps no words")


def recounted() -> dict[tuple[int, str], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.paragraph_id, w.lexeme, COUNT(*)
            FROM recommendations_actionrecommendation AS l
            JOIN recommendations_followupaction AS a ON a.id = l.action_id
            CROSS JOIN LATERAL unnest(to_tsvector('english', a.title || ' ' || a.description)) AS w
            WHERE a.state = 'published'
            GROUP BY 1, 2
            """
        )
        return {(paragraph, word): count for paragraph, word, count in cursor.fetchall()}


def misnamed() -> list[tuple[int, str]]:
    """The rows whose named action is not a published action on the recommendation using the word."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.paragraph_id, w.word FROM recommendations_actionword AS w
            WHERE NOT EXISTS (
                SELECT FROM recommendations_actionrecommendation AS l
                JOIN recommendations_followupaction AS a ON a.id = l.action_id
                WHERE l.paragraph_id = w.paragraph_id AND l.action_id = w.action_id AND a.state = 'published'
                  AND w.word = ANY(tsvector_to_array(to_tsvector('english', a.title || ' ' || a.description)))
            )
            """
        )
        return cursor.fetchall()


def kept() -> dict[tuple[int, str], int]:
    return {(row.paragraph_id, row.word): row.actions for row in ActionWord.objects.all()}


def words_of(paragraph: Paragraph) -> set[str]:
    return set(ActionWord.objects.filter(paragraph=paragraph).values_list("word", flat=True))


def test_drafts_and_submissions_add_no_words(thai_submitted, p15):
    assert words_of(p15) == set()
    assert kept() == recounted() == {}
    assert misnamed() == []


def test_publishing_adds_the_words_of_the_action(thai_published, p15):
    assert {"nation", "action", "plan", "labour", "migrat"} <= words_of(p15)
    assert kept() == recounted()
    assert misnamed() == []


def test_an_approved_revision_replaces_words_and_recommendations(thai_published, thai_focal_point, secretariat, p15):
    p16 = Paragraph.objects.get(meeting=p15.meeting, number=16)
    data = action_input([p16], title="Shelters for victims of trafficking")
    workflow.edit_action(action=thai_published, user=thai_focal_point, version=thai_published.version, data=data)
    thai_published.refresh_from_db()
    # Under review, the public keeps the published words.
    assert "labour" in words_of(p15) and words_of(p16) == set()
    workflow.submit(action=thai_published, user=thai_focal_point, version=thai_published.version)
    workflow.approve(action=thai_published, user=secretariat)
    assert words_of(p15) == set()
    assert {"shelter", "victim", "traffick"} <= words_of(p16) and "labour" not in words_of(p16)
    assert kept() == recounted()
    assert misnamed() == []


def test_two_actions_count_a_shared_word_until_one_goes(thai_published, thailand, thai_focal_point, secretariat, p15):
    other = workflow.create_action(
        actor=thailand, user=thai_focal_point, data=action_input([p15], title="Labour attachés abroad")
    )
    workflow.submit(action=other, user=thai_focal_point, version=other.version)
    workflow.approve(action=other, user=secretariat)
    assert ActionWord.objects.get(paragraph=p15, word="labour").actions == 2
    assert ActionWord.objects.get(paragraph=p15, word="labour").action == thai_published
    thai_published.delete()
    assert ActionWord.objects.get(paragraph=p15, word="labour").actions == 1
    assert ActionWord.objects.get(paragraph=p15, word="labour").action == other
    assert "plan" not in words_of(p15)
    assert kept() == recounted()
    assert misnamed() == []


def test_unpublishing_and_relinking_in_the_database(thai_published, p15):
    p16 = Paragraph.objects.get(meeting=p15.meeting, number=16)
    thai_published.recommendations.add(p16)
    assert words_of(p16) == words_of(p15)
    thai_published.recommendations.remove(p15)
    assert words_of(p15) == set()
    FollowUpAction.objects.filter(pk=thai_published.pk).update(state=FollowUpAction.State.RETURNED)
    assert kept() == recounted() == {}
    assert misnamed() == []


def test_bulk_demo_data_and_its_removal(workshop):
    generate_demo_data(actors=3, actions=400)
    assert kept() == recounted() != {}
    assert misnamed() == []
    remove_demo_data()
    assert kept() == recounted() == {}
    assert misnamed() == []
