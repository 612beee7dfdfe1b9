"""Governments named from ISO 3166 take the names the United Nations writes.

A name is changed only while it is still the one ISO 3166 gave (the ISO name for `name`, its
common name for `short_name`), so names the secretariat has set stay; going back restores the
ISO names of those still named as the UN writes them.
"""

from django.db import migrations, models


def _names(code: str):
    """The country's ISO 3166 names and UN names, each as (name, short name); None if either is unknown."""
    import pycountry

    from recommendations.models.countries import un_names

    country, un = pycountry.countries.get(alpha_3=code), un_names(code)
    if country is None or un is None:
        return None
    return (country.name, getattr(country, "common_name", country.name)), (un.name, un.short_name)


def _rename(apps, *, forwards: bool) -> None:
    Actor = apps.get_model("recommendations", "Actor")
    for actor in Actor.objects.filter(kind="government"):
        names = _names(actor.code)
        if names is None:
            continue
        iso, un = names
        (old_name, old_short_name), (new_name, new_short_name) = (iso, un) if forwards else (un, iso)
        changed = []
        if actor.name == old_name:
            actor.name = new_name
            changed.append("name")
        if actor.short_name == old_short_name:
            actor.short_name = new_short_name
            changed.append("short_name")
        if changed:
            actor.save(update_fields=changed)


def forwards(apps, schema_editor):
    _rename(apps, forwards=True)


def backwards(apps, schema_editor):
    _rename(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_action_words_name_an_action"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actor",
            name="name",
            field=models.CharField(
                blank=True, help_text="For governments, the UN's formal name unless set.", max_length=300
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="short_name",
            field=models.CharField(
                blank=True, help_text='For governments, the UN\'s short name ("Viet Nam") unless set.', max_length=100
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
