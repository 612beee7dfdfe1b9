"""Sign-in auditing and session lifetimes, on django.contrib.auth's signals so every sign-in path is covered."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import client_address, log_event
from .models import SignInFailure


def _username(value: str | None) -> str:
    return (value or "").strip().lower()[:150]


@receiver(user_login_failed)
def record_failure(sender, credentials, request=None, **kwargs):
    # `credentials` has the password already masked by Django; only the username is used.
    username = _username(credentials.get("username"))
    SignInFailure.objects.record(username=username, address=client_address(request))
    log_event("sign-in failed", request=request, user=username, target=request.path if request else "")


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS if user.is_staff else settings.SESSION_AGE_SECONDS)
    SignInFailure.objects.filter(username=_username(user.get_username()), address=client_address(request)).delete()
    log_event("signed in", request=request, user=user.get_username(), target=request.path)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    log_event("signed out", request=request, user=user.get_username() if user else "", target=request.path)
