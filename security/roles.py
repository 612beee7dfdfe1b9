"""Who counts as the secretariat: the one definition every view, the admin and the workflow use."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser


def is_secretariat(user: AbstractBaseUser) -> bool:
    """Active staff who signed in with their second factor.

    `is_verified` is set on the request's user by django-otp's middleware once the one-time
    code was checked; a user object without it (loaded outside a request, or signed in with
    the password alone) counts as unverified.
    """
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and user.is_active and user.is_staff and callable(is_verified) and is_verified())
