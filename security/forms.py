import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import log_event
from .lockout import fold, lock_ends

# One message for every lock (of a username, of an address, of both), known username or not.
LOCKED = "Too many failed sign-ins. Try again after %(time)s UTC."


class LockoutMixin:
    """Refuse a sign-in that the limits lock, before its password is checked, saying until when.

    Axes's authentication backend would refuse it too, but only as a wrong password.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        ends = lock_ends(self.request, username)
        if ends is not None:
            request = self.request
            log_event("sign-in refused: locked out", request=request, user=fold(username), target=request.path)
            raise ValidationError(
                LOCKED, code="locked", params={"time": f"{ends.astimezone(datetime.timezone.utc):%H:%M}"}
            )
        return super().clean()


CODE_HELP = "The six digits your authenticator app shows for APC Tracker."


def one_time_code_field(label: str = "One-time code", help_text: str = CODE_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "aria-describedby": "id_otp_token_helptext"}
        ),
    )


class AuthenticatorAppMixin:
    """The sign-in forms have no device menu: each secretariat account has its authenticator app."""

    def _chosen_device(self, user):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class SignInForm(LockoutMixin, AuthenticatorAppMixin, OTPAuthenticationFormMixin, AuthenticationForm):
    """The site's sign-in form: the lockout first, then the password, then for staff a one-time code.

    Focal points have no authenticator app, so the code field says in its label that it is
    the secretariat's, and is optional. It stays on the page rather than behind a control
    that reveals it: the secretariat signs in in one step, screen readers announce the
    label and its help with the field, and a form sent back with an error needs no state
    to show it again.
    """

    otp_token = one_time_code_field(
        label="One-time code (secretariat only)",
        help_text="Focal points leave it empty. The secretariat enters the six digits its authenticator app "
        "shows for APC Tracker.",
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user.is_staff:
            self.clean_otp(user)
        return cleaned_data


class AdminSignInForm(LockoutMixin, AuthenticatorAppMixin, OTPAdminAuthenticationForm):
    """The admin's sign-in form: staff only, a one-time code as well as the password, the lockout first."""

    otp_token = one_time_code_field()
