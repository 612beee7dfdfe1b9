import time

from django.core.management.base import BaseCommand, CommandError

from recommendations.models import Paragraph
from recommendations.operations.demo import DemoDataInUse, generate_demo_data, remove_demo_data


class Command(BaseCommand):
    help = (
        "Replace the demo data with N demo Asia-Pacific governments (then demo organisations) and M published "
        "demo actions, all marked as demo; --remove deletes every demo record and changes nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=12, help="Number of demo actors (default 12).")
        parser.add_argument("--actions", type=int, default=300, help="Number of demo actions (default 300).")
        parser.add_argument("--seed", type=int, default=2006, help="Random seed, for the same data every time.")
        parser.add_argument("--remove", action="store_true", help="Delete every demo record instead.")

    def handle(self, *args, **options):
        try:
            self.replace(**options)
        except DemoDataInUse as error:
            raise CommandError(str(error)) from None

    def replace(self, *, actors: int, actions: int, seed: int, remove: bool, **options):
        started = time.monotonic()
        if remove:
            removed = remove_demo_data()
            self.stdout.write(f"Removed the demo data ({removed} demo actions).")
            return
        if actors < 1 or actions < 0:
            raise CommandError("--actors must be at least 1 and --actions at least 0.")
        if not Paragraph.objects.tracked().exists():
            raise CommandError("There are no tracked recommendations yet: load the workshop first (load_workshop).")
        result = generate_demo_data(actors=actors, actions=actions, seed=seed)
        self.stdout.write(
            f"Created {result.actors} demo actors and {result.actions} demo actions "
            f"in {time.monotonic() - started:.1f} s. Remove them with: manage.py generate_demo_data --remove"
        )
