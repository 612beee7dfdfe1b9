"""Stakeholder groups get members, each entered by the secretariat with its source.

"All States" and "International organisations" hold their members by rule and get no rows.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0008_evidence_links_of_revisions_as_rows'),
    ]

    operations = [
        migrations.CreateModel(
            name='GroupMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='What shows that the actor belongs to the group.', max_length=500)),
                ('group', models.ForeignKey(limit_choices_to={'kind': 'stakeholder_group'}, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='recommendations.actor')),
                ('member', models.ForeignKey(limit_choices_to=models.Q(('kind', 'stakeholder_group'), _negated=True), on_delete=django.db.models.deletion.CASCADE, related_name='group_memberships', to='recommendations.actor')),
            ],
            options={
                'ordering': ['group', 'member'],
                'constraints': [models.UniqueConstraint(fields=('group', 'member'), name='group_membership_unique'), models.CheckConstraint(condition=models.Q(('source', ''), _negated=True), name='group_membership_has_source'), models.CheckConstraint(condition=models.Q(('group', models.F('member')), _negated=True), name='group_membership_not_itself')],
            },
        ),
    ]
