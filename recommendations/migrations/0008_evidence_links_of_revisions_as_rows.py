"""A revision's evidence links become rows of EvidenceLink, as an action's are.

Each link now belongs to an action or to a revision (exactly one of the two), unique by
address within it. The links a revision held in its JSON field `evidence_links`
([{url, label}]) are copied into rows, then the field goes; the revisions' history
(HistoricalActionRevision) loses it too and does not get it back when migrating back.
An address a revision listed twice is kept once, with its first label: the unique
constraint would refuse the second, as approving such a revision already did.
"""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models


def links_to_rows(apps, schema_editor):
    ActionRevision = apps.get_model("recommendations", "ActionRevision")
    EvidenceLink = apps.get_model("recommendations", "EvidenceLink")
    rows = []
    for revision_id, links in ActionRevision.objects.order_by("pk").values_list("pk", "evidence_links").iterator():
        listed = set()
        for link in links:
            if link["url"] not in listed:
                listed.add(link["url"])
                rows.append(EvidenceLink(revision_id=revision_id, url=link["url"], label=link.get("label", "")))
    EvidenceLink.objects.bulk_create(rows, batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        # The new column's index and foreign key are created at the end of the migration, and
        # PostgreSQL refuses to change a table while the checks of rows just written wait there.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def rows_to_links(apps, schema_editor):
    ActionRevision = apps.get_model("recommendations", "ActionRevision")
    EvidenceLink = apps.get_model("recommendations", "EvidenceLink")
    of_revisions = EvidenceLink.objects.filter(revision__isnull=False)
    links = defaultdict(list)
    for revision_id, url, label in of_revisions.order_by("pk").values_list("revision_id", "url", "label").iterator():
        links[revision_id].append({"url": url, "label": label})
    for revision_id, revision_links in links.items():
        ActionRevision.objects.filter(pk=revision_id).update(evidence_links=revision_links)
    # Before this migration a link needs an action: rows of revisions cannot stay.
    of_revisions.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0007_action_words_for_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='evidencelink',
            name='revision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evidence_links', to='recommendations.actionrevision'),
        ),
        migrations.AlterField(
            model_name='evidencelink',
            name='action',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evidence_links', to='recommendations.followupaction'),
        ),
        migrations.AddConstraint(
            model_name='evidencelink',
            constraint=models.UniqueConstraint(fields=('revision', 'url'), name='evidence_link_unique_per_revision'),
        ),
        migrations.AddConstraint(
            model_name='evidencelink',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('action__isnull', False), ('revision__isnull', True)), models.Q(('action__isnull', True), ('revision__isnull', False)), _connector='OR'), name='evidence_link_of_action_or_revision'),
        ),
        migrations.RunPython(links_to_rows, rows_to_links, elidable=False),
        migrations.RemoveField(
            model_name='actionrevision',
            name='evidence_links',
        ),
        migrations.RemoveField(
            model_name='historicalactionrevision',
            name='evidence_links',
        ),
    ]
