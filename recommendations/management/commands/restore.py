from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.operations.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive: Path, interactive: bool, **options):
        if interactive:
            answer = input(f"This replaces the database and every uploaded file with {archive}. Type 'yes': ")
            if answer != "yes":
                raise CommandError("Nothing was restored.")
        try:
            manifest = restore_backup(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {len(manifest['files'])} files from {archive}"))
