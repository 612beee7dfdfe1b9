from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from recommendations.reporting.notices import send_digest


class Command(BaseCommand):
    help = (
        "Email the secretariat one digest of the actions and updates submitted since the last digest that still "
        "wait for review (with DJANGO_REVIEW_NOTICES=hourly). Run it hourly from cron; no submission is told "
        "twice. Exits with an error when the digest could not be sent (logged); the next run sends it."
    )

    def handle(self, *args, **options):
        if settings.REVIEW_NOTICES != "hourly":
            self.stdout.write("DJANGO_REVIEW_NOTICES is not hourly: each submission is mailed as it arrives.")
        try:
            listed = send_digest()
        except OSError as error:
            raise CommandError(f"The review digest could not be sent ({error}); the next run tries again.") from error
        for notice in listed:
            self.stdout.write(f"{notice.action.actor.code}: {notice.content.title}")
        self.stdout.write(f"Told the secretariat of {len(listed)} submission(s).")
