import datetime

from django import forms
from django.core.exceptions import ValidationError
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class AdminSignInForm(LockoutMixin, OTPAdminAuthenticationForm):
    """The admin's sign-in form: staff only, a one-time code as well as the password, the lockout first."""

    otp_token = forms.CharField(
        label="One-time code",
        required=False,
        help_text="The six digits your authenticator app shows for APC Tracker.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "aria-describedby": "id_otp_token_helptext"}
        ),
    )

    def _chosen_device(self, user):
        # The form has no device menu: each secretariat account has its authenticator app.
        return super()._chosen_device(user) or TOTPDevice.objects.filter(user=user, confirmed=True).first()
