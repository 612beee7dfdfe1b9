"""Each `ActionWord` row names one published action that uses the word, kept by the triggers.

The recommendations list shows, under a result found through its actions, an excerpt of one
such action. The row of a word typed names it, so the page reads one row per result and word
through the (paragraph, word) index instead of looking through the recommendation's actions.
The triggers of 0007 are replaced by ones that name the newest action adding a word, and
name another when the one named stops counting (its link removed, unpublished, or its text no
longer has the word). SQLite has neither the triggers nor the rows.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

words_0007 = importlib.import_module("recommendations.migrations.0007_action_words_for_search")

TEXT = "COALESCE(a.title, '') || ' ' || COALESCE(a.description, '')"
WORDS = f"unnest(to_tsvector('english', {TEXT}))"
USES_WORD = f"kept.word = ANY(tsvector_to_array(to_tsvector('english', {TEXT})))"


def _apply(delta: str, touched: str, *, renaming: bool) -> str:
    """Add the counts of `delta` (rows of paragraph_id, word, n, action_id); drop the words no action
    uses any more from the recommendations `touched` (a query of paragraph_id); when `renaming`,
    name another action for the words of those recommendations whose named action stopped counting."""
    rename = f"""
    UPDATE recommendations_actionword AS kept SET action_id = (
        SELECT a.id FROM recommendations_actionrecommendation AS l
        JOIN recommendations_followupaction AS a ON a.id = l.action_id
        WHERE l.paragraph_id = kept.paragraph_id AND a.state = 'published' AND {USES_WORD}
        LIMIT 1
    )
    WHERE kept.paragraph_id IN ({touched}) AND NOT EXISTS (
        SELECT FROM recommendations_actionrecommendation AS l
        JOIN recommendations_followupaction AS a ON a.id = l.action_id
        WHERE l.action_id = kept.action_id AND l.paragraph_id = kept.paragraph_id
          AND a.state = 'published' AND {USES_WORD}
    );
    """
    return f"""
    WITH summed AS (
        SELECT paragraph_id, word, SUM(n) AS n, MAX(action_id) FILTER (WHERE n > 0) AS action_id
        FROM ({delta}) AS delta
        GROUP BY paragraph_id, word HAVING SUM(n) <> 0
    ), added AS (
        INSERT INTO recommendations_actionword (paragraph_id, word, actions, action_id)
        SELECT paragraph_id, word, n, action_id FROM summed WHERE n > 0
        ON CONFLICT (paragraph_id, word)
        DO UPDATE SET actions = recommendations_actionword.actions + EXCLUDED.actions
    )
    UPDATE recommendations_actionword AS kept SET actions = kept.actions + summed.n
    FROM summed WHERE summed.n < 0 AND kept.paragraph_id = summed.paragraph_id AND kept.word = summed.word;
    DELETE FROM recommendations_actionword
    WHERE actions = 0 AND paragraph_id IN ({touched});
    {rename if renaming else ""}
    """


def _links(table: str, sign: int) -> str:
    return f"""
    SELECT l.paragraph_id, w.lexeme AS word, {sign} AS n, a.id AS action_id
    FROM {table} AS l
    JOIN recommendations_followupaction AS a ON a.id = l.action_id
    CROSS JOIN LATERAL {WORDS} AS w
    WHERE a.state = 'published'
    """


def _content(table: str, other: str, sign: int) -> str:
    """Words of the published actions in `table` whose state or text differ from `other`'s row."""
    return f"""
    SELECT l.paragraph_id, w.lexeme AS word, {sign} AS n, a.id AS action_id
    FROM {table} AS a
    JOIN {other} AS b ON b.id = a.id
    JOIN recommendations_actionrecommendation AS l ON l.action_id = a.id
    CROSS JOIN LATERAL {WORDS} AS w
    WHERE a.state = 'published'
      AND (a.state, a.title, a.description) IS DISTINCT FROM (b.state, b.title, b.description)
    """


FUNCTIONS = [
    words_0007._function(
        "apc_action_words_links_added",
        _apply(_links("added", 1), "SELECT paragraph_id FROM added", renaming=False),
    ),
    words_0007._function(
        "apc_action_words_links_removed",
        _apply(_links("removed", -1), "SELECT paragraph_id FROM removed", renaming=True),
    ),
    words_0007._function(
        "apc_action_words_content_changed",
        _apply(
            f"{_content('after_rows', 'before_rows', 1)} UNION ALL {_content('before_rows', 'after_rows', -1)}",
            "SELECT l.paragraph_id FROM recommendations_actionrecommendation AS l "
            "WHERE l.action_id IN (SELECT id FROM after_rows)",
            renaming=True,
        ),
    ),
]
TRIGGERS = words_0007.CREATE[3:6]
# The newest published action using each word of the rows there are.
NAME_ACTIONS = f"""
UPDATE recommendations_actionword AS kept SET action_id = named.action_id
FROM (
    SELECT DISTINCT ON (l.paragraph_id, w.lexeme) l.paragraph_id, w.lexeme AS word, a.id AS action_id
    FROM recommendations_actionrecommendation AS l
    JOIN recommendations_followupaction AS a ON a.id = l.action_id
    CROSS JOIN LATERAL {WORDS} AS w
    WHERE a.state = 'published'
    ORDER BY l.paragraph_id, w.lexeme, a.id DESC
) AS named
WHERE kept.paragraph_id = named.paragraph_id AND kept.word = named.word;
"""

FORWARD = [*words_0007.DROP, *FUNCTIONS, *TRIGGERS, NAME_ACTIONS]
BACKWARD = [*words_0007.DROP, *words_0007.CREATE[:6]]


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0009_stakeholder_group_members")]

    operations = [
        migrations.AddField(
            model_name="actionword",
            name="action",
            field=models.ForeignKey(
                help_text="A published action on the recommendation that uses the word.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="recommendations.followupaction",
            ),
        ),
        migrations.RunPython(words_0007._run(FORWARD), words_0007._run(BACKWARD), elidable=False),
    ]
