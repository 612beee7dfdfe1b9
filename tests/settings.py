"""The production settings, with a throwaway secret key and no redirect to HTTPS."""

import os

# The test client and the browser tests' live server speak plain HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-key-7f3a9c21-b84e-4d6f-a0c5-e19b2d7c8f40-not-secret")

from apc_tracker.settings import *  # noqa: E402, F403

# Hashing passwords at production strength would make sign-in tests crawl.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 (test-only)
