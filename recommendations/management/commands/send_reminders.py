from django.core.management.base import BaseCommand, CommandError

from recommendations.reporting.rounds import send_reminders


class Command(BaseCommand):
    help = (
        "Email the focal points of actors that have not reported in an open reporting round, a week before "
        "its due date and weekly after it. Safe to run daily: nobody gets the same reminder twice. Exits with "
        "an error when a reminder could not be sent (each is logged); the next run tries it again."
    )

    def handle(self, *args, **options):
        run = send_reminders()
        for reminder in run.sent:
            kind = reminder.kind.replace("_", " ")
            self.stdout.write(f"{reminder.round}: {kind} reminder to {reminder.address} ({reminder.actor.code})")
        self.stdout.write(f"Sent {len(run.sent)} reminder(s).")
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} of {len(run.sent) + len(run.failed)} reminder(s) could not be sent "
                "(see the log); the next run tries them again."
            )
