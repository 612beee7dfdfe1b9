import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.reporting.appointments import FocalPointError, add_focal_point

# The environment variable's name, not a password.
PASSWORD_VARIABLE = "DJANGO_FOCAL_POINT_PASSWORD"  # noqa: S105  # nosec B105


class Command(BaseCommand):
    help = (
        "Appoint a user as the focal point of one actor, creating the user if needed. The password "
        f"comes from {PASSWORD_VARIABLE} or a prompt, never from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("actor_code", help="The actor's code, e.g. THA or IOM.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, actor_code: str, email: str, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or None
        is_new = not get_user_model().objects.filter(username=username).exists()
        if password is None and is_new:
            if not sys.stdin.isatty():
                raise CommandError(f"{username} is a new user: set {PASSWORD_VARIABLE}, or run this in a terminal.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            appointment = add_focal_point(username=username, actor_code=actor_code, email=email, password=password)
        except FocalPointError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{appointment.user.username} is now the focal point of {appointment.actor.code}.")
        )
