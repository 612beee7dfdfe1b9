from django.core.management import call_command
from django.core.management.base import BaseCommand

from recommendations.documents.workshop import CODE, workshop_loaded


class Command(BaseCommand):
    help = (
        "Load the Bangkok 2006 workshop fixture unless the workshop is already in the database, "
        "so that edits made in the admin are never overwritten; --force loads it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even if the workshop is already there.")

    def handle(self, *args, force: bool, **options):
        if workshop_loaded() and not force:
            self.stdout.write(f"The {CODE} workshop is already loaded; nothing to do.")
            return
        call_command("loaddata", CODE, verbosity=options["verbosity"])
