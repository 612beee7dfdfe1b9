"""Backups restore: every table's rows and every uploaded file come back exactly."""

import datetime
import hashlib
import io
import tarfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations.models import Actor, DataPart, DataVersion, FollowUpAction, Paragraph, StatusMilestone
from recommendations.progress.freshness import figures_generation
from recommendations.progress.history import recount_milestones, stored_milestones
from recommendations.progress.statuses import refresh_implementation_statuses, status_pairs


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence" / "THA").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "THA" / "act-2008.pdf").write_bytes(b"%PDF-1.4 anti-trafficking act\n")
    (settings.MEDIA_ROOT / "evidence" / "MOU Thai–Lao.docx").write_bytes(bytes(range(256)) * 64)
    return settings.MEDIA_ROOT


def every_row():
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed
    }


def every_file(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def populated(transactional_db, media, django_user_model):
    call_command("load_workshop", verbosity=0)
    user = django_user_model.objects.create_user("somchai", password="x" * 20)
    action = FollowUpAction(
        actor=Actor.objects.get(code="THA"),
        title="Anti-Trafficking in Persons Act B.E. 2551",
        status="completed",
        status_as_of=datetime.date(2008, 6, 5),
        created_by=user,
    )
    action.publish()
    action.save()
    action.recommendations.add(Paragraph.objects.get(number=16))
    action.partners.add(Actor.objects.get(code="VNM"))
    refresh_implementation_statuses(status_pairs(action))
    return action


def test_a_backup_restores_every_table_and_every_file(populated, media, tmp_path):
    rows, files = every_row(), every_file(media)
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("apc-tracker-*.tar.gz"))
    assert str(archive) in out.getvalue()

    FollowUpAction.objects.all().delete()
    Paragraph.objects.filter(number=4).update(is_tracked=True, text="Changed after the backup.")
    Actor.objects.create(code="LAO", name="Lao People's Democratic Republic", short_name="Laos", kind="government")
    (media / "evidence" / "THA" / "act-2008.pdf").write_bytes(b"overwritten")
    (media / "later.txt").write_text("added after the backup")
    assert every_row() != rows and every_file(media) != files

    version = DataVersion.objects.current()
    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())
    restored = every_row()
    # The data changed back, so its version moves on: a reuser holding the later data's ETag
    # must not be told it is still current.
    assert restored.pop("recommendations.DataVersion") != rows.pop("recommendations.DataVersion")
    assert DataVersion.objects.current().generation != version.generation
    # And so does the whole's, that every page that shows only some parts of the data depends on.
    whole = DataPart.objects.get(name=DataPart.WHOLE)
    assert (DataPart.WHOLE, whole.generation, whole.changed_at) not in rows.pop("recommendations.DataPart")
    restored.pop("recommendations.DataPart")
    assert restored == rows
    assert every_file(media) == files
    assert timezone.is_aware(FollowUpAction.objects.get().published_at)


def test_a_damaged_archive_restores_nothing(populated, media, tmp_path):
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    archive = next(tmp_path.glob("apc-tracker-*.tar.gz"))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith(".pdf"):
                data = data.replace(b"anti", b"ANTI")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    Paragraph.objects.filter(number=4).update(is_tracked=True)
    rows, files = every_row(), every_file(media)
    with pytest.raises(CommandError, match=r"evidence/THA/act-2008.pdf is missing or damaged; nothing was restored"):
        call_command("restore", str(damaged), "--noinput")
    assert every_row() == rows and every_file(media) == files


def test_a_file_that_is_not_a_backup_is_refused(transactional_db, tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("not an archive")
    with pytest.raises(CommandError, match="is not an APC Tracker backup"):
        call_command("restore", str(bogus), "--noinput")


def test_restore_asks_before_replacing_everything(transactional_db, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(tmp_path / "any.tar.gz"))


def test_a_restore_makes_the_cached_public_figures_stale(populated, tmp_path):
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    before = figures_generation()
    call_command("restore", str(next(tmp_path.glob("apc-tracker-*.tar.gz"))), "--noinput", stdout=io.StringIO())
    assert figures_generation() != before


def test_a_restore_brings_back_the_status_milestones_as_a_recount_gives_them(populated, media, tmp_path):
    call_command("backup", "--output", str(tmp_path), stdout=io.StringIO())
    archive = next(tmp_path.glob("apc-tracker-*.tar.gz"))
    before = recount_milestones()
    FollowUpAction.objects.all().delete()
    StatusMilestone.objects.all().delete()
    call_command("restore", str(archive), "--noinput", stdout=io.StringIO())
    assert stored_milestones() == recount_milestones() == before
    assert before
