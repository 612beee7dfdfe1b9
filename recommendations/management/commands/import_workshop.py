from django.core.management.base import BaseCommand

from recommendations.documents.workshop import build_workshop


class Command(BaseCommand):
    help = (
        "Import the Bangkok 2006 workshop from its source text and apply the project's reading of it "
        "(meeting details, actors, participation, addressees). `make fixture` saves the result."
    )

    def handle(self, *args, **options):
        result = build_workshop()
        self.stdout.write(self.style.SUCCESS(f"{result.summary()} Actors, participation and addressees applied."))
