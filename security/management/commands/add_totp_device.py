import io

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a secretariat account a second factor: prints a QR code and the key to enter in an "
        "authenticator app. Staff cannot reach the admin until they have one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="A name to tell the person's devices apart.")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username} is not staff: only the secretariat signs in to the admin.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        picture = io.StringIO()
        code.print_ascii(out=picture, invert=True)
        self.stdout.write(picture.getvalue())
        self.stdout.write(
            f"Scan the code above, or enter this key by hand: {device.config_url.split('secret=')[1].split('&')[0]}"
        )
        self.stdout.write(self.style.SUCCESS(f"{username} now signs in with a one-time code from '{name}'."))
