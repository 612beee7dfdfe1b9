from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.operations.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Save the database and the uploaded files in one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("backups"), help="Folder for the archive.")

    def handle(self, *args, output: Path, **options):
        try:
            archive = create_backup(destination=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
