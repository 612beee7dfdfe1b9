"""A full-text index over action titles and descriptions, on PostgreSQL only.

The expression is the one the recommendations list searches with
(`SearchVector("title", "description", config="english")`); SQLite searches with LIKE instead.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("title", "description", config="english"), name="action_search_idx")


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("recommendations", "FollowUpAction"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("recommendations", "FollowUpAction"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0005_action_indexes_for_public_pages")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
