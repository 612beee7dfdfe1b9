from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.documents.importer import import_outcomes
from recommendations.documents.reader import OutcomeDocumentError, decode


class Command(BaseCommand):
    help = (
        "Import a plain-text outcome document: its title line, headings and numbered paragraphs. "
        "Importing again updates the meeting in place; a document that cannot be read changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The document, as UTF-8 plain text.")
        parser.add_argument("--code", required=True, help="The meeting's stable code, e.g. bangkok-2006.")
        parser.add_argument("--title", help="The meeting's title (default: the document's title line).")

    def handle(self, *args, path: Path, code: str, title: str | None, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            result = import_outcomes(text=decode(data), code=code, title=title)
        except OutcomeDocumentError as error:
            raise CommandError(f"{path}, {error} Nothing was imported.") from None
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)} Nothing was imported.") from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"{path}, {warning}"))
        self.stdout.write(self.style.SUCCESS(result.summary()))
