from django.core.management.base import BaseCommand
from django.db import transaction

from recommendations.models import DataPart
from recommendations.progress.freshness import figures_changed
from recommendations.progress.history import rebuild_milestones


class Command(BaseCommand):
    help = "Recount every status milestone (each pair's statuses on past dates) from the actions and their history."

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = rebuild_milestones()
            if changed:
                # The pages on past dates and the charts read the milestones.
                figures_changed({DataPart.MILESTONES})
        self.stdout.write(f"{changed} status milestones written or removed.")
