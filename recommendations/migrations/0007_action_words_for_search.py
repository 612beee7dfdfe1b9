"""The words of each recommendation's published actions, kept by triggers on PostgreSQL.

`ActionWord` holds, per recommendation, each lexeme of its published actions' titles and
descriptions (`to_tsvector('english', …)`, the expression the search used to compute per action)
and how many of those actions use it. Statement-level triggers keep the counts on every write:
links between actions and recommendations added or removed, and actions whose state, title or
description change. They see every writer (the app, the admin, bulk COPY of demo data), and a
restore from pg_dump loads the rows before it creates the triggers. The search now reads these
rows, so the full-text index over every action (0006) goes. SQLite keeps searching the actions
with LIKE and has neither the triggers nor the rows.
"""

import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

ACTION_INDEX = GinIndex(SearchVector("title", "description", config="english"), name="action_search_idx")

WORDS = "unnest(to_tsvector('english', COALESCE(a.title, '') || ' ' || COALESCE(a.description, '')))"


def _apply(delta: str, touched: str) -> str:
    """Add the counts of `delta` (rows of paragraph_id, word, n); drop the words no action uses any more
    from the recommendations `touched` (a query of paragraph_id)."""
    return f"""
    WITH summed AS (
        SELECT paragraph_id, word, SUM(n) AS n FROM ({delta}) AS delta
        GROUP BY paragraph_id, word HAVING SUM(n) <> 0
    ), added AS (
        INSERT INTO recommendations_actionword (paragraph_id, word, actions)
        SELECT paragraph_id, word, n FROM summed WHERE n > 0
        ON CONFLICT (paragraph_id, word)
        DO UPDATE SET actions = recommendations_actionword.actions + EXCLUDED.actions
    )
    UPDATE recommendations_actionword AS kept SET actions = kept.actions + summed.n
    FROM summed WHERE summed.n < 0 AND kept.paragraph_id = summed.paragraph_id AND kept.word = summed.word;
    DELETE FROM recommendations_actionword
    WHERE actions = 0 AND paragraph_id IN ({touched});
    """


def _links(table: str, sign: int) -> str:
    return f"""
    SELECT l.paragraph_id, w.lexeme AS word, {sign} AS n
    FROM {table} AS l
    JOIN recommendations_followupaction AS a ON a.id = l.action_id
    CROSS JOIN LATERAL {WORDS} AS w
    WHERE a.state = 'published'
    """


def _content(table: str, other: str, sign: int) -> str:
    """Words of the published actions in `table` whose state or text differ from `other`'s row."""
    return f"""
    SELECT l.paragraph_id, w.lexeme AS word, {sign} AS n
    FROM {table} AS a
    JOIN {other} AS b ON b.id = a.id
    JOIN recommendations_actionrecommendation AS l ON l.action_id = a.id
    CROSS JOIN LATERAL {WORDS} AS w
    WHERE a.state = 'published'
      AND (a.state, a.title, a.description) IS DISTINCT FROM (b.state, b.title, b.description)
    """


def _function(name: str, body: str) -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
    {body}
    RETURN NULL;
    END $$;
    """


CREATE = [
    _function("apc_action_words_links_added", _apply(_links("added", 1), "SELECT paragraph_id FROM added")),
    _function("apc_action_words_links_removed", _apply(_links("removed", -1), "SELECT paragraph_id FROM removed")),
    _function(
        "apc_action_words_content_changed",
        _apply(
            f"{_content('after_rows', 'before_rows', 1)} UNION ALL {_content('before_rows', 'after_rows', -1)}",
            "SELECT l.paragraph_id FROM recommendations_actionrecommendation AS l "
            "WHERE l.action_id IN (SELECT id FROM after_rows)",
        ),
    ),
    """
    CREATE TRIGGER apc_action_words_links_added AFTER INSERT ON recommendations_actionrecommendation
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION apc_action_words_links_added();
    """,
    """
    CREATE TRIGGER apc_action_words_links_removed AFTER DELETE ON recommendations_actionrecommendation
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION apc_action_words_links_removed();
    """,
    """
    CREATE TRIGGER apc_action_words_content_changed AFTER UPDATE ON recommendations_followupaction
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION apc_action_words_content_changed();
    """,
    # The words of the actions published before this migration.
    _apply(_links("recommendations_actionrecommendation", 1), "SELECT id FROM recommendations_paragraph"),
]

DROP = [
    "DROP TRIGGER apc_action_words_content_changed ON recommendations_followupaction;",
    "DROP TRIGGER apc_action_words_links_removed ON recommendations_actionrecommendation;",
    "DROP TRIGGER apc_action_words_links_added ON recommendations_actionrecommendation;",
    "DROP FUNCTION apc_action_words_content_changed();",
    "DROP FUNCTION apc_action_words_links_removed();",
    "DROP FUNCTION apc_action_words_links_added();",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


def drop_action_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("recommendations", "FollowUpAction"), ACTION_INDEX)


def add_action_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("recommendations", "FollowUpAction"), ACTION_INDEX)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0006_action_search_index_on_postgresql")]

    operations = [
        migrations.CreateModel(
            name="ActionWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.TextField()),
                (
                    "actions",
                    models.PositiveIntegerField(help_text="Published actions on the recommendation that use the word."),
                ),
                (
                    "paragraph",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_words",
                        to="recommendations.paragraph",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("paragraph", "word"), name="action_word_unique")],
            },
        ),
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
        migrations.RunPython(drop_action_index, add_action_index, elidable=False),
    ]
