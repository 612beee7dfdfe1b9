"""Sign-in auditing and session lifetimes, on django.contrib.auth's signals so every sign-in path is covered.

Django-axes counts failed sign-ins on the same signals (see lockout.py).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import log_event
from .lockout import fold


@receiver(user_login_failed)
def record_failure(sender, credentials, request=None, **kwargs):
    # `credentials` has the password already masked by Django; only the username is used.
    username = fold(credentials.get("username"))
    log_event("sign-in failed", request=request, user=username, target=request.path if request else "")


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS if user.is_staff else settings.SESSION_AGE_SECONDS)
    log_event("signed in", request=request, user=user.get_username(), target=request.path)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    log_event("signed out", request=request, user=user.get_username() if user else "", target=request.path)
