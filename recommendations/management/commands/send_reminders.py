from django.core.management.base import BaseCommand

from recommendations.reporting import send_reminders


class Command(BaseCommand):
    help = (
        "Email the focal points of actors that have not reported in an open reporting round, a week before "
        "its due date and weekly after it. Safe to run daily: nobody gets the same reminder twice."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        for reminder in sent:
            kind = reminder.kind.replace("_", " ")
            self.stdout.write(f"{reminder.round}: {kind} reminder to {reminder.address} ({reminder.actor.code})")
        self.stdout.write(f"Sent {len(sent)} reminder(s).")
