import datetime

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .audit import client_address, log_event
from .models import SignInFailure

LOCKED = "Too many failed sign-ins for this username. Try again after %(time)s UTC."


class LockoutMixin:
    """Refuse a username that too many failures have locked, before its password is checked.

    The message is the same whether or not the username exists.
    """

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        ends = SignInFailure.objects.lockout_ends(username=username, address=client_address(self.request))
        if ends is not None:
            log_event("sign-in refused: locked out", request=self.request, user=username, target=self.request.path)
            raise ValidationError(
                LOCKED, code="locked", params={"time": f"{ends.astimezone(datetime.timezone.utc):%H:%M}"}
            )
        return super().clean()


class AdminSignInForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), with the lockout."""
