from django.core.management.base import BaseCommand

from recommendations.progress.history import rebuild_milestones


class Command(BaseCommand):
    help = "Recount every status milestone (each pair's statuses on past dates) from the actions and their history."

    def handle(self, *args, **options):
        changed = rebuild_milestones()
        self.stdout.write(f"{changed} status milestones written or removed.")
