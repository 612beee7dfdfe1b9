from django.core.management.base import BaseCommand
from django.db import transaction

from recommendations.progress.freshness import figures_changed, pair_parts
from recommendations.progress.history import rebuild_milestones


class Command(BaseCommand):
    help = "Recount every status milestone (each pair's statuses on past dates) from the actions and their history."

    def handle(self, *args, **options):
        with transaction.atomic():
            moved = rebuild_milestones()
            if moved:
                # The pages on past dates and the charts read the milestones.
                figures_changed(pair_parts(set(), moved))
        self.stdout.write(f"The status milestones of {len(moved)} pairs of actor and recommendation were rewritten.")
