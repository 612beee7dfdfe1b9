"""Who counts as the secretariat: the one definition every view, the admin and the workflow use."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice


def is_secretariat(user: AbstractBaseUser) -> bool:
    """Active staff who signed in with their second factor.

    `is_verified` is set on the request's user by django-otp's middleware once the one-time
    code was checked; a user object without it (loaded outside a request, or signed in with
    the password alone) counts as unverified.
    """
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and user.is_active and user.is_staff and callable(is_verified) and is_verified())


def secretariat_users() -> QuerySet:
    """The people who review, as far as mail can reach them: active staff with an address, who
    hold a confirmed second-factor device.

    Staff without a confirmed device cannot sign in as the secretariat (see `is_secretariat`),
    so news of work they cannot open is not for them. The authenticator app (TOTP) is the only
    kind of device the site installs.
    """
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return get_user_model().objects.filter(Exists(confirmed), is_active=True, is_staff=True).exclude(email="")
