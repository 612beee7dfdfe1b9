"""What the public site's search reads instead of the actions themselves."""

from __future__ import annotations

from django.db import models

from .documents import Paragraph
from .reporting import FollowUpAction


class ActionWord(models.Model):
    """A word of the published actions answering a recommendation, and how many of them use it.

    The recommendations list searches these instead of the actions themselves, so that a search
    reads a few rows per recommendation however many actions use the word. On PostgreSQL the
    rows are full-text lexemes (English configuration) of each action's title and description,
    kept by database triggers on every write to actions and to their recommendations (migration
    0007), with one of those actions named for the results' excerpts (0009); SQLite searches the
    actions directly and leaves this table empty.
    """

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="action_words")
    word = models.TextField()
    actions = models.PositiveIntegerField(help_text="Published actions on the recommendation that use the word.")
    # The triggers keep it naming an action that counts (migration 0009), and remove the row
    # before its last action goes.
    action = models.ForeignKey(
        FollowUpAction,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        help_text="A published action on the recommendation that uses the word.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paragraph", "word"], name="action_word_unique")]

    def __str__(self) -> str:
        return f"{self.word} ({self.actions})"
